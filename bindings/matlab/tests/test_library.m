function tests = test_library()
%TEST_LIBRARY Library-level functions: version, threads, BLAS, statistics, status names.
tests = {@versionIsReported, @threadsAreSet, @blasIsOpenBLAS, @statsSeeHandles, @statusNamesAndIds, ...
    @memoryLimitRefuses, @keysComeFromTheLibrary};
end

function versionIsReported()
[v, abi] = nn4n.version();
expectTrue(ischar(v) && ~isempty(regexp(v, '^\d+\.\d+\.\d+', 'once')), 'version %s', v);
expectTrue(abi == 1, 'abi %d', abi);
end

function threadsAreSet()
[g0, b0] = nn4n.numThreads();
nn4n.setNumThreads(2);
[g, b] = nn4n.numThreads();
expectTrue(g == 2 && b == 1, 'threads %d %d', g, b); % OpenBLAS stays single-threaded
nn4n.setNumThreads(1);
[g, b] = nn4n.numThreads();
expectTrue(g == 1 && b == 1, 'threads %d %d', g, b);
expectTrue(g0 >= 1 && b0 >= 1, 'initial threads');
expectError(@() nn4n.setNumThreads(0), 'nn4n:invalidArgument');
end

function blasIsOpenBLAS()
s = nn4n.blasInfo();
expectTrue(ischar(s) && ~isempty(strfind(s, 'OpenBLAS')), 'blas info "%s"', s);
end

function statsSeeHandles()
[n0, heap] = nn4n.runtimeStats();
expectTrue(heap > 0, 'go heap');
net = nn4n.CTRNN([1 3 1]);
n1 = nn4n.runtimeStats();
expectTrue(n1 == n0 + 1, 'a new model is a live handle (%d -> %d)', n0, n1);
net.free();
n2 = nn4n.runtimeStats();
expectTrue(n2 == n0, 'free releases it (%d)', n2);
% Clearing the MATLAB object frees the native one.
net = nn4n.CTRNN([1 3 1]); %#ok<NASGU>
clear net
expectTrue(nn4n.runtimeStats() == n0, 'clear frees the handle');
end

function statusNamesAndIds()
ids = {'nn4n:invalidArgument', 'nn4n:nullPointer', 'nn4n:shape', 'nn4n:invalidHandle', ...
    'nn4n:unknownKey', 'nn4n:notFinite', 'nn4n:io', 'nn4n:format', 'nn4n:cancelled', ...
    'nn4n:internal', 'nn4n:bufferTooSmall', 'nn4n:state', 'nn4n:numeric', 'nn4n:range'};
for k = 1:numel(ids)
    expectTrue(strcmp(nn4n.errorId(k), ids{k}), 'errorId(%d)', k);
end
expectTrue(strcmp(nn4n.errorId(16), 'nn4n:memory'), 'errorId(16)');
expectTrue(strcmp(nn4n.errorId(99), 'nn4n:unknownStatus'), 'unknown');
expectTrue(strcmp(nn4n.errorId(15), 'nn4n:fork'), 'errorId(15)');
expectTrue(strcmp(nn4n.statusName(15), 'NN4N_ERR_FORK'), 'FORK');
expectTrue(strcmp(nn4n.statusName(0), 'NN4N_OK'), 'OK');
expectTrue(strcmp(nn4n.statusName(3), 'NN4N_ERR_SHAPE'), 'SHAPE');
expectTrue(strcmp(nn4n.statusName(99), 'NN4N_ERR_UNKNOWN_STATUS'), 'unknown status');
end

function memoryLimitRefuses()
[lim0, def] = nn4n.memoryLimit();
expectTrue(lim0 == def && def > 2^20, 'default limit %g of %g', lim0, def);
nn4n.setMemoryLimit(2^20);
c = onCleanup(@() nn4n.setMemoryLimit(0));
expectTrue(nn4n.memoryLimit() == 2^20, 'limit set');
expectError(@() nn4n.CTRNN([1 1024 1]), 'nn4n:memory');
net = nn4n.CTRNN([1 8 1], 'seed', 1);  % small models still fit
expectTrue(isobject(net), 'small model');
expectError(@() nn4n.setMemoryLimit(-1), 'nn4n:invalidArgument');
nn4n.setMemoryLimit(0);
expectTrue(nn4n.memoryLimit() == def, 'default restored');
end

function keysComeFromTheLibrary()
% nn4n.keys / obj.keys() list the settings of nn4n_<kind>_key_info, with bounds.
k = nn4n.keys('model');
names = {k.name};
expectTrue(numel(k) >= 10 && any(strcmp(names, 'activation')) && any(strcmp(names, 'alpha')), ...
    'model keys: %s', strjoin(names, ' '));
a = k(strcmp(names, 'alpha'));
expectTrue(a.lo > 0 && a.hi == 1 && strcmp(a.type, 'f64') && ~isempty(a.doc), 'alpha bounds [%g, %g]', a.lo, a.hi);
net = nn4n.CTRNN([1 3 1]);
% Every setting is a property of nn4n.CTRNN (tools/gen_matlab_keys.py), flags read as logicals.
missing = names(~ismember(names, properties(net)));
expectTrue(isempty(missing), 'settings without a property: %s', strjoin(missing, ' '));
expectTrue(islogical(net.train_x0) && ischar(net.activation) && net.units == 3, 'property types');
net.activation = 'tanh';
expectTrue(strcmp(net.activation, 'tanh'), 'an enum takes its name: %s', net.activation);
expectError(@() setProperty(net, 'activation', 1), 'nn4n:invalidArgument');   % a number is not a name
net.activation = 'relu';
err = expectError(@() nn4n.internal.call('nn4n_model_set_f64', net.live(), 'alpha', a.hi + 1), 'nn4n:range');
expectTrue(~isempty(strfind(err.message, '1')), 'the message names the bound: %s', err.message);
for obj = {nn4n.Optimizer('adam'), nn4n.Objective('mse'), net}
    kk = obj{1}.keys();
    expectTrue(numel(kk) >= 1 && all(cellfun(@ischar, {kk.name})), '%s keys', class(obj{1}));
end
o = nn4n.keys('optimizer');
expectTrue(any(strcmp({o.name}, 'lr')), 'optimizer keys name lr');
expectError(@() nn4n.keys('nope'), 'nn4n:invalidArgument', 'nope');
end

function setProperty(obj, name, value)
obj.(name) = value;
end
