function varargout = call(name, varargin)
%CALL The one call path from the nn4n package to libnn4n (internal).
%   [ret, p1, p2, ...] = nn4n.internal.call('nn4n_function', a1, ..., aN)
%   calls the C function nn4n_function of include/nn4n.h with the arguments in
%   the header's order, and returns what MATLAB's calllib returns: the return
%   value, then the final value of every pointer argument in argument order.
%   Pass int64/uint64/int32 values for integer arguments, double arrays for
%   double pointers (read in place: a MATLAB array of size [I T B] is the
%   row-major B-by-T-by-I array the ABI expects), [] for a NULL pointer, and a
%   char array of n characters for a char* buffer of n+1 bytes.
%
%   By default (Octave and MATLAB) this is the MEX gateway nn4n_mex, which
%   exposes the functions by name with calllib's outputs; with
%   NN4N_MATLAB_BACKEND=calllib (experimental, never run in MATLAB) it is
%   calllib on the library loaded with the shipped prototype file
%   (loadlibrary(lib, @nn4n.internal.nn4n_proto)). The library is loaded once
%   and never unloaded (it holds a Go runtime).
%
%   A function that returns a status and fails raises an error whose
%   identifier names the status (nn4n:shape, nn4n:invalidHandle,
%   nn4n:unknownKey, ...; see nn4n.internal.errid) and whose message is the
%   library's (nn4n_last_error).
%
%   useMex = nn4n.internal.call() loads the library and returns true when the
%   call path is the MEX gateway (train's fast path calls it directly).
%
%   Not part of the public API.
persistent useMex
if isempty(useMex)
    useMex = nn4n.internal.loadLibrary();
end
if nargin == 0
    varargout = {useMex};   % call() loads the library and tells whether the path is MEX
    return
end
out = cell(1, max(nargout, 1));
if useMex
    [out{:}] = nn4n.internal.nn4n_mex(name, varargin{:});
else
    [out{:}] = calllib('nn4n', name, varargin{:});
end
st = out{1};
if isa(st, 'int32') && st ~= 0 && ~strcmp(name, 'nn4n_abi_version')
    nn4n.internal.raise(double(st), name);
end
varargout = out;
end
