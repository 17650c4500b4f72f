function tests = test_reference()
%TEST_REFERENCE The binding gives the values reference.c computes through the C ABI.
%   Same seeds, same thread count (1): weights, forward, step, gradients,
%   loss, train and structure masks must agree to the last bit; the shapes
%   check the orientation conventions (weights (post, pre), sequences [X T B]).
tests = {@weightsAreTheLibrarys, @forwardMatches, @forwardWithTrialX0, @stepMatches, ...
    @gradientsMatch, @lossMatches, @trainMatches, @structureMatches, @taskConditionsMatch, ...
    @psychometricMatches};
end

function net = model()
net = nn4n.CTRNN([3 6 2], 'activation', 'tanh', 'seed', 11, 'training', false);
end

function weightsAreTheLibrarys()
ref = reference();
net = model();
expectClose(net.w_in, refMatrix(ref.w_in), 0, 'w_in');
expectClose(net.w_rec, refMatrix(ref.w_rec), 0, 'w_rec');
expectClose(net.w_out, refMatrix(ref.w_out), 0, 'w_out');
expectClose(net.alpha, refMatrix(ref.alpha), 0, 'alpha');
expectClose(net.x0, refMatrix(ref.x0), 0, 'x0');
expectTrue(isequal(size(net.w_in), [6 3]), 'w_in is N-by-I');
expectTrue(isequal(size(net.w_out), [2 6]), 'w_out is O-by-N');
end

function u = inputs(ref)
% The row-major B-by-T-by-I array of reference.c is the MATLAB [I T B] array.
u = reshape(ref.u.v, 3, 5, 2);
% Spot-check the claim with the generating formula: u[(b*T+t)*I+i] = sin(0.3k+0.1).
expectClose(u(2, 4, 2), sin(0.3 * (((2 - 1) * 5 + (4 - 1)) * 3 + (2 - 1)) + 0.1), 1e-15, 'layout');
end

function forwardMatches()
ref = reference();
net = model();
[y, r, x] = net.forward(inputs(ref));
expectClose(y, reshape(ref.y.v, 2, 5, 2), 0, 'y');
expectClose(r, reshape(ref.r.v, 6, 5, 2), 0, 'r');
expectClose(x, reshape(ref.x.v, 6, 5, 2), 0, 'x');
y1 = net.forward(inputs(ref));
expectClose(y1, y, 0, 'y with one output');
end

function forwardWithTrialX0()
ref = reference();
net = model();
x0 = reshape(ref.x0b.v, 6, 2);   % row-major B-by-N = MATLAB N-by-B
y = net.forward(inputs(ref), 'x0', x0);
expectClose(y, reshape(ref.y_x0b.v, 2, 5, 2), 0, 'y');
end

function stepMatches()
ref = reference();
net = model();
u = inputs(ref);
[x, r, y] = net.step(repmat(net.x0, 1, 2), squeeze(u(:, 1, :)));
expectClose(x, reshape(ref.step_x.v, 6, 2), 0, 'x');
expectClose(r, reshape(ref.step_r.v, 6, 2), 0, 'r');
expectClose(y, reshape(ref.step_y.v, 2, 2), 0, 'y');
end

function [u, tg, mask] = batch(ref)
u = inputs(ref);
tg = reshape(ref.target.v, 2, 5, 2);
mask = reshape(ref.mask.v, 2, 5, 2);
expectTrue(all(all(mask(:, 1:2, :) == 0)) && all(all(mask(:, 3:5, :) == 1)), 'mask layout');
end

function gradientsMatch()
ref = reference();
net = model();
[u, tg, mask] = batch(ref);
[g, terms] = net.gradients(u, tg, 'mask', mask, 'lambda2_r', 0.1);
expectClose(g.w_in, refMatrix(ref.g_w_in), 0, 'g.w_in');
expectClose(g.w_rec, refMatrix(ref.g_w_rec), 0, 'g.w_rec');
expectClose(g.w_out, refMatrix(ref.g_w_out), 0, 'g.w_out');
expectClose(terms.total, ref.gterm__total.v, 0, 'total');
expectClose(terms.omega, ref.gterm__omega.v, 0, 'omega');
expectClose(terms.l2_rate, ref.gterm__l2_rate.v, 0, 'l2_rate');
expectTrue(isequal(sort(fieldnames(g)), sort({'w_in'; 'w_rec'; 'w_out'})), 'trained parameters');
end

