function varargout = calllib(name, fname, varargin)
%CALLLIB Test stand-in for MATLAB's calllib: checks the arguments against the
%prototype file (count and class), then forwards to the MEX gateway.
global NN4N_SHIM
if ~libisloaded(name)
    error('shim:calllib', 'library %s is not loaded', name);
end
m = NN4N_SHIM.methodinfo;
k = find(strcmp(m.name, fname), 1);
if isempty(k)
    error('shim:calllib', 'no function %s in the prototype file', fname);
end
rhs = m.RHS{k};
if isempty(rhs), rhs = {}; end
if numel(varargin) ~= numel(rhs)
    error('shim:calllib', '%s: %d arguments, the prototype has %d', fname, numel(varargin), numel(rhs));
end
for i = 1:numel(rhs)
    a = varargin{i};
    switch rhs{i}
        case {'int32', 'int64', 'uint64', 'double'}
            ok = isscalar(a) && isnumeric(a);
        case 'cstring'
            ok = ischar(a) || isempty(a);
        case 'doublePtr'
            ok = isa(a, 'double') || isempty(a);
        otherwise   % int64Ptr, uint64Ptr, int32Ptr
            ok = isa(a, regexprep(rhs{i}, 'Ptr$', '')) || isempty(a);
    end
    if ~ok
        error('shim:calllib', '%s: argument %d is a %s, the prototype says %s', fname, i, class(a), rhs{i});
    end
end
NN4N_SHIM.calls = NN4N_SHIM.calls + 1;
varargout = cell(1, max(nargout, 1));
[varargout{:}] = nn4n.internal.nn4n_mex(fname, varargin{:});
end
