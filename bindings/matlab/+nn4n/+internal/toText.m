function s = toText(v, what)
%TOTEXT A char row from a char array or string scalar (internal); else nn4n:invalidArgument.
if isstring(v) && isscalar(v)
    v = char(v);
end
if ~ischar(v) || (~isempty(v) && ~isrow(v))
    error('nn4n:invalidArgument', '%s must be text', what);
end
s = v;
end
