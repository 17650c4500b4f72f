function tests = test_errors()
%TEST_ERRORS Error paths raise the documented identifiers, and nothing crashes.
tests = {@wrongSizes, @freedObjects, @badOptionNames, @badValues, @everyStatusHasAnIdentifier, ...
    @manyBadCallsInARow};
end

function wrongSizes()
net = nn4n.CTRNN([2 5 1], 'seed', 1);
expectError(@() net.forward(ones(3, 4, 2)), 'nn4n:shape', 'want I-by-T-by-B');
expectError(@() net.forward(ones(2, 4, 2), 'x0', ones(5, 3)), 'nn4n:shape');
expectError(@() net.forward(ones(2, 0, 2)), 'nn4n:shape');
expectError(@() net.step(ones(4, 2), ones(2, 2)), 'nn4n:shape');
expectError(@() net.step(ones(5, 2), ones(2, 3)), 'nn4n:shape');
expectError(@() net.train(ones(2, 4, 2), ones(1, 4, 3)), 'nn4n:shape');
expectError(@() net.gradients(ones(2, 4, 2), ones(1, 4, 2), 'mask', ones(1, 3, 2)), 'nn4n:shape');
expectError(@() net.loss(ones(2, 4, 2), [], 'labels', ones(4, 3)), 'nn4n:shape');
expectError(@() set(net, 'w_rec', ones(4)), 'nn4n:shape');
expectError(@() set(net, 'w_in', ones(2, 5)), 'nn4n:shape', 'post, pre');   % transposed
expectError(@() set(net, 'mask_out', ones(5, 1)), 'nn4n:shape');
expectError(@() set(net, 'b_rec', ones(4, 1)), 'nn4n:shape');             % the library's check
expectError(@() set(net, 'alpha', ones(2)), 'nn4n:shape');
% the raw call path: a length that does not match gives the library's SHAPE
expectError(@() nn4n.internal.call('nn4n_model_set_array', net.live(), 'w_rec', ones(24, 1), int64(24)), ...
    'nn4n:shape');
end

function set(obj, key, value)
obj.(key) = value;
end

function freedObjects()
net = nn4n.CTRNN([1 3 1]);
net.free();
net.free();   % twice: nothing
expectTrue(~net.isvalidHandle(), 'freed');
calls = {@() net.forward(ones(1, 2)), @() net.w_rec, @() net.activation, @() net.step(zeros(3, 1), 1), ...
    @() net.train(ones(1, 2), ones(1, 2)), @() net.gradients(ones(1, 2), ones(1, 2)), ...
    @() net.save(tempFile('.npz')), @() net.reinitialize(), @() net.spectralRadius(), ...
    @() net.terms(), @() net.cancel(), @() set(net, 'alpha', 0.2)};
for k = 1:numel(calls)
    expectError(calls{k}, 'nn4n:invalidHandle');
end
err = expectError(calls{1}, 'nn4n:invalidHandle');
expectTrue(~isempty(strfind(err.message, 'freed')), 'the library says the handle was freed: %s', err.message);
s = nn4n.MultiArea([1 6 1]);
delete(s);
expectError(@() s.masks(), 'nn4n:invalidHandle');
o = nn4n.Objective('songyang');
o.free();
net = nn4n.CTRNN([1 3 1]);
expectError(@() net.loss(ones(1, 2), ones(1, 2), 'objective', o), 'nn4n:invalidHandle');
% wrong-kind and never-issued handles through the raw call path
expectError(@() nn4n.internal.call('nn4n_structure_build', net.live()), 'nn4n:invalidHandle');
expectError(@() nn4n.internal.call('nn4n_model_free', uint64(123456789)), 'nn4n:invalidHandle');
expectTrue(net.n_hid == 3, 'the network is untouched');
end

