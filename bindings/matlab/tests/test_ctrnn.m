function tests = test_ctrnn()
%TEST_CTRNN nn4n.CTRNN against a hand computation of the equations, and its properties.
tests = {@forwardIsTheEquations, @headsAndActivations, @stepReproducesForward, ...
    @batchIsTheLastDimension, @settingsRoundTrip, @arraysRoundTrip, @masksAndDaleModes, ...
    @constructorOptions, @alphaFromDtTau, @float32IsClose, @noiseFollowsSeedAndTraining, ...
    @spectralRadiusAndReinitialize, @fromStructureInstallsMasks, @displayWorks};
end

function net = handNet(activation)
net = nn4n.CTRNN([2 4 3], 'activation', activation, 'training', false);
net.w_in = reshape(1:8, 4, 2) / 10 - 0.3;
net.w_rec = [0.1 -0.2 0.3 0; 0.05 0.1 -0.1 0.2; -0.3 0.2 0.1 0.1; 0.2 0 -0.1 0.05];
net.w_out = reshape(1:12, 3, 4) / 20 - 0.25;
net.train_bias_in = true;
net.train_bias_rec = true;
net.train_bias_out = true;
net.b_in = [0.1; -0.1; 0.05; 0];
net.b_rec = [0; 0.02; -0.03; 0.01];
net.b_out = [0.1; 0; -0.1];
net.alpha = [0.1; 0.2; 0.5; 1];
net.x0 = [0.3; -0.2; 0.1; 0.4];
end

function f = act(name)
switch name
    case 'relu', f = @(x) max(x, 0);
    case 'tanh', f = @tanh;
    case 'sigmoid', f = @(x) 1 ./ (1 + exp(-x));
    case 'retanh', f = @(x) max(tanh(x), 0);
    case 'softplus', f = @(x) log1p(exp(x));
    case 'linear', f = @(x) x;
end
end

function [y, r, x] = byHand(net, u, f, g)
% The model's equations (DESIGN.md), written out: weights (post, pre).
[~, T, B] = size(u);
N = net.n_hid;
Win = net.w_in; Wrec = net.w_rec; Wout = net.w_out;
a = net.alpha;
y = zeros(net.n_out, T, B); r = zeros(N, T, B); x = zeros(N, T, B);
for b = 1:B
    xt = net.x0;
    for t = 1:T
        xt = (1 - a) .* xt + a .* (Wrec * f(xt) + net.b_rec + Win * u(:, t, b) + net.b_in);
        x(:, t, b) = xt;
        r(:, t, b) = f(xt);
        y(:, t, b) = g(Wout * f(xt) + net.b_out);
    end
end
end

function forwardIsTheEquations()
u = reshape(sin(1:2*6*3), 2, 6, 3);
for name = {'relu', 'tanh', 'sigmoid', 'retanh', 'softplus', 'linear'}
    net = handNet(name{1});
    expectTrue(strcmp(net.activation, name{1}), 'activation %s', net.activation);
    [y, r, x] = net.forward(u);
    [y2, r2, x2] = byHand(net, u, act(name{1}), @(z) z);
    expectClose(y, y2, 1e-12, ['y ' name{1}]);
    expectClose(r, r2, 1e-12, ['r ' name{1}]);
    expectClose(x, x2, 1e-12, ['x ' name{1}]);
end
end

function headsAndActivations()
u = reshape(cos(1:2*5*2), 2, 5, 2);
net = handNet('tanh');
net.head = 'sigmoid';
y = net.forward(u);
expectClose(y, byHand(net, u, @tanh, @(z) 1 ./ (1 + exp(-z))), 1e-12, 'sigmoid head');
net.head = 'softmax';
y = net.forward(u);
sm = @(z) exp(z - max(z)) ./ sum(exp(z - max(z)));
expectClose(y, byHand(net, u, @tanh, sm), 1e-12, 'softmax head');
expectClose(sum(y, 1), ones(1, 5, 2), 1e-12, 'softmax sums to 1');
end

function stepReproducesForward()
net = nn4n.CTRNN([3 7 2], 'seed', 4, 'training', false, 'activation', 'tanh');
u = reshape(sin(0.7 * (1:3*8*4)), 3, 8, 4);
[y, r, x] = net.forward(u);
xs = repmat(net.x0, 1, 4);
for t = 1:8
    [xs, rs, ys] = net.step(xs, squeeze(u(:, t, :)));
    expectClose(xs, squeeze(x(:, t, :)), 1e-12, sprintf('x at %d', t));
    expectClose(rs, squeeze(r(:, t, :)), 1e-12, sprintf('r at %d', t));
    expectClose(ys, squeeze(y(:, t, :)), 1e-12, sprintf('y at %d', t));
