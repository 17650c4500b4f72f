function tests = test_readme()
%TEST_README The README's "first network in five lines" runs and learns.
tests = {@firstNetworkRuns, @deadNetworkWarns};
end

function firstNetworkRuns()
src = fileread(fullfile(fileparts(mfilename('fullpath')), '..', 'README.md'));
tok = regexp(src, '## A first network in five lines\s*```matlab\n(.*?)```', 'tokens', 'once');
expectTrue(~isempty(tok), 'the README has the five-line example');
code = tok{1};
lines = strsplit(strtrim(code), "\n");
expectTrue(numel(lines) == 5, 'five lines, got %d', numel(lines));
lastwarn('');
eval(code);
[~, wid] = lastwarn();
expectTrue(~strcmp(wid, 'nn4n:deadNetwork'), 'the README example does not kill the network');
expectTrue(exist('y', 'var') && isequal(size(y), [1 50 16]), 'y is [O T B]');
expectTrue(info.updates == 400, 'trained');
net.training = false;
target = 0.5 * u;
L = net.loss(u, target);
net2 = nn4n.CTRNN(s, 'dt', 20, 'tau', 100, 'seed', 1, 'training', false);
L0 = net2.loss(u, target);
expectTrue(L < 0.1 * L0, 'the five lines learn: loss %g -> %g', L0, L);
y = net.forward(u);
expectTrue(std(y(:)) > 0.05, 'the output is not constant: std %g', std(y(:)));
end

function deadNetworkWarns()
% The README's former setting (lr 0.01) kills every rate: train must warn.
s = nn4n.MultiAreaEI([1 80 1], 'n_areas', 2, 'input_areas', 1, 'readout_areas', 2, 'seed', 1);
net = nn4n.CTRNN(s, 'dt', 20, 'tau', 100, 'seed', 1);
u = [zeros(1, 10, 16), ones(1, 40, 16)];
lastwarn('');
net.train(u, 0.5 * u, 'updates', 200, 'lr', 0.01);
[msg, wid] = lastwarn();
expectTrue(strcmp(wid, 'nn4n:deadNetwork'), 'dead network warned (got id "%s")', wid);
expectTrue(~isempty(strfind(msg, 'lr')), 'the warning names the fix');
end
