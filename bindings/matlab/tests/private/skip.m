function skip(varargin)
%SKIP Skip the current test with a reason.
error('nn4n:test:skip', varargin{:});
end