end
xs = net.step(net.x0, u(:, 1, 1));   % one state, no rates or outputs asked
expectClose(xs, x(:, 1, 1), 1e-12, 'single state');
% A model without inputs steps without u.
n0 = nn4n.CTRNN([0 5 1], 'seed', 1, 'training', false);
[xa, ~, ya] = n0.step(repmat(n0.x0, 1, 2));
[yb, ~, xb] = n0.forward(zeros(0, 1, 2));
expectClose(xa, squeeze(xb), 1e-12, 'no-input step state');
expectClose(ya, squeeze(yb).', 1e-12, 'no-input step output');
end

function batchIsTheLastDimension()
% [I T B]: trials are independent slices along the 3rd dimension, steps along
% the 2nd (the library's row-major B-by-T-by-I array, with no copy).
net = nn4n.CTRNN([2 6 3], 'seed', 8, 'training', false);
u = reshape(sin(0.37 * (1:2*9*5)), 2, 9, 5);
y = net.forward(u);
expectTrue(isequal(size(y), [3 9 5]), 'y is [O T B]');
for b = 1:5
    yb = net.forward(u(:, :, b));
    expectTrue(isequal(size(yb), [3 9]), 'one trial gives [O T]');
    expectClose(yb, y(:, :, b), 0, sprintf('trial %d alone', b));
end
y4 = net.forward(u(:, 1:4, :));
expectClose(y4, y(:, 1:4, :), 0, 'the first 4 steps do not depend on later ones');
end

function settingsRoundTrip()
net = nn4n.CTRNN([1 5 2]);
expectTrue(isequal(net.dims, [1 5 2]) && net.n_in == 1 && net.n_hid == 5 && net.n_out == 2, 'dims');
texts = {'activation', {'relu', 'tanh', 'sigmoid', 'retanh', 'softplus', 'linear'}; ...
    'head', {'linear', 'sigmoid', 'softmax'}; 'dale', {'rectify', 'abs', 'clip'}; ...
    'init', {'uniform', 'normal', 'zero', 'pycog'}; 'precision', {'float32', 'float64'}};
for k = 1:size(texts, 1)
    for v = texts{k, 2}
        net.(texts{k, 1}) = v{1};
        expectTrue(strcmp(net.(texts{k, 1}), v{1}), '%s = %s', texts{k, 1}, net.(texts{k, 1}));
    end
end
net.precision = 'single';
expectTrue(strcmp(net.precision, 'float32'), 'single is float32');
net.precision = 'double';
nums = {'pre_noise', 0.1; 'rec_noise', 0.15; 'post_noise', 0.05; 'input_baseline', 0.2; ...
    'input_noise', 0.01; 'input_alpha', 0.2; 'spectral_radius', 1.5; 'seed', 12345};
for k = 1:size(nums, 1)
    net.(nums{k, 1}) = nums{k, 2};
    expectClose(net.(nums{k, 1}), nums{k, 2}, 0, nums{k, 1});
end
flags = {'learn_alpha', 'train_x0', 'train_bias_in', 'train_bias_rec', 'train_bias_out', 'balance', 'training'};
for k = 1:numel(flags)
    net.(flags{k}) = true;
    expectTrue(islogical(net.(flags{k})) && net.(flags{k}), '%s true', flags{k});
    net.(flags{k}) = false;
    expectTrue(~net.(flags{k}), '%s false', flags{k});
end
end

function arraysRoundTrip()
net = nn4n.CTRNN([3 4 2], 'seed', 2);
W = reshape(1:12, 4, 3) / 10;
net.w_in = W;
expectClose(net.w_in, W, 0, 'w_in (post, pre)');
expectClose(net.w_in_eff, W, 0, 'no mask, no sign: effective = raw');
R = magic(4) / 10;
net.w_rec = R;
expectClose(net.w_rec, R, 0, 'w_rec');
net.w_out = [1 2 3 4; 5 6 7 8] / 10;
expectClose(net.w_out, [1 2 3 4; 5 6 7 8] / 10, 0, 'w_out');
net.alpha = 0.3;
expectClose(net.alpha, 0.3 * ones(4, 1), 1e-15, 'scalar alpha');
net.alpha = [0.1 0.2 0.3 0.4];
expectClose(net.alpha, [0.1; 0.2; 0.3; 0.4], 0, 'alpha vector (row given)');
net.x0 = 0.1;
expectClose(net.x0, 0.1 * ones(4, 1), 0, 'scalar x0');
net.x0 = [1; 2; 3; 4] / 10;
expectClose(net.x0, [1; 2; 3; 4] / 10, 0, 'x0');
net.b_out = [0.5; -0.5];
expectClose(net.b_out, [0.5; -0.5], 0, 'b_out');
expectClose(net.mask_rec, ones(4), 0, 'absent mask reads as ones');
expectClose(net.plasticity_in, ones(4, 3), 0, 'absent plasticity reads as ones');
expectTrue(isempty(net.sign_rec), 'absent sign mask is empty');
P = [0 0.5 1 1; 1 1 1 1; 0.25 1 1 1; 1 1 1 0];
net.plasticity_rec = P;
expectClose(net.plasticity_rec, P, 0, 'plasticity (no min-max normalisation)');
net.plasticity_rec = [];
expectClose(net.plasticity_rec, ones(4), 0, 'plasticity removed');
end

function masksAndDaleModes()
W = [0.5 -0.4 0.3 -0.2; -0.1 0.2 -0.3 0.4; 0.6 0.1 -0.5 0.2; -0.2 -0.3 0.1 0.7];
M = ones(4) - eye(4);
S = repmat([1 1 -1 -1], 4, 1);
net = nn4n.CTRNN([1 4 1], 'seed', 1);
net.mask_rec = M;
expectClose(net.mask_rec, M, 0, 'mask');
net.w_rec = W;
expectClose(net.w_rec_eff, M .* W, 0, 'sparsity mask');
net.sign_rec = [1 1 -1 -1];           % one sign per presynaptic unit
expectClose(net.sign_rec, S, 0, 'per-unit signs become the (post, pre) mask');
net.dale = 'rectify';
net.w_rec = W;
expectClose(net.w_rec_eff, max(M .* W, 0) .* S, 0, 'rectify: [M.*W]_+ .* S');
net.dale = 'abs';
expectClose(net.w_rec_eff, abs(M .* W) .* S, 0, 'abs: |M.*W| .* S');
net.dale = 'clip';
net.w_rec = W;
expectTrue(all(all(net.w_rec .* S >= 0)), 'clip projects the raw weights onto the signs');
expectClose(net.w_rec_eff, net.w_rec .* M, 0, 'clip: effective = projected raw');
net.mask_rec = [];
expectClose(net.mask_rec, ones(4), 0, 'mask removed');
net.sign_rec = [];
expectTrue(isempty(net.sign_rec), 'signs removed');
end

function constructorOptions()
Win = reshape(1:6, 3, 2) / 10;
Wrec = 0.1 * (ones(3) - 2 * eye(3));
Wout = [0.1 0.2 0.3];
net = nn4n.CTRNN([2 3 1], 'weights', {Win, Wrec, Wout}, 'biases', {'zero', [0.1; 0.2; 0.3], 'none'}, ...
    'activation', 'tanh', 'preact_noise', 0.1, 'rec_noise', 0.2, 'postact_noise', 0.3, ...
    'init_state', [0.1; 0.2; 0.3], 'learn_alpha', true, 'training', false, 'dale', 'abs', 'head', 'sigmoid');
expectClose(net.w_in, Win, 0, 'w_in');
expectClose(net.w_rec, Wrec, 0, 'w_rec');
expectClose(net.w_out, Wout, 0, 'w_out');
expectClose(net.b_rec, [0.1; 0.2; 0.3], 0, 'b_rec');
expectTrue(net.train_bias_in && net.train_bias_rec && ~net.train_bias_out, 'bias flags');
expectClose([net.pre_noise net.rec_noise net.post_noise], [0.1 0.2 0.3], 0, 'noises');
expectClose(net.x0, [0.1; 0.2; 0.3], 0, 'init_state');
expectTrue(net.learn_alpha && ~net.training, 'flags');
expectTrue(strcmp(net.dale, 'abs') && strcmp(net.head, 'sigmoid') && strcmp(net.activation, 'tanh'), 'names');
% Masks given at construction are in place before the weights are drawn.
M = ones(5) - eye(5);
S = repmat([1 1 1 -1 -1], 5, 1);
net = nn4n.CTRNN([1 5 1], 'sparsity_masks', {[], M, []}, 'ei_masks', {[], S, []}, 'seed', 3, ...
    'weights', 'pycog');
expectTrue(all(diag(net.w_rec_eff) == 0), 'no autapses');
E = net.w_rec_eff;
expectTrue(all(all(E(:, 1:3) >= 0)) && all(all(E(:, 4:5) <= 0)), 'Dale');
expectTrue(nnz(E .* M) > 10, 'pycog init under Dale starts most allowed synapses alive');
expectTrue(strcmp(net.init, 'pycog'), 'init scheme');
net2 = nn4n.CTRNN([1 5 1], 'sparsity_masks', {[], M, []}, 'ei_masks', {[], S, []}, 'seed', 3, ...
    'init', 'pycog');
expectClose(net2.w_rec, net.w_rec, 0, 'init is weights'' scheme alias; same seed, same weights');
end

function alphaFromDtTau()
net = nn4n.CTRNN([1 4 1], 'dt', 20, 'tau', 100);
expectClose(net.alpha, 0.2 * ones(4, 1), 1e-15, 'dt/tau');
net = nn4n.CTRNN([1 4 1], 'tau', [50; 100; 200; 400]);
expectClose(net.alpha, 10 ./ [50; 100; 200; 400], 1e-15, 'per-unit tau, nn4n dt 10');
net = nn4n.CTRNN([1 4 1], 'alpha', 0.5);
expectClose(net.alpha, 0.5 * ones(4, 1), 0, 'alpha');
net = nn4n.CTRNN([1 4 1]);
expectClose(net.alpha, 0.1 * ones(4, 1), 1e-15, 'nn4n default 10/100');
expectError(@() nn4n.CTRNN([1 4 1], 'alpha', 0.5, 'dt', 10), 'nn4n:invalidArgument');
expectError(@() nn4n.CTRNN([1 4 1], 'alpha', 2), 'nn4n:range');
end

function float32IsClose()
u = reshape(sin(1:2*10*3), 2, 10, 3);
a = nn4n.CTRNN([2 8 2], 'seed', 5, 'training', false, 'activation', 'tanh');
b = nn4n.CTRNN([2 8 2], 'seed', 5, 'training', false, 'activation', 'tanh', 'precision', 'float32');
expectTrue(strcmp(b.precision, 'float32'), 'precision');
ya = a.forward(u);
yb = b.forward(u);
expectClose(yb, ya, 1e-5, 'float32 forward');
expectTrue(isa(yb, 'double'), 'arrays cross as double');
end

function noiseFollowsSeedAndTraining()
u = ones(1, 20, 2);
a = nn4n.CTRNN([1 10 1], 'seed', 7, 'rec_noise', 0.2);
b = nn4n.CTRNN([1 10 1], 'seed', 7, 'rec_noise', 0.2);
c = nn4n.CTRNN([1 10 1], 'seed', 8, 'rec_noise', 0.2);
expectTrue(a.training, 'a new model is in training mode');
ya = a.forward(u);
expectClose(b.forward(u), ya, 0, 'same seed, same noise');
expectTrue(any(abs(ya(:, :, 1) - ya(:, :, 2)) > 0), 'trials get different noise');
c.w_in = a.w_in; c.w_rec = a.w_rec; c.w_out = a.w_out;
yc = c.forward(u);
expectTrue(max(abs(yc(:) - ya(:))) > 0, 'another seed, other noise');
a.training = false;
y1 = a.forward(u);
expectClose(y1(:, :, 1), y1(:, :, 2), 0, 'evaluation mode has no noise');
end

function spectralRadiusAndReinitialize()
net = nn4n.CTRNN([1 12 1], 'seed', 21);
W0 = net.w_rec;
expectClose(net.spectralRadius(), max(abs(eig(net.w_rec_eff))), 1e-10, 'spectral radius');
net.w_rec = zeros(12);
expectClose(net.spectralRadius(), 0, 0, 'zero weights');
net.reinitialize();
expectClose(net.w_rec, W0, 0, 'reinitialize redraws from the seed');
net.spectral_radius = 0.9;
net.reinitialize();
expectClose(net.spectralRadius(), 0.9, 1e-8, 'rescaled to spectral_radius');
end

function fromStructureInstallsMasks()
s = nn4n.MultiAreaEI([2 20 2], 'n_areas', 2, 'seed', 4, 'input_areas', 1, 'readout_areas', 2);
net = nn4n.CTRNN(s, 'seed', 6, 'activation', 'tanh');
expectTrue(isequal(net.dims, [2 20 2]), 'dims from the structure');
expectClose(net.mask_rec, s.hidden_mask, 0, 'mask_rec');
expectClose(net.mask_in, s.input_mask, 0, 'mask_in');
expectClose(net.sign_rec, s.hidden_sign, 0, 'sign_rec');
E = net.w_rec_eff;
exc = s.units('excitatory');
inh = s.units('inhibitory');
expectTrue(all(all(E(:, exc) >= 0)) && all(all(E(:, inh) <= 0)), 'Dale holds');
expectTrue(all(E(s.hidden_mask == 0) == 0), 'sparsity holds');
expectTrue(strcmp(net.activation, 'tanh'), 'options apply');
end

function displayWorks()
net = nn4n.CTRNN([1 3 1]);
txt = evalc('disp(net)');
expectTrue(~isempty(strfind(txt, '[1 3 1]')), 'disp: %s', txt);
net.free();
txt = evalc('disp(net)');
expectTrue(~isempty(strfind(txt, 'freed')), 'disp of a freed network');
s = nn4n.MultiArea([1 6 1]);
txt = evalc('disp(s)');
expectTrue(~isempty(strfind(txt, 'multi_area')), 'structure disp');
end
