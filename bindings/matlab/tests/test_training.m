function tests = test_training()
%TEST_TRAINING train, gradients and loss: learning, finite differences, optimiser state.
tests = {@trainingReducesTheLoss, @chunksEqualOneCall, @optimizerStateIsKept, ...
    @gradientsAreFiniteDifferences, @backwardIsFiniteDifferences, @backwardChecksItsArguments, ...
    @trainedExtrasHaveGradients, @objectiveKinds, ...
    @labelsForSoftmax, @optimizerObjects, @cancelStopsTheNextTrain, @termsInOneCall, ...
    @objectiveAndOptimizerAreKept, @fastPathEqualsFullPath, @fastPathChecksAndFollowsChanges, ...
    @gatewayTrainEntry};
end

function termsInOneCall()
% net.terms() (one nn4n_model_terms call) equals nn4n_model_term_count and
% nn4n_model_term read one by one, after train and after loss (other terms).
[u, tg, mask] = task();
net = nn4n.CTRNN([2 12 1], 'seed', 3);
for where = {'train', 'loss'}
    if strcmp(where{1}, 'train')
        net.train(u, tg, 'mask', mask, 'updates', 2, 'lambda_omega', 1);
    else
        net.loss(u, tg, 'mask', mask);
    end
    t = net.terms();
    f = fieldnames(t);
    [~, n] = nn4n.internal.call('nn4n_model_term_count', net.live(), int64(0));
    expectTrue(numel(f) == double(n) && n >= 2, '%s: %d fields, %d terms', where{1}, numel(f), double(n));
    for k = 1:double(n)
        [~, name, v] = nn4n.internal.call('nn4n_model_term', net.live(), int64(k - 1), blanks(63), int64(64), 0);
        expectTrue(strcmp(regexprep(strtrim(name(:).'), '[^A-Za-z0-9_]', '_'), f{k}) && t.(f{k}) == v, ...
            '%s: term %d is %s = %g, terms() has %s = %g', where{1}, k, strtrim(name(:).'), v, f{k}, t.(f{k}));
    end
end
end

function objectiveAndOptimizerAreKept()
% Calls of one update each equal one call of as many updates: the kept
% objective and optimizer (Adam's moments) carry over, and changing an
% objective key gives a new objective (the loss changes).
[u, tg, mask] = task();
a = nn4n.CTRNN([2 12 1], 'seed', 4);
b = nn4n.CTRNN([2 12 1], 'seed', 4);
for k = 1:5
    ia = a.train(u, tg, 'mask', mask, 'lr', 0.01, 'lambda2_r', 0.1);
end
ib = b.train(u, tg, 'mask', mask, 'lr', 0.01, 'lambda2_r', 0.1, 'updates', 5);
expectTrue(isequal(a.w_rec, b.w_rec) && ia.loss == ib.loss, 'five calls of one update equal one call of five');
l1 = a.loss(u, tg, 'mask', mask, 'lambda2_r', 0.1);
l2 = a.loss(u, tg, 'mask', mask, 'lambda2_r', 10);
expectTrue(l2 > l1, 'a new objective key is applied: loss %g with lambda2_r 0.1, %g with 10', l1, l2);
end

function fastPathEqualsFullPath()
% Repeated train calls with the same options take the fast path (kept
% options, objective, optimizer, term names); options given as a structure
% always take the full path. Both give the same numbers, bit for bit,
% through a sequence that changes the options, the objective, the mask and
% the batch.
[u, tg, mask] = task();
a = nn4n.CTRNN([2 12 1], 'seed', 6);
b = nn4n.CTRNN([2 12 1], 'seed', 6);
steps = {{'mask', mask, 'lr', 0.01, 'lambda2_r', 0.1}, {'mask', mask, 'lr', 0.01, 'lambda2_r', 0.1}, ...
    {'mask', mask, 'lr', 0.01, 'lambda2_r', 0.1}, {'mask', [], 'lr', 0.01, 'lambda2_r', 0.1}, ...
    {'mask', mask, 'lr', 0.02, 'lambda2_r', 0.1}, {'mask', mask, 'lr', 0.02, 'lambda2_r', 0.1}, ...
    {'lr', 0.02}, {'lr', 0.02}, {'lr', 0.02, 'updates', 3, 'chunk', 2}, {'lr', 0.02, 'updates', 3, 'chunk', 2}, ...
    {'lr', single(0.02)}, {'lr', 0.02, 'optimizer', 'sgd'}, {'lr', 0.02, 'optimizer', 'sgd'}};
fast = 0;
for k = 1:numel(steps)
    opts = steps{k};
    uk = u + 0.01 * k;   % a new batch each call
    ia = a.train(uk, tg, opts{:});
    fast = fast + ~isempty(privateField(a, 'TrainCache'));
    ib = b.train(uk, tg, cell2struct(opts(2:2:end), opts(1:2:end), 2));
    expectTrue(isequal(a.w_rec, b.w_rec) && isequal(a.w_out, b.w_out), 'step %d: weights', k);
    expectTrue(isequal(ia, ib), 'step %d: info (loss %.17g and %.17g)', k, ia.loss, ib.loss);
    if k == 3
        a.loss(u, tg, 'lambda2_r', 10);   % replaces the kept objective: the next call
        b.loss(u, tg, 'lambda2_r', 10);   % must not use the freed one
    end
end
% The fast path calls the MEX gateway directly: none with calllib.
expectTrue(fast >= 8 || ~nn4n.internal.call(), 'the fast path was taken (%d of %d calls had it ready)', ...
    fast, numel(steps));
expectTrue(isempty(privateField(b, 'TrainCache')), 'options as a structure never take the fast path');
end

function fastPathChecksAndFollowsChanges()
% The fast path checks the batch as the full path does (same errors), and
% a freed network fails with nn4n:invalidHandle.
[u, tg, mask] = task();
net = nn4n.CTRNN([2 12 1], 'seed', 7);
for k = 1:2
    net.train(u, tg, 'mask', mask, 'lr', 0.01);
end
expectTrue(~isempty(privateField(net, 'TrainCache')) || ~nn4n.internal.call(), 'fast path ready');
expectError(@() net.train(u(1, :, :), tg, 'mask', mask, 'lr', 0.01), 'nn4n:shape');
expectError(@() net.train(u, tg(:, 1:end-1, :), 'mask', mask, 'lr', 0.01), 'nn4n:shape');
expectError(@() net.train(u, tg, 'mask', mask(:, :, 1:end-1), 'lr', 0.01), 'nn4n:shape');
bad = u;
bad(1) = NaN;
expectError(@() net.train(bad, tg, 'mask', mask, 'lr', 0.01), 'nn4n:notFinite');
info = net.train(single(u), tg, 'mask', mask, 'lr', 0.01);   % converted by the full path
expectTrue(isfinite(info.loss) && info.updates == 1, 'single input');
net.free();
expectError(@() net.train(u, tg, 'mask', mask, 'lr', 0.01), 'nn4n:invalidHandle');
end

function gatewayTrainEntry()
% The gateway's '@train' (train's fast path): 1 when probed; st = -1 and
% nothing trained for a batch that is not [I T B] / [O T B] real double;
% else the update and the term values, as train and terms give them.
if ~nn4n.internal.call()
    skip('the calllib branch has no gateway');
end
expectTrue(nn4n.internal.nn4n_mex('@train') == 1, 'probe');
[u, tg, mask] = task();
net = nn4n.CTRNN([2 12 1], 'seed', 8);
ref = nn4n.CTRNN([2 12 1], 'seed', 8);
ref.train(u, tg, 'mask', mask);   % makes the kept objective and optimizer
net.train(u, tg, 'mask', mask);
c = privateField(net, 'TrainCache');
w = net.w_rec;
for bad = {{u(1, :, :), tg, mask}, {u, tg(:, 1:end-1, :), mask}, {u, tg, mask(:, :, 1)}, ...
        {single(u), tg, mask}, {complex(u), tg, mask}, {u, tg, logical(mask)}, {zeros(2, 0, 8), tg, mask}}
    st = nn4n.internal.nn4n_mex('@train', c{10}, c{11}, c{12}, bad{1}{:}, 2, 1, int64(1), zeros(64, 1));
    expectTrue(st == -1, 'st %d for a bad batch', st);
end
expectTrue(isequal(net.w_rec, w), 'nothing trained');
[st, done, values, count] = nn4n.internal.nn4n_mex('@train', c{10}, c{11}, c{12}, u, tg, mask, 2, 1, ...
    int64(1), zeros(64, 1));
info = ref.train(u, tg, 'mask', mask, 'progress', false);   % the full path
t = struct2cell(info.terms);
expectTrue(st == 0 && done == 1 && count == numel(t) && isequal(values(1:count), [t{:}].'), ...
    'the update and its terms, as the full path gives them');
expectTrue(isequal(net.w_rec, ref.w_rec), 'the same weights');
expectError(@() nn4n.internal.nn4n_mex('@train', c{10}), 'nn4n:mex:nargs');
end

function v = privateField(obj, name)
% A private property, read through struct() (tests only).
w = warning('off', 'all');
s = struct(obj);
warning(w);
v = s.(name);
end

function [u, tg, mask] = task()
% A small delayed-response task: output the sign of the first input pulse.
T = 20; B = 8;
u = zeros(2, T, B);
tg = zeros(1, T, B);
mask = zeros(1, T, B);
for b = 1:B
    s = 2 * mod(b, 2) - 1;
    u(1, 2:5, b) = s;
    u(2, :, b) = 1;
    tg(1, 11:end, b) = 0.5 * s;
    mask(1, 11:end, b) = 1;
end
end

function trainingReducesTheLoss()
[u, tg, mask] = task();
net = nn4n.CTRNN([2 16 1], 'activation', 'tanh', 'seed', 2, 'training', false);
L0 = net.loss(u, tg, 'mask', mask);
info = net.train(u, tg, 'mask', mask, 'updates', 150, 'lr', 0.02, 'chunk', 50);
L1 = net.loss(u, tg, 'mask', mask);
expectTrue(info.updates == 150, 'updates %d', info.updates);
expectTrue(L1 < 0.2 * L0, 'loss %g -> %g', L0, L1);
expectTrue(isfinite(info.loss) && isfield(info.terms, 'grad_norm'), 'info');
end

function chunksEqualOneCall()
[u, tg, mask] = task();
a = nn4n.CTRNN([2 8 1], 'seed', 3, 'rec_noise', 0.1);
b = nn4n.CTRNN([2 8 1], 'seed', 3, 'rec_noise', 0.1);
a.train(u, tg, 'mask', mask, 'updates', 6, 'chunk', 6);
b.train(u, tg, 'mask', mask, 'updates', 6, 'chunk', 4);
expectClose(b.w_rec, a.w_rec, 0, 'w_rec (with noise)');
expectClose(b.w_out, a.w_out, 0, 'w_out');
end

function optimizerStateIsKept()
[u, tg, mask] = task();
a = nn4n.CTRNN([2 8 1], 'seed', 4, 'training', false);
b = nn4n.CTRNN([2 8 1], 'seed', 4, 'training', false);
c = nn4n.CTRNN([2 8 1], 'seed', 4, 'training', false);
a.train(u, tg, 'mask', mask, 'updates', 2, 'lr', 0.05);
b.train(u, tg, 'mask', mask, 'updates', 1, 'lr', 0.05);
b.train(u, tg, 'mask', mask, 'updates', 1, 'lr', 0.05);
expectClose(b.w_rec, a.w_rec, 0, 'Adam''s moments are kept between calls');
c.train(u, tg, 'mask', mask, 'updates', 1, 'lr', 0.05);
c.train(u, tg, 'mask', mask, 'updates', 1, 'lr', 0.05, 'reset', true);
expectTrue(max(abs(c.w_rec(:) - a.w_rec(:))) > 0, 'reset forgets them');
c.train(u, tg, 'mask', mask, 'optimizer', 'sgd', 'lr', 0.01);   % switching kind makes a new one
end

function gradientsAreFiniteDifferences()
[u, tg, mask] = task();
u = u(:, 1:12, 1:3); tg = tg(:, 1:12, 1:3); mask = mask(:, 1:12, 1:3);
net = nn4n.CTRNN([2 5 1], 'activation', 'tanh', 'seed', 9, 'training', false);
opts = {'mask', mask, 'lambda_omega', 0, 'lambda2_rec', 0.1, 'lambda2_r', 0.05};
g = net.gradients(u, tg, opts{:});
h = 1e-6;
checks = {'w_in', 3, 2; 'w_rec', 2, 4; 'w_rec', 5, 1; 'w_out', 1, 3};
for k = 1:size(checks, 1)
    key = checks{k, 1}; i = checks{k, 2}; j = checks{k, 3};
    W = net.(key);
    Wp = W; Wp(i, j) = W(i, j) + h;
    Wm = W; Wm(i, j) = W(i, j) - h;
    net.(key) = Wp; Lp = net.loss(u, tg, opts{:});
    net.(key) = Wm; Lm = net.loss(u, tg, opts{:});
    net.(key) = W;
    fd = (Lp - Lm) / (2 * h);
    expectClose(g.(key)(i, j), fd, 1e-7 + 1e-5 * abs(fd), sprintf('d/d %s(%d,%d)', key, i, j));
end
end

function l = vjpLoss(net, u, x0, gy, gr, gx)
% l = <gy, y> + <gr, r> + <gx, x> of a forward pass (what backward differentiates).
[y, r, x] = net.forward(u, 'x0', x0);
l = sum(gy(:) .* y(:)) + sum(gr(:) .* r(:)) + sum(gx(:) .* x(:));
end

function backwardIsFiniteDifferences()
% net.backward (nn4n_model_backward) against central differences of the
% forward pass in float64: parameters of an E/I (Dale, sparse) model, the
% inputs and every trial's initial state.
I = 2; N = 6; O = 2; T = 9; B = 3;
sgn = [ones(N, 4), -ones(N, 2)];
sp = double(mod(reshape(1:N * N, N, N), 5) ~= 0);
net = nn4n.CTRNN([I N O], 'activation', 'tanh', 'seed', 12, 'training', false, 'precision', 'float64', ...
    'biases', 'zero', 'learn_alpha', true, 'tau', 100 ./ (0.2 + 0.1 * (1:N).'), ...
    'ei_masks', {[], sgn, sgn(1:O, :)}, 'sparsity_masks', {[], sp, []});
u = reshape(sin(0.7 * (1:I * T * B)), I, T, B);
x0 = reshape(cos(1:N * B), N, B) / 2;
gy = reshape(cos(0.3 * (1:O * T * B)), O, T, B);
gr = reshape(sin(0.2 * (1:N * T * B)), N, T, B) / 3;
gx = reshape(cos(0.9 * (1:N * T * B)), N, T, B) / 4;
[g, gu, gx0, y] = net.backward(u, 'grad_outputs', gy, 'grad_rates', gr, 'grad_states', gx, 'x0', x0);
expectClose(y, net.forward(u, 'x0', x0), 0, 'the outputs of the pass');
expectTrue(isequal(size(gu), [I T B]) && isequal(size(gx0), [N B]), 'gu %s, gx0 %s', ...
    mat2str(size(gu)), mat2str(size(gx0)));
expectTrue(all(isfield(g, {'w_in', 'w_rec', 'w_out', 'b_in', 'b_rec', 'b_out', 'alpha'})), 'fields');
h = 1e-6;
tol = @(fd) 1e-8 + 1e-6 * abs(fd);
L = @() vjpLoss(net, u, x0, gy, gr, gx);
checks = {'w_in', 3, 2; 'w_rec', 2, 1; 'w_rec', 4, 6; 'w_out', 2, 3; 'b_rec', 5, 1; 'b_in', 1, 1; ...
    'b_out', 2, 1; 'alpha', 3, 1};
nz = 0;
for k = 1:size(checks, 1)
    key = checks{k, 1}; i = checks{k, 2}; j = checks{k, 3};
    W = net.(key);
    Wp = W; Wp(i, j) = W(i, j) + h;
    Wm = W; Wm(i, j) = W(i, j) - h;
    net.(key) = Wp; Lp = L();
    net.(key) = Wm; Lm = L();
    net.(key) = W;
    fd = (Lp - Lm) / (2 * h);
    nz = nz + (abs(fd) > 1e-6);
    expectClose(g.(key)(i, j), fd, tol(fd), sprintf('d/d %s(%d,%d)', key, i, j));
end
expectTrue(nz >= 6, 'only %d of the checked gradients are nonzero', nz);
for c = {[1 1 1], [2 4 2], [1 9 3]}
    ix = c{1};
    up = u; up(ix(1), ix(2), ix(3)) = up(ix(1), ix(2), ix(3)) + h;
    um = u; um(ix(1), ix(2), ix(3)) = um(ix(1), ix(2), ix(3)) - h;
    fd = (vjpLoss(net, up, x0, gy, gr, gx) - vjpLoss(net, um, x0, gy, gr, gx)) / (2 * h);
    expectClose(gu(ix(1), ix(2), ix(3)), fd, tol(fd), sprintf('d/d u%s', mat2str(ix)));
end
for c = {[1 1], [5 2], [6 3]}
    ix = c{1};
    xp = x0; xp(ix(1), ix(2)) = xp(ix(1), ix(2)) + h;
    xm = x0; xm(ix(1), ix(2)) = xm(ix(1), ix(2)) - h;
    fd = (vjpLoss(net, u, xp, gy, gr, gx) - vjpLoss(net, u, xm, gy, gr, gx)) / (2 * h);
    expectClose(gx0(ix(1), ix(2)), fd, tol(fd), sprintf('d/d x0%s', mat2str(ix)));
end
% Without X0 the pass starts from the model's x0, whose gradient (train_x0) is
% the sum over trials of gx0; a missing upstream gradient counts as zero.
net.train_x0 = true;
[g2, ~, gx02] = net.backward(u, 'grad_outputs', gy);
[~, ~, gx03] = net.backward(u, 'grad_outputs', gy, 'x0', repmat(net.x0, 1, B));
expectClose(gx02, gx03, 1e-12, 'gx0 from the model''s x0');
expectClose(g2.x0, sum(gx02, 2), 1e-12, 'g.x0 = sum over trials of gx0');
end

function backwardChecksItsArguments()
net = nn4n.CTRNN([2 4 1], 'seed', 1, 'training', false);
u = ones(2, 5, 3);
expectError(@() net.backward(u, 'grad_outputs', ones(1, 4, 3)), 'nn4n:shape');
expectError(@() net.backward(u, 'grad_rates', ones(3, 5, 3)), 'nn4n:shape');
expectError(@() net.backward(u, 'x0', ones(4, 2)), 'nn4n:shape');
expectError(@() net.backward(u, 'grad_output', ones(1, 5, 3)), 'nn4n:unknownKey');
expectError(@() net.backward(ones(3, 5, 3)), 'nn4n:shape');
expectError(@() net.backward(u, 'grad_outputs', nan(1, 5, 3)), 'nn4n:notFinite');
[g, gu, gx0] = net.backward(u);   % no upstream gradient: every gradient is zero
expectTrue(all(gu(:) == 0) && all(gx0(:) == 0) && all(g.w_rec(:) == 0), 'zero upstream, zero gradients');
end

function trainedExtrasHaveGradients()
[u, tg] = task();
net = nn4n.CTRNN([2 4 1], 'seed', 1, 'learn_alpha', true, 'train_x0', true, 'biases', 'zero', ...
    'training', false);
g = net.gradients(u, tg);
want = {'w_in', 'w_rec', 'w_out', 'b_in', 'b_rec', 'b_out', 'alpha', 'x0'};
expectTrue(all(isfield(g, want)), 'fields: %s', strjoin(fieldnames(g).', ' '));
expectTrue(isequal(size(g.alpha), [4 1]) && isequal(size(g.b_out), [1 1]), 'vector shapes');
end

function objectiveKinds()
[u, tg, mask] = task();
net = nn4n.CTRNN([2 6 1], 'seed', 5, 'training', false);
[L, t] = net.loss(u, tg, 'objective', 'rnnloss', 'lambda_fr', 0.1);
expectTrue(isfield(t, 'mse') && abs(L - t.total) == 0, 'rnnloss terms');
obj = nn4n.Objective('composite');
obj.addTerm('mse', 'lambda', 1, 'masked', 1);
obj.addTerm('fr', 'name', 'rate', 'lambda', 0.5, 'metric', 'l1');
expectTrue(strcmp(obj.kind, 'composite') && strcmp(obj.getText('rate.kind'), 'fr'), 'composite');
expectTrue(strcmp(obj.getText('rate.metric'), 'l1'), 'term key');
[L, t] = net.loss(u, tg, 'mask', mask, 'objective', obj);
expectClose(L, t.mse + t.rate, 1e-12, 'composite total: the sum of the (weighted) terms');
obj.set('rate.lambda', 1);
[~, t1] = net.loss(u, tg, 'mask', mask, 'objective', obj);
expectClose(t1.rate, 2 * t.rate, 1e-12, 'terms are reported weighted by their lambda');
obj.set('rate.lambda', 0);
[L2, t2] = net.loss(u, tg, 'mask', mask, 'objective', obj);
expectTrue(~isfield(t2, 'rate') && abs(L2 - t.mse) < 1e-12, 'a lambda-0 term is dropped');
sy = nn4n.Objective('songyang', 'lambda_omega', 0);
expectTrue(sy.get('lambda_omega') == 0 && strcmp(sy.getText('head'), 'squared'), 'songyang keys');
[~, t] = net.loss(u, tg, 'objective', sy);
expectTrue(~isfield(t, 'omega'), 'omega off');
end

function labelsForSoftmax()
T = 6; B = 4;
u = reshape(sin(1:2*T*B), 2, T, B);
labels = repmat([1 2 3 0 1 2].', 1, B);   % 1-based classes, 0 = ignore
net = nn4n.CTRNN([2 8 3], 'head', 'softmax', 'seed', 2, 'training', false);
[L0, t] = net.loss(u, [], 'labels', labels, 'head', 'softmax_ce');
expectTrue(isfinite(L0) && L0 > 0, 'cross-entropy %g', L0);
net.train(u, [], 'labels', labels, 'head', 'softmax_ce', 'updates', 300, 'lr', 0.05, 'chunk', 100);
L1 = net.loss(u, [], 'labels', labels, 'head', 'softmax_ce');
expectTrue(L1 < L0, 'cross-entropy decreases %g -> %g', L0, L1);
y = net.forward(u);
[~, cls] = max(y(:, 1:3, 1));
expectTrue(isequal(cls(:).', [1 2 3]), 'learns the labelled classes (1-based)');
expectTrue(isfield(t, 'task'), 'terms');
end

function optimizerObjects()
[u, tg, mask] = task();
opt = nn4n.Optimizer('sgd', 'lr', 0.1, 'max_norm', 0.5);
expectTrue(strcmp(opt.kind, 'sgd') && opt.get('lr') == 0.1 && opt.get('max_norm') == 0.5, 'keys');
net = nn4n.CTRNN([2 6 1], 'seed', 5, 'training', false);
L0 = net.loss(u, tg, 'mask', mask);
net.train(u, tg, 'mask', mask, 'optimizer', opt, 'updates', 20);
expectTrue(net.loss(u, tg, 'mask', mask) < L0, 'sgd learns');
opt.set('lr', 0.2);
expectTrue(opt.get('lr') == 0.2, 'set');
opt.reset();
adam = nn4n.Optimizer('adam', 'beta1', 0.8);
expectTrue(abs(adam.get('beta1') - 0.8) < 1e-15 && adam.get('eps') == 1e-8, 'adam keys');
end

function cancelStopsTheNextTrain()
[u, tg] = task();
net = nn4n.CTRNN([2 6 1], 'seed', 5);
net.cancel();
expectError(@() net.train(u, tg, 'updates', 5), 'nn4n:cancelled');
info = net.train(u, tg, 'updates', 2);   % the request was consumed
expectTrue(info.updates == 2, 'trains again');
end
