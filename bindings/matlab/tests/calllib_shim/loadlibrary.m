function [notfound, warnings] = loadlibrary(lib, proto, varargin)
%LOADLIBRARY Test stand-in for MATLAB's loadlibrary (Octave has none).
%   Accepts only what the binding uses, loadlibrary(lib, @protofile,
%   'alias', name), evaluates the prototype file as MATLAB does, and records
%   its functions; calllib then follows MATLAB's output convention for them
%   (the return value, then every pointer or cstring argument), forwarding
%   the call to the MEX gateway.
global NN4N_SHIM
if ~ischar(lib) || ~exist(lib, 'file')
    error('shim:loadlibrary', 'library file %s not found', lib);
end
if ~isa(proto, 'function_handle')
    error('shim:loadlibrary', 'the binding must load with a prototype file handle');
end
if numel(varargin) ~= 2 || ~strcmp(varargin{1}, 'alias')
    error('shim:loadlibrary', 'expected the alias option');
end
[m, structs, enums, thunk] = proto();
if ~isempty(structs) || ~isempty(enums) || ~isempty(thunk)
    error('shim:loadlibrary', 'a no-thunk prototype file has no structs, enums or thunk library');
end
NN4N_SHIM = struct('alias', varargin{2}, 'lib', lib, 'methodinfo', m, 'calls', 0);
notfound = {};
warnings = '';
end
