function nfail = run_all(varargin)
%RUN_ALL Run the Octave/MATLAB test suite of the nn4n binding.
%   nfail = run_all() runs every tests/test_*.m file (each returns a cell of
%   function handles, one per test), prints one line per test and a closing
%   "N passed, M failed" line, and returns the number of failures.
%   run_all('test_errors') runs the files named.
%   The reference values of test_reference come from tests/reference.c,
%   compiled and run by tests/run.sh (environment NN4N_REFERENCE = its output).
here = fileparts(mfilename('fullpath'));
addpath(fullfile(here, '..'));
files = varargin;
if isempty(files)
    d = dir(fullfile(here, 'test_*.m'));
    files = sort({d.name});
    files = regexprep(files, '\.m$', '');
end
nn4n.setNumThreads(1);   % same seed and thread count as reference.c: bit-identical
npass = 0;
nfail = 0;
nskip = 0;
for f = 1:numel(files)
    tests = feval(files{f});
    for k = 1:numel(tests)
        name = sprintf('%s/%s', files{f}, func2str(tests{k}));
        t0 = tic;
        try
            tests{k}();
            npass = npass + 1;
            fprintf('PASS %-50s %.2fs\n', name, toc(t0));
        catch err
            if strcmp(err.identifier, 'nn4n:test:skip')
                nskip = nskip + 1;
                fprintf('SKIP %-50s %s\n', name, err.message);
            else
                nfail = nfail + 1;
                fprintf('FAIL %-50s %s: %s\n', name, err.identifier, err.message);
                for s = 1:min(numel(err.stack), 4)
                    fprintf('       at %s line %d\n', err.stack(s).name, err.stack(s).line);
                end
            end
        end
    end
end
fprintf('matlab: %d passed, %d failed, %d skipped\n', npass, nfail, nskip);
end
