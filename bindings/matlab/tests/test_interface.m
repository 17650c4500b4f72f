function tests = test_interface()
%TEST_INTERFACE The prototype file, the MEX gateway and the header agree.
tests = {@prototypeFileHasLoadlibraryLayout, @prototypeMatchesGateway, @constantsMatchLibrary, ...
    @gatewayRejectsBadCalls, @gatewayPassesNullForEmpty, @signatureCheckerCatchesShiftedOutputs, ...
    @everyHeaderFunctionIsWrapped};
end

function declared = headerFunctions()
% The functions include/nn4n.h declares (sorted, unique).
header = fileread(fullfile(fileparts(mfilename('fullpath')), '..', '..', '..', 'include', 'nn4n.h'));
declared = unique(cellfun(@(c) c{1}, regexp(header, '^[a-z_0-9 ]+\*? ?(nn4n_\w+)\(', 'tokens', 'lineanchors'), 'UniformOutput', false));
% C hosts only (float I/O; tools/gen_bindings.py C_ONLY): not in the MATLAB interface.
declared = setdiff(declared, {'nn4n_model_step_f32'});
end

function [m, s, e, thunk] = proto()
[m, s, e, thunk] = nn4n.internal.nn4n_proto();
end

function prototypeFileHasLoadlibraryLayout()
[m, s, e, thunk] = proto();
expectTrue(isempty(s) && isempty(e), 'no structs or enums');
expectTrue(isempty(thunk) && ischar(thunk), 'ThunkLibName is empty (no thunk library is shipped)');
expectTrue(isstruct(m) && isscalar(m), 'methodinfo is a scalar struct');
fields = {'name', 'calltype', 'LHS', 'RHS', 'alias', 'thunkname'};
expectTrue(all(isfield(m, fields)), 'methodinfo has %s', strjoin(fields, ', '));
n = numel(m.name);
declared = headerFunctions();
expectTrue(n == numel(declared), 'prototype file lists %d functions, the header declares %d', n, numel(declared));
allowed = {'int32', 'int64', 'uint64', 'double', 'cstring', 'doublePtr', 'int64Ptr', 'uint64Ptr', 'int32Ptr'};
for k = 1:n
    expectTrue(strcmp(m.calltype{k}, 'cdecl'), '%s: calltype %s', m.name{k}, m.calltype{k});
    expectTrue(any(strcmp(m.LHS{k}, {'int32', 'int64', 'cstring'})), '%s: LHS', m.name{k});
    rhs = m.RHS{k};
    expectTrue(isempty(rhs) || iscellstr(rhs), '%s: RHS is a cellstr or []', m.name{k});
    expectTrue(all(ismember(rhs, allowed)), '%s: RHS types', m.name{k});
    expectTrue(~isempty(regexp(m.thunkname{k}, 'Thunk$', 'once')), '%s: thunkname', m.name{k});
    expectTrue(strncmp(m.name{k}, 'nn4n_', 5), '%s: prefix', m.name{k});
end
end

function prototypeMatchesGateway()
% calllib returns the return value and then every pointer argument; the
% gateway must give the same number of outputs for every function.
m = proto();
t = nn4n.internal.nn4n_mex();
expectTrue(numel(t) == numel(m.name), 'gateway has %d functions, prototype %d', numel(t), numel(m.name));
for k = 1:numel(t)
    expectTrue(strcmp(t(k).name, m.name{k}), 'function %d: %s vs %s', k, t(k).name, m.name{k});
    rhs = m.RHS{k};
    nptr = 0;
    if ~isempty(rhs)
        nptr = sum(~cellfun(@isempty, regexp(rhs, '(Ptr|cstring)$', 'once')));
    end
    expectTrue(t(k).nargs == numel(rhs), '%s: %d arguments vs %d', t(k).name, t(k).nargs, numel(rhs));
    expectTrue(t(k).nout == ~isempty(m.LHS{k}) + nptr, '%s: %d outputs', t(k).name, t(k).nout);
end
end

