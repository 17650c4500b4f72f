function buildMex(libdir)
%BUILDMEX Build the MEX gateway nn4n_mex (Octave's call path) with MATLAB's mex.
%   nn4n.buildMex() compiles bindings/matlab/mex/nn4n_mex.c against the
%   repository's build/libnn4n.so; nn4n.buildMex(libdir) against
%   libdir/libnn4n.so. MATLAB itself does not need the gateway (it uses
%   calllib with the shipped prototype file and no compiler); build it to
%   run the Octave call path in MATLAB (NN4N_MATLAB_BACKEND=mex). In Octave,
%   the same gateway is built by bindings/matlab/tools/build_mex.sh
%   (mkoctfile --mex), which "make matlab-mex" runs.
here = fileparts(mfilename('fullpath'));
root = fullfile(here, '..', '..', '..');
if nargin < 1
    libdir = fullfile(root, 'build');
end
src = fullfile(here, '..', 'mex', 'nn4n_mex.c');
out = fullfile(here, '+internal');
if exist('OCTAVE_VERSION', 'builtin')
    status = system(['"' fullfile(here, '..', 'tools', 'build_mex.sh') '"']);
    if status ~= 0
        error('nn4n:build', 'build_mex.sh failed');
    end
    return
end
mex('-R2018a', ['-I' fullfile(root, 'include')], ['-I' fullfile(here, '..', 'mex')], ...
    '-outdir', out, '-output', 'nn4n_mex', src, ['-L' libdir], '-lnn4n', ...
    ['LDFLAGS=$LDFLAGS -Wl,-rpath,' libdir ' -Wl,-z,nodelete']);
end
