function host_loop(calls, rounds, out)
%HOST_LOOP The Octave side of bench/host_loop.py: a training loop of one
%   update per net.train call (README's shape: 1-80-1, alpha 0.2, float64,
%   16 trials of 50 steps, Song-Yang objective, Adam lr 1e-3), timed per
%   round; then one call of `calls` updates (the engine alone). Writes one
%   line per round to `out`: "loop <seconds>" or "single <seconds>", and
%   "loss <final total>" (the Python side must get the same number: same
%   engine, same seed).
addpath(fullfile(fileparts(mfilename('fullpath')), '..', 'bindings', 'matlab'));
nn4n.setNumThreads(1);
u = [zeros(1, 10, 16), ones(1, 40, 16)];
target = 0.5 * u;
fid = fopen(out, 'w');
for r = 1:rounds
    net = nn4n.CTRNN([1 80 1], 'alpha', 0.2, 'seed', 1);
    net.train(u, target, 'updates', 1, 'lr', 1e-3);   % warm-up: buffers, optimizer
    t0 = tic;
    for k = 1:calls
        info = net.train(u, target, 'updates', 1, 'lr', 1e-3);
    end
    fprintf(fid, 'loop %.6f\n', toc(t0));
    fprintf(fid, 'loss %.17g\n', info.loss);
    net.free();
    net = nn4n.CTRNN([1 80 1], 'alpha', 0.2, 'seed', 1);
    net.train(u, target, 'updates', 1, 'lr', 1e-3);
    t0 = tic;
    net.train(u, target, 'updates', calls, 'lr', 1e-3, 'chunk', calls);
    fprintf(fid, 'single %.6f\n', toc(t0));
    net.free();
end
fclose(fid);
end
