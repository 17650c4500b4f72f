function tests = test_readme()
%TEST_README The README's "first network in five lines" runs and learns.
tests = {@firstNetworkRuns};
end

function firstNetworkRuns()
src = fileread(fullfile(fileparts(mfilename('fullpath')), '..', 'README.md'));
tok = regexp(src, '## A first network in five lines\s*```matlab\n(.*?)```', 'tokens', 'once');
expectTrue(~isempty(tok), 'the README has the five-line example');
code = tok{1};
lines = strsplit(strtrim(code), "\n");
expectTrue(numel(lines) == 5, 'five lines, got %d', numel(lines));
eval(code);
expectTrue(exist('y', 'var') && isequal(size(y), [1 50 16]), 'y is [O T B]');
expectTrue(info.updates == 200, 'trained');
net.training = false;
target = 0.5 * u;
L = net.loss(u, target);
net2 = nn4n.CTRNN(s, 'dt', 20, 'tau', 100, 'seed', 1, 'training', false);
L0 = net2.loss(u, target);
expectTrue(L < 0.5 * L0, 'the five lines learn: loss %g -> %g', L0, L);
end
