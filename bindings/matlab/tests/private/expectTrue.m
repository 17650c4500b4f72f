function expectTrue(c, varargin)
%EXPECTTRUE Require c to be true; the rest is an sprintf message.
if ~(islogical(c) || isnumeric(c)) || isempty(c) || ~all(c(:))
    if isempty(varargin)
        varargin = {'condition is false'};
    end
    error('nn4n:test:fail', varargin{:});
end
end
