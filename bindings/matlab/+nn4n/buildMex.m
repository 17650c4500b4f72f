function buildMex(libdir)
%BUILDMEX Build the MEX gateway nn4n_mex, the binding's call path, with MATLAB's mex.
%   nn4n.buildMex() compiles bindings/matlab/mex/nn4n_mex.c against the
%   repository's build/libnn4n.so; nn4n.buildMex(libdir) against
%   libdir/libnn4n.so. Run it once in MATLAB; it needs a C compiler that
%   MATLAB supports ("mex -setup C"). The gateway is the path tested in GNU
%   Octave; the MATLAB build of it has not been run by the nn4n team (no
%   MATLAB licence). In Octave, the same gateway is built by
%   bindings/matlab/tools/build_mex.sh (mkoctfile --mex), which
%   "make matlab-mex" runs, and nn4n.buildMex calls that script.
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
if isempty(mex.getCompilerConfigurations('C', 'Selected'))
    error('nn4n:build', ['no C compiler is configured for MATLAB''s mex: install one that ' ...
        'MathWorks supports for your release and run "mex -setup C", then nn4n.buildMex again']);
end
mex('-R2018a', ['-I' fullfile(root, 'include')], ['-I' fullfile(here, '..', 'mex')], ...
    '-outdir', out, '-output', 'nn4n_mex', src, ['-L' libdir], '-lnn4n', ...
    ['LDFLAGS=$LDFLAGS -Wl,-rpath,' libdir ' -Wl,-z,nodelete']);
end