function lossMatches()
ref = reference();
net = model();
[u, tg, mask] = batch(ref);
obj = nn4n.Objective('songyang', 'lambda2_r', 0.1);
[total, terms, y] = net.loss(u, tg, 'mask', mask, 'objective', obj);
expectClose(total, ref.lterm__total.v, 0, 'total');
expectClose(terms.rmse, ref.lterm__rmse.v, 0, 'rmse');
expectClose(y, reshape(ref.y.v, 2, 5, 2), 0, 'y');
end

function trainMatches()
ref = reference();
net = model();
[u, tg, mask] = batch(ref);
% reference.c takes a gradient and a loss first; neither changes the model.
net.gradients(u, tg, 'mask', mask, 'lambda2_r', 0.1);
info = net.train(u, tg, 'updates', 3, 'lambda2_r', 0.1, 'optimizer', 'adam', 'lr', 0.01, 'chunk', 2);
expectTrue(info.updates == ref.train_done.v, 'updates done');
expectClose(net.w_rec, refMatrix(ref.trained_w_rec), 0, 'w_rec after train');
expectClose(net.w_out, refMatrix(ref.trained_w_out), 0, 'w_out after train');
expectClose(info.loss, ref.tterm__total.v, 0, 'total');
expectClose(info.terms.grad_norm, ref.tterm__grad_norm.v, 0, 'grad_norm');
end

function structureMatches()
ref = reference();
s = nn4n.MultiAreaEI([2 12 1], 'n_areas', 2, 'seed', 5, 'input_areas', 1, 'readout_areas', 2);
[Min, Mrec, Mout] = s.masks();
expectClose(Min, refMatrix(ref.s_input_mask), 0, 'input_mask');
expectClose(Mrec, refMatrix(ref.s_hidden_mask), 0, 'hidden_mask');
expectClose(Mout, refMatrix(ref.s_readout_mask), 0, 'readout_mask');
expectClose(s.hidden_sign, refMatrix(ref.s_hidden_sign), 0, 'hidden_sign');
expectClose(s.unit_sign, refMatrix(ref.s_unit_sign), 0, 'unit_sign');
net = nn4n.CTRNN(s, 'seed', 9);
expectClose(net.w_rec_eff, refMatrix(ref.s_w_rec_eff), 0, 'w_rec_eff');
expectClose(net.w_in_eff, refMatrix(ref.s_w_in_eff), 0, 'w_in_eff');
end

function taskConditionsMatch()
% mante trials made from a conditions table (a catch row last), seed 7.
ref = reference();
task = nn4n.Task('mante');
C = refMatrix(ref.mante_request);
b = task.sampleConditions(C, 'seed', 7);
B = ref.mante_input.rows;
I = task.get('inputs');
O = task.get('outputs');
T = ref.mante_input.cols / I;
expectTrue(B == 5 && size(C, 1) == B, 'one trial per row');
expectClose(b.input, reshape(ref.mante_input.v, I, T, B), 0, 'input');
expectClose(b.target, reshape(ref.mante_target.v, O, T, B), 0, 'target');
expectClose(b.mask, reshape(ref.mante_mask.v, O, T, B), 0, 'mask');
expectClose(b.conditions, refMatrix(ref.mante_conditions), 0, 'conditions');
expectClose(b.steps, b.conditions(:, 14), 0, 'steps');
% The request's stimulus columns come back; the task set choice and steps.
cols = [1 3:13];
expectClose(b.conditions(:, cols), C(:, cols), 0, 'stimulus columns as asked');
expectClose(b.conditions(:, 2), [0; 1; 1; 1; -1], 0, 'choice (0-based, -1 for the catch trial)');
end

function psychometricMatches()
% rdm_dense at 5 signed coherences, synthetic outputs: the curve and its fit.
ref = reference();
task = nn4n.Task('rdm_dense');
b = task.sampleConditions(refMatrix(ref.psy_request), 'seed', 8);
[O, T, B] = size(b.target);
y = reshape(ref.psy_y.v, O, T, B);   % the row-major B-by-T-by-O outputs
p = task.psychometric(y);
expectClose([p.x p.n p.k], refMatrix(ref.psy_table), 0, 'table (x, n, k)');
expectClose([p.fit.mu p.fit.sigma p.fit.mu_se p.fit.sigma_se], refMatrix(ref.psy_fit), 0, 'fit');
expectClose(p.k.', [0 2 4 6 8], 0, 'choices of output 1 rise with coherence');
p2 = task.psychometric(y, 'fit', false);
expectTrue(~isfield(p2, 'fit') && isequal([p2.x p2.n p2.k], [p.x p.n p.k]), 'fit false: the table alone');
end