function constantsMatchLibrary()
c = nn4n.internal.nn4n_constants();
[v, abi] = nn4n.version();
expectTrue(abi == c.ABI_VERSION, 'ABI %d vs header %d', abi, c.ABI_VERSION);
expectTrue(strncmp(v, sprintf('%d.%d.%d', c.VERSION_MAJOR, c.VERSION_MINOR, c.VERSION_PATCH), 5), ...
    'version %s', v);
n = double(nn4n.internal.call('nn4n_version_number'));
expectTrue(n == c.VERSION_MAJOR * 10000 + c.VERSION_MINOR * 100 + c.VERSION_PATCH, 'version number');
names = fieldnames(c);
for k = 1:numel(names)
    if strncmp(names{k}, 'ERR_', 4)
        expectTrue(strcmp(nn4n.statusName(c.(names{k})), ['NN4N_' names{k}]), '%s', names{k});
    end
end
end

function gatewayRejectsBadCalls()
expectError(@() nn4n.internal.nn4n_mex('nn4n_no_such_function'), 'nn4n:mex:unknownFunction');
expectError(@() nn4n.internal.nn4n_mex('nn4n_model_free'), 'nn4n:mex:nargs');
expectError(@() nn4n.internal.nn4n_mex('nn4n_model_free', 'x'), 'nn4n:mex:argument');
expectError(@() nn4n.internal.nn4n_mex('nn4n_model_free', -1), 'nn4n:mex:argument');
expectError(@() nn4n.internal.nn4n_mex('nn4n_model_free', 1.5), 'nn4n:mex:argument');
expectError(@() nn4n.internal.nn4n_mex('nn4n_set_num_threads', [1 2]), 'nn4n:mex:argument');
expectError(@() nn4n.internal.nn4n_mex('nn4n_model_set_f64', uint64(1), 3, 0), 'nn4n:mex:argument');
expectError(@() nn4n.internal.nn4n_mex(42), 'nn4n:mex:usage');
[a, b, c] = nn4n.internal.nn4n_mex('nn4n_get_num_threads', int64(0), int64(0)); %#ok<ASGLU>
expectError(@() outputs4(), 'nn4n:mex:nargout');
end

function outputs4()
[a, b, c, d] = nn4n.internal.nn4n_mex('nn4n_get_num_threads', int64(0), int64(0)); %#ok<ASGLU>
end

function gatewayPassesNullForEmpty()
% [] for a pointer is NULL: the library reports which pointer.
net = nn4n.CTRNN([1 2 1]);
expectError(@() nn4n.internal.call('nn4n_model_get_f64', net.live(), [], 0), 'nn4n:nullPointer');
expectError(@() nn4n.internal.call('nn4n_model_get_f64', net.live(), 'alpha', []), 'nn4n:nullPointer');
% A NULL output with length 0 is allowed (forward without rates/states).
[~, ~, ~, y] = nn4n.internal.call('nn4n_model_forward', net.live(), ones(1, 3), int64(3), int64(1), ...
    int64(3), [], int64(0), zeros(1, 3), int64(3), [], int64(0), [], int64(0));
expectTrue(numel(y) == 3, 'outputs');
end

function signatureCheckerCatchesShiftedOutputs()
% What loadlibrary's libfunctions('-full') shows when calllib returns the
% return value and every pointer/string argument: no problem. A signature
% with an output less (a convention the binding does not expect) is caught.
m = nn4n.internal.nn4n_proto();
sigs = cell(numel(m.name), 1);
for k = 1:numel(m.name)
    rhs = m.RHS{k};
    if isempty(rhs), rhs = {}; end
    outs = [{m.LHS{k}}, rhs(~cellfun(@isempty, regexp(rhs, '(Ptr|cstring)$', 'once')))];
    outs = outs(~cellfun(@isempty, outs));
    if numel(outs) > 1
        head = ['[' strjoin(outs, ', ') '] '];
    elseif numel(outs) == 1
        head = [outs{1} ' '];
    else
        head = '';
    end
    sigs{k} = [head m.name{k} '(' strjoin(rhs, ', ') ')'];
