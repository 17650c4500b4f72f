function host_loop(calls, per_call, out)
%HOST_LOOP The Octave side of bench/host_loop.py: `calls` net.train calls of
%   `per_call` updates each (the MATLAB README's shape: 1-80-1, alpha 0.2,
%   float64, 16 trials of 50 steps, Song-Yang objective, Adam lr 1e-3, one
%   library thread), then one call of calls*per_call updates (the engine
%   alone). Writes to `out` the wall and CPU seconds of each ("loop_wall",
%   "loop_cpu", "single_wall", "single_cpu") and the final loss of the loop
%   ("loss"; the Python side must get the same number: same engine, seed).
addpath(fullfile(fileparts(mfilename('fullpath')), '..', '..', 'bindings', 'matlab'));
nn4n.setNumThreads(1);
u = [zeros(1, 10, 16), ones(1, 40, 16)];
target = 0.5 * u;
net = nn4n.CTRNN([1 80 1], 'alpha', 0.2, 'seed', 1);
net.train(u, target, 'updates', 1, 'lr', 1e-3);   % warm-up: buffers, optimizer
c0 = cputime;
t0 = tic;
for k = 1:calls
    info = net.train(u, target, 'updates', per_call, 'lr', 1e-3, 'chunk', per_call);
end
wall = toc(t0);
cpu = cputime - c0;
net.free();
net = nn4n.CTRNN([1 80 1], 'alpha', 0.2, 'seed', 1);
net.train(u, target, 'updates', 1, 'lr', 1e-3);
c0 = cputime;
t0 = tic;
net.train(u, target, 'updates', calls * per_call, 'lr', 1e-3, 'chunk', calls * per_call);
swall = toc(t0);
scpu = cputime - c0;
net.free();
fid = fopen(out, 'w');
fprintf(fid, 'loop_wall %.6f\nloop_cpu %.6f\nsingle_wall %.6f\nsingle_cpu %.6f\nloss %.17g\n', ...
    wall, cpu, swall, scpu, info.loss);
fclose(fid);
end