function badOptionNames()
expectError(@() nn4n.CTRNN([1 3 1], 'activaton', 'relu'), 'nn4n:unknownKey', 'activaton');
expectError(@() nn4n.CTRNN([1 3 1], 'activation'), 'nn4n:invalidArgument');
expectError(@() nn4n.CTRNN([1 3 1], 3, 'relu'), 'nn4n:invalidArgument');
net = nn4n.CTRNN([1 3 1]);
expectError(@() net.forward(ones(1, 2), 'x00', 1), 'nn4n:unknownKey');
expectError(@() net.train(ones(1, 2), ones(1, 2), 'lambda_nothing', 1), 'nn4n:unknownKey');
expectError(@() net.gradients(ones(1, 2), ones(1, 2), 'objective', 'no_such_objective'), 'nn4n:unknownKey');
expectError(@() net.train(ones(1, 2), ones(1, 2), 'optimizer', 'no_such_optimizer'), 'nn4n:unknownKey');
expectError(@() nn4n.Optimizer('adam', 'momentum', 0.9), 'nn4n:unknownKey');
expectError(@() nn4n.Task('no_such_task'), 'nn4n:unknownKey');
expectError(@() nn4n.Task('romo', 'no_key', 1), 'nn4n:unknownKey');
t = nn4n.Task('romo');
expectError(@() t.sample(2, 'kinds', 'train'), 'nn4n:unknownKey');
expectError(@() nn4n.internal.call('nn4n_model_get_f64', net.live(), 'nope', 0), 'nn4n:unknownKey', 'nope');
end

function badValues()
net = nn4n.CTRNN([1 3 1]);
expectError(@() set(net, 'activation', 'relux'), 'nn4n:invalidArgument');
expectError(@() set(net, 'alpha', 0), 'nn4n:range');
expectError(@() set(net, 'rec_noise', -1), 'nn4n:range');
expectError(@() set(net, 'rec_noise', NaN), 'nn4n:notFinite');
expectError(@() set(net, 'w_rec', [1 NaN 0; 0 0 0; 0 0 Inf]), 'nn4n:notFinite');
expectError(@() net.forward([1 NaN 2]), 'nn4n:notFinite');
expectError(@() nn4n.CTRNN([1 0 1]), 'nn4n:invalidArgument');
expectError(@() nn4n.CTRNN([1 3 1], 'precision', 'float16'), 'nn4n:invalidArgument');
expectError(@() nn4n.CTRNN([1 3 1], 'seed', -1), 'nn4n:invalidArgument');
expectError(@() set(net, 'learn_alpha', 'yes'), 'nn4n:invalidArgument');
expectError(@() net.loss(ones(1, 4), ones(1, 4), 'mask', zeros(1, 4)), 'nn4n:numeric');
o = nn4n.Objective('songyang');
expectError(@() o.addTerm('fr'), 'nn4n:state');
expectError(@() nn4n.internal.call('nn4n_blas_info', blanks(3), int64(4), int64(0)), 'nn4n:bufferTooSmall');
t = nn4n.Task('romo');
expectError(@() t.score(zeros(1, 1, 1)), 'nn4n:state');
end

function everyStatusHasAnIdentifier()
c = nn4n.internal.nn4n_constants();
names = fieldnames(c);
codes = [];
for k = 1:numel(names)
    if strncmp(names{k}, 'ERR_', 4)
        codes(end + 1) = c.(names{k}); %#ok<AGROW>
    end
end
ids = arrayfun(@nn4n.errorId, codes, 'UniformOutput', false);
expectTrue(numel(unique(ids)) == numel(codes), 'one identifier per status code');
expectTrue(~any(strcmp(ids, 'nn4n:unknownStatus')), 'every code is known');
% raise carries the library's message and the identifier
try
    nn4n.internal.call('nn4n_model_free', uint64(7));
    error('nn4n:test:fail', 'no error');
catch err
    expectTrue(strcmp(err.identifier, 'nn4n:invalidHandle'), 'identifier %s', err.identifier);
    expectTrue(~isempty(strfind(err.message, 'nn4n_model_free')), 'message: %s', err.message);
end
end

function manyBadCallsInARow()
% A burst of failing calls of every kind, then normal use: the process and
% the library are fine (a crash would end the whole suite).
net = nn4n.CTRNN([2 4 1], 'seed', 1, 'training', false);
u = ones(2, 3, 2);
y0 = net.forward(u);
for k = 1:200
    try, net.forward(ones(3, 3, 2)); catch, end %#ok<*NOCOM>
    try, net.forward(NaN(2, 3, 2)); catch, end
    try, nn4n.internal.call('nn4n_model_free', uint64(k)); catch, end
    try, nn4n.internal.call('nn4n_model_get_f64', net.live(), [], 0); catch, end
    try, nn4n.CTRNN.load(''); catch, end
end
expectClose(net.forward(u), y0, 0, 'still computes the same');
end
