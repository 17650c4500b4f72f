%MULTIAREA_EI_RDM A two-area E/I network trained on random-dot motion discrimination.
%
%   Song, Yang & Wang (2016)'s RDM task, solved by a network of two areas
%   (a sensory area that receives the motion evidence and a motor area that
%   is read out), each with 80% excitatory and 20% inhibitory units under
%   Dale's law (pycog's rectified weights). The network is trained with
%   Adam on fresh minibatches from nn4n.Task, scored on pycog's balanced
%   validation set, saved as .npz, and plotted: the effective recurrent
%   weights (post, pre), the training curve, and the outputs of a few
%   validation trials.
%
%   Run from this folder, in MATLAB or GNU Octave:
%     multiarea_ei_rdm
%   The nn4n binding must be on the path (bindings/matlab); this script adds
%   it when run from the repository. Environment:
%     NN4N_EXAMPLE_QUICK=1   a few updates only (the test suite's smoke run)
%     NN4N_EXAMPLE_OUT=dir   where the figures and the model go (default: ./out)
%   Plots are written as PNG files; in Octave without a display the gnuplot
%   toolkit is used, and plotting is skipped when no toolkit is available.

here = fileparts(mfilename('fullpath'));
if isempty(here)
    here = pwd;
end
if ~exist('nn4n.CTRNN', 'class') && exist(fullfile(here, '..', '..', 'bindings', 'matlab'), 'dir')
    addpath(fullfile(here, '..', '..', 'bindings', 'matlab'));
end
quick = strcmp(getenv('NN4N_EXAMPLE_QUICK'), '1');
outdir = getenv('NN4N_EXAMPLE_OUT');
if isempty(outdir)
    outdir = fullfile(here, 'out');
end
if ~exist(outdir, 'dir')
    mkdir(outdir);
end

%% The task: pycog's rdm_dense (dt = 20 ms); inputs [I T B], outputs [O T B].
task = nn4n.Task('rdm_dense', 'dt', 20);
I = task.get('inputs');
O = task.get('outputs');
N = 100;

%% The network: two areas, E/I, input to area 1, readout from area 2 (E only).
s = nn4n.MultiAreaEI([I N O], 'n_areas', 2, 'area_names', {'sensory', 'motor'}, ...
    'area_connectivities', [0.2 0.2 1], 'input_areas', 1, 'readout_areas', 2, ...
    'exc_pct', 0.8, 'inh_readout', false, 'seed', 1);
net = nn4n.CTRNN(s, 'activation', 'relu', 'dt', 20, 'tau', 100, 'rec_noise', 0.15, ...
    'weights', 'pycog', 'seed', 2);
fprintf('%s areas: %s (units %d-%d), %s (units %d-%d)\n', 'two', s.areaName(1), ...
    min(s.units('area', 1)), max(s.units('area', 1)), s.areaName(2), ...
    min(s.units('area', 2)), max(s.units('area', 2)));
disp(net);

%% Training: Adam on fresh minibatches of 20 trials.
nupdates = 800;
if quick
    nupdates = 6;
end
valid = task.sample(task.get('n_conditions') * 2, 'kind', 'validation', 'seed', 1000);
curve = zeros(0, 3);
t0 = tic;
for k = 1:nupdates
    b = task.sample(20, 'seed', k);
    info = net.train(b.input, b.target, 'mask', b.mask, 'optimizer', 'adam', 'lr', 0.01, ...
        'max_norm', 1);
    if mod(k, 100) == 0 || k == nupdates
        net.training = false;
        y = net.forward(valid.input);
        net.training = true;
        % task.score scores the sample drawn last: draw the validation set again.
        task.sample(size(valid.input, 3), 'kind', 'validation', 'seed', 1000);
        pc = task.score(y, 'percent_correct');
        curve(end + 1, :) = [k, info.loss, pc]; %#ok<SAGROW>
        fprintf('update %4d  loss %.4f  validation %5.1f%% correct  (%.1fs)\n', k, info.loss, pc, toc(t0));
    end
end

%% Dale's law holds in the trained network.
E = net.w_rec_eff;
exc = s.units('excitatory');
inh = s.units('inhibitory');
assert(all(all(E(:, exc) >= 0)) && all(all(E(:, inh) <= 0)), 'Dale''s law is violated');
fprintf('Dale''s law holds: %d excitatory, %d inhibitory units\n', numel(exc), numel(inh));

model = fullfile(outdir, 'multiarea_ei_rdm.npz');
net.save(model);
fprintf('saved %s (numpy.load and Python''s nn4n read it)\n', model);

%% Plots (PNG files).
canPlot = true;
if exist('OCTAVE_VERSION', 'builtin')
    tk = available_graphics_toolkits();
    if any(strcmp(tk, 'gnuplot')) && (isempty(getenv('DISPLAY')) || ~any(strcmp(tk, 'qt')))
        warning('off', 'Octave:gnuplot-graphics');
        graphics_toolkit('gnuplot');
    elseif isempty(tk)
        canPlot = false;
    end
end
if ~canPlot
    fprintf('no graphics toolkit: plots skipped\n');
    return
end
fig = figure('visible', 'off');
imagesc(E);
axis square;
colorbar;
title('effective W_{rec} (post, pre)');
xlabel('presynaptic unit');
ylabel('postsynaptic unit');
print(fig, fullfile(outdir, 'weights.png'), '-dpng');
close(fig);

fig = figure('visible', 'off');
subplot(2, 1, 1);
plot(curve(:, 1), curve(:, 2), 'o-');
ylabel('training loss');
subplot(2, 1, 2);
plot(curve(:, 1), curve(:, 3), 'o-');
ylabel('% correct');
xlabel('update');
print(fig, fullfile(outdir, 'training.png'), '-dpng');
close(fig);

net.training = false;
[y, r] = net.forward(valid.input);
fig = figure('visible', 'off');
t = (1:size(y, 2)) * 20;
show = 1:min(6, size(y, 3));
for j = 1:numel(show)
    subplot(numel(show), 1, j);
    plot(t, squeeze(y(:, :, show(j))).', '-', t, squeeze(valid.target(:, :, show(j))).', ':');
    ylabel(sprintf('trial %d', show(j)));
end
xlabel('time (ms)');
print(fig, fullfile(outdir, 'outputs.png'), '-dpng');
close(fig);
fprintf('mean rate: sensory %.3f, motor %.3f\n', mean(mean(mean(r(s.units('area', 1), :, :)))), ...
    mean(mean(mean(r(s.units('area', 2), :, :)))));
fprintf('figures: %s\n', strjoin({'weights.png', 'training.png', 'outputs.png'}, ', '));