end
expectTrue(isempty(nn4n.internal.checkSignatures(sigs, m)), 'the expected signatures pass');
k = find(strcmp(m.name, 'nn4n_model_shape'));
sigs{k} = '[int32, int64Ptr, int64Ptr] nn4n_model_shape(uint64, cstring, int64Ptr, int64Ptr)';
p = nn4n.internal.checkSignatures(sigs, m);
expectTrue(numel(p) == 1 && ~isempty(strfind(p{1}, 'nn4n_model_shape')), 'a dropped cstring output is caught');
sigs(k) = [];
p = nn4n.internal.checkSignatures(sigs, m);
expectTrue(numel(p) == 1 && ~isempty(strfind(p{1}, 'not loaded')), 'a missing function is caught');
end

function everyHeaderFunctionIsWrapped()
% Every function include/nn4n.h declares is called by the +nn4n package
% (the generated prototype file and constants aside): named in a call, or
% made from a class's Prefix ('nn4n_task', ...) and a suffix of Object.m
% ([obj.Prefix '_free'], ...), or from a prefix passed to getMatrix and its
% suffixes (_shape, _get_array). Only the functions of `exempt` are left to
% nn4n.internal.call on purpose.
exempt = {'nn4n_version_number'};   % nn4n.version gives the string; constantsMatchLibrary checks the number
% net.terms() reads every term in one call (nn4n_model_terms); the per-term
% pair stays for C hosts (test_training/termsInOneCall compares the two).
exempt = [exempt, {'nn4n_model_term', 'nn4n_model_term_count'}];
pkg = fullfile(fileparts(mfilename('fullpath')), '..', '+nn4n');
code = '';
for d = {pkg, fullfile(pkg, '+internal'), fullfile(pkg, '+analysis')}
    files = dir(fullfile(d{1}, '*.m'));
    for k = 1:numel(files)
        if any(strcmp(files(k).name, {'nn4n_proto.m', 'nn4n_constants.m'}))
            continue
        end
        text = fileread(fullfile(d{1}, files(k).name));
        code = [code, regexprep(text, '^\s*%[^\n]*', '', 'lineanchors'), sprintf('\n')]; %#ok<AGROW>
    end
end
tok = @(text, re) cellfun(@(c) c{1}, regexp(text, re, 'tokens'), 'UniformOutput', false);
named = tok(code, '''(nn4n_\w+)''');
objSuffixes = tok(fileread(fullfile(pkg, '+internal', 'Object.m')), '\[obj\.Prefix ''(_\w+)''\]');
matSuffixes = tok(fileread(fullfile(pkg, '+internal', 'getMatrix.m')), '\[prefix ''(_\w+)''\]');
classPrefixes = tok(code, 'Prefix = ''(nn4n_[a-z]+)''');
matPrefixes = tok(code, 'getMatrix\(''(nn4n_[a-z]+)''');
expectTrue(numel(objSuffixes) >= 5 && numel(matSuffixes) == 2 && numel(classPrefixes) >= 6, ...
    'helpers found: %d Object suffixes, %d getMatrix suffixes, %d classes', ...
    numel(objSuffixes), numel(matSuffixes), numel(classPrefixes));
composed = {};
for p = classPrefixes
    composed = [composed, strcat(p{1}, objSuffixes)]; %#ok<AGROW>
end
for p = matPrefixes
    composed = [composed, strcat(p{1}, matSuffixes)]; %#ok<AGROW>
end
declared = headerFunctions();
wrapped = intersect(declared, [named, composed]);
missing = setdiff(declared, [wrapped, exempt]);
expectTrue(isempty(missing), 'header functions with no MATLAB wrapper: %s', strjoin(missing, ', '));
expectTrue(isempty(intersect(exempt, wrapped)), 'exempt but wrapped (drop from the list): %s', ...
    strjoin(intersect(exempt, wrapped), ', '));
expectTrue(numel(wrapped) == numel(declared) - numel(exempt), ...
    '%d of %d header functions wrapped (%d exempt)', numel(wrapped), numel(declared), numel(exempt));
expectTrue(all(ismember({'nn4n_task_sample_conditions', 'nn4n_task_psychometric'}, named)), ...
    'nn4n.Task calls nn4n_task_sample_conditions and nn4n_task_psychometric');
end
