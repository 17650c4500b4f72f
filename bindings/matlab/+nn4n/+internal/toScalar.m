function v = toScalar(v, what)
%TOSCALAR A finite-or-not real double scalar from a numeric or logical value (internal).
%   Errors: nn4n:invalidArgument when v is not a real numeric or logical scalar.
if ~(isnumeric(v) || islogical(v)) || ~isscalar(v) || ~isreal(v)
    error('nn4n:invalidArgument', '%s must be a real numeric or logical scalar', what);
end
v = double(v);
end
