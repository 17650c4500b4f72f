function nfail = run_calllib()
%RUN_CALLLIB Run part of the suite through the MATLAB (calllib) branch of the call path.
%   Octave has no loadlibrary or calllib; tests/calllib_shim stands in for
%   them (checking every call against the prototype file, then forwarding
%   it to the MEX gateway), so that the binding's MATLAB branch - library
%   location, loadlibrary with the prototype file, the ABI and signature
%   checks, and every calllib call of the tests run - is exercised. Run in a
%   fresh Octave with NN4N_MATLAB_BACKEND=calllib (tests/run.sh does).
global NN4N_SHIM
here = fileparts(mfilename('fullpath'));
addpath(fullfile(here, 'calllib_shim'));
if ~strcmp(getenv('NN4N_MATLAB_BACKEND'), 'calllib')
    error('nn4n:test:fail', 'set NN4N_MATLAB_BACKEND=calllib');
end
nfail = run_all('test_reference', 'test_ctrnn', 'test_training', 'test_errors');
if isempty(NN4N_SHIM) || NN4N_SHIM.calls < 1000
    fprintf('FAIL the calllib branch was not used\n');
    nfail = nfail + 1;
else
    fprintf('calllib branch: %d calls through the prototype file of %s\n', NN4N_SHIM.calls, NN4N_SHIM.lib);
end
end
