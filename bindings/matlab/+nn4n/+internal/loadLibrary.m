function useMex = loadLibrary()
%LOADLIBRARY Load libnn4n once and check its ABI (internal).
%   useMex = nn4n.internal.loadLibrary() loads the library and returns true when the
%   call path is the MEX gateway (the default, in GNU Octave and in MATLAB),
%   false when it is calllib (only with the environment variable
%   NN4N_MATLAB_BACKEND=calllib: an EXPERIMENTAL path that has never run in
%   MATLAB; the test suite runs it in Octave with stand-ins for loadlibrary
%   and calllib, tests/calllib_shim).
%
%   MEX: the gateway nn4n_mex (make matlab-mex in Octave, nn4n.buildMex in
%   MATLAB, once, with a C compiler) links libnn4n.
%   calllib: the library is loaded with loadlibrary(lib, @nn4n.internal.nn4n_proto,
%   'alias', 'nn4n'), from $NN4N_LIBRARY, else the repository's build/ folder,
%   else the system's library path; no thunk library is shipped, which
%   MathWorks documents as needed for prototype files on 64-bit MATLAB.
%   Either way the library is never unloaded: it holds a Go runtime.
%
%   The ABI version of the loaded library must equal the one of the header the
%   binding was generated from (nn4n.internal.nn4n_constants), else the error
%   nn4n:abiMismatch.
here = fileparts(mfilename('fullpath'));
isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
backend = lower(getenv('NN4N_MATLAB_BACKEND'));   % '', 'mex' or 'calllib'
useMex = ~strcmp(backend, 'calllib');
if useMex
    mexfile = dir(fullfile(here, ['nn4n_mex.' mexext()]));
    if isempty(mexfile)
        if isOctave
            how = 'run "make matlab-mex" in the nn4n repository (bindings/matlab/tools/build_mex.sh)';
        else
            how = ['run nn4n.buildMex once (it needs a C compiler that MATLAB supports: see ' ...
                '"mex -setup C"); without a compiler, setenv(''NN4N_MATLAB_BACKEND'', ''calllib'') ' ...
                'selects the experimental calllib path, which has never been tested in MATLAB'];
        end
        error('nn4n:notBuilt', 'the MEX gateway %s is not built: %s', ...
            fullfile(here, ['nn4n_mex.' mexext()]), how);
    end
    try
        abi = nn4n.internal.nn4n_mex('nn4n_abi_version');
    catch err
        hint = '';
        if ~isempty(strfind(err.message, 'static TLS'))
            hint = [' (libnn4n needs more static TLS than a late dlopen gets: start Octave with ' ...
                'LD_PRELOAD=<path>/libnn4n.so, or GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536)'];
        end
        error('nn4n:load', 'cannot load the nn4n MEX gateway: %s%s', err.message, hint);
    end
else
    if ~libisloaded('nn4n')
        lib = getenv('NN4N_LIBRARY');
        if isempty(lib)
            if ispc
                name = 'nn4n.dll';
            elseif ismac
                name = 'libnn4n.dylib';
            else
                name = 'libnn4n.so';
            end
            lib = fullfile(here, '..', '..', '..', '..', 'build', name);
            if ~exist(lib, 'file')
                lib = name;
            end
        end
        try
            loadlibrary(lib, @nn4n.internal.nn4n_proto, 'alias', 'nn4n');
        catch err
            error('nn4n:load', 'cannot load %s: %s (set NN4N_LIBRARY to the path of libnn4n)', ...
                lib, err.message);
        end
    end
    abi = calllib('nn4n', 'nn4n_abi_version');
    problems = nn4n.internal.checkSignatures(libfunctions('nn4n', '-full'), nn4n.internal.nn4n_proto());
    if ~isempty(problems)
        error('nn4n:load', 'calllib does not follow the binding''s output convention:\n%s', ...
            strjoin(problems, '\n'));
    end
end
c = nn4n.internal.nn4n_constants();
if double(abi) ~= c.ABI_VERSION
    error('nn4n:abiMismatch', 'the loaded libnn4n has ABI %d, this binding was made for ABI %d', ...
        double(abi), c.ABI_VERSION);
end
end
