function tests = test_task()
%TEST_TASK nn4n.Task batches and scores, and nn4n.Trainer's chunked protocol.
tests = {@sampleShapes, @scoreTargets, @trainerRunsInChunks, @trainerCancelsAndOwnsNothing, ...
    @conditionColumnsNameTheTable, @sampleConditionsMakesTheRowsAsked, @sampleConditionsIsSeeded, ...
    @psychometricCountsChoices, @psychometricFitIsTheKnownCurve, @psychometricOfANetwork, ...
    @sampleConditionsErrors, @psychometricErrors, @multitaskRuleInputs};
end

function multitaskRuleInputs()
% 'multi:rdm_fixed,romo' (issue 22): one rule input per task after the
% widest task's inputs, baseline + 1 on each trial's steps; the targets
% score 100 %; a bad list names its fault.
w = max(nn4n.Task('rdm_fixed').get('inputs'), nn4n.Task('romo').get('inputs'));
task = nn4n.Task('multi:rdm_fixed,romo', 'sigma_in', 0);
expectTrue(task.get('inputs') == w + 2 && task.get('outputs') == 2, 'dims');
b = task.sample(20, 'seed', 3);
seen = [0 0];
for k = 1:20
    rule = b.input(w + 1:w + 2, :, k) - 0.2;
    n = b.steps(k);
    [~, j] = max(rule(:, 1));
    seen(j) = seen(j) + 1;
    on = zeros(2, n); on(j, :) = 1;
    expectClose(rule(:, 1:n), on, 1e-12, 'rule input on its task, for the trial''s steps');
    expectClose(rule(:, n + 1:end), zeros(2, size(rule, 2) - n), 1e-12, 'baseline after the trial');
end
expectTrue(all(seen > 0), 'both tasks drawn');
expectClose(task.score(b.target, 'percent_correct'), 100, 1e-12, 'targets score 100 %');
expectError(@() nn4n.Task('multi:rdm_fixed,sinewave'), 'nn4n:invalidArgument');
end

function j = col(name)
j = find(strcmp(nn4n.Task.conditionColumns(), name));
end

function C = rdmTable(signedCoherence)
% An rdm conditions table: one row per signed coherence (a column).
C = zeros(numel(signedCoherence), 14);
C(:, col('coherence')) = abs(signedCoherence(:));
C(:, col('sign')) = 1 - 2 * (signedCoherence(:) < 0);
end

function sampleShapes()
task = nn4n.Task('rdm_dense');
b = task.sample(10, 'seed', 1);
I = task.get('inputs'); O = task.get('outputs');
T = task.get('steps');
expectTrue(isequal(size(b.input), [I T 10]) && isequal(size(b.target), [O T 10]), 'shapes [X T B]');
expectTrue(isequal(size(b.mask), [O T 10]) && isequal(size(b.conditions), [10 14]), 'mask, conditions');
expectTrue(all(b.steps <= T) && any(b.steps == T), 'steps');
for k = 1:10
    expectTrue(~any(any(b.mask(:, b.steps(k) + 1:end, k))), 'no error past a trial''s end');
end
b2 = task.sample(10, 'seed', 1);
expectClose(b2.input, b.input, 0, 'same seed, same trials');
v = task.sample(task.get('n_conditions'), 'kind', 'validation', 'seed', 2);
expectTrue(size(v.input, 3) == task.get('n_conditions'), 'validation set');
task.set('sigma_in', 0);
expectTrue(task.get('sigma_in') == 0, 'set');
end

function scoreTargets()
task = nn4n.Task('sinewave');
b = task.sample(4, 'seed', 3);
expectClose(task.score(b.target, 'rmse'), 0, 1e-12, 'targets have zero rmse');
expectTrue(task.score(b.target + 1, 'rmse') > 0.5, 'offset outputs');
expectError(@() task.score(b.target(:, 1:end-1, :)), 'nn4n:shape');
end

function trainerRunsInChunks()
task = nn4n.Task('sinewave');
net = nn4n.CTRNN([task.get('inputs') 20 task.get('outputs')], 'seed', 1, 'rec_noise', 0.05);
tr = nn4n.Trainer(net, task, 'optimizer', 'adam', 'minibatch', 4, 'valid_every', 8, ...
    'n_validation', 4, 'max_trials', 64, 'seed', 5);
done = tr.run(1);
h = tr.history();
expectTrue(size(h, 2) == 7 && size(h, 1) >= 1, 'history rows %d', size(h, 1));
expectTrue(~done || ~isempty(tr.reason), 'reason once done');
while ~done
    done = tr.run(2);
end
h = tr.history();
expectTrue(tr.get('finished') == 1 && tr.get('trials') <= 64 + 8, 'finished after max_trials');
expectTrue(all(diff(h(:, 1)) > 0) && ~isempty(tr.reason), 'history grows; reason "%s"', tr.reason);
expectError(@() tr.set('minibatch', 3), 'nn4n:state');
end

function trainerCancelsAndOwnsNothing()
task = nn4n.Task('sinewave');
net = nn4n.CTRNN([task.get('inputs') 10 task.get('outputs')], 'seed', 1);
obj = nn4n.Objective('songyang', 'lambda_omega', 0);
tr = nn4n.Trainer(net, task, 'objective', obj, 'minibatch', 2, 'valid_every', 4, 'n_validation', 2, ...
    'max_trials', 16);
obj.free();   % the trainer copied it
tr.cancel();
expectError(@() tr.run(1), 'nn4n:cancelled');
tr.run(1);    % resumes
expectTrue(tr.get('n_validations') >= 1, 'validations');
expectTrue(strcmp(task.name, 'sinewave') && tr.net.live() == net.live() && tr.task.live() == task.live(), 'properties');
tr.free();
expectTrue(net.n_hid == 10, 'freeing the trainer leaves the network');
end

function conditionColumnsNameTheTable()
names = nn4n.Task.conditionColumns();
expectTrue(iscellstr(names) && numel(names) == 14, '14 column names');
expectTrue(numel(unique(names)) == 14, 'distinct names');
expectTrue(col('catch') == 1 && col('choice') == 2 && col('coherence') == 3 && col('sign') == 4 && ...
    col('context') == 5 && col('modality') == 10 && col('freq') == 11 && col('f1') == 12 && ...
    col('f2') == 13 && col('steps') == 14, 'the header''s column order (1-based)');
task = nn4n.Task('rdm_dense');
b = task.sample(3, 'seed', 1);
expectTrue(size(b.conditions, 2) == numel(names), 'conditions has one column per name');
end

function sampleConditionsMakesTheRowsAsked()
task = nn4n.Task('rdm_dense');
C = rdmTable([-12.8 -12.8 0 0 12.8 12.8 0]);
C(end, :) = 0;
C(end, col('catch')) = 1;                 % a catch trial
C(:, col('choice')) = 99;                 % ignored: the task sets choice and steps
C(:, col('steps')) = -5;
b = task.sampleConditions(C, 'seed', 4);
I = task.get('inputs'); O = task.get('outputs'); T = task.get('steps');
expectTrue(isequal(size(b.input), [I T 7]) && isequal(size(b.target), [O T 7]) && ...
    isequal(size(b.mask), [O T 7]) && isequal(size(b.conditions), [7 14]), 'shapes for 7 rows');
keep = [1 3:13];
expectClose(b.conditions(:, keep), C(:, keep), 0, 'stimulus columns as asked, in order');
expectClose(b.conditions(:, col('choice')), [1; 1; -1; -1; 0; 0; -1], 0, ...
    'choice: output 0 for +coherence, -1 without evidence or in a catch trial');
expectTrue(T == max(b.steps) && all(b.steps > 0) && isequal(b.steps, b.conditions(:, 14)), 'steps');
for k = 1:7
    expectTrue(~any(any(b.mask(:, b.steps(k) + 1:end, k))), 'no error past trial %d''s end', k);
end
% The validation set's own table makes the same conditions again.
v = task.sample(task.get('n_conditions'), 'kind', 'validation', 'seed', 2);
c = task.sampleConditions(v.conditions, 'seed', 2);
expectClose(c.conditions(:, 1:13), v.conditions(:, 1:13), 0, 'validation conditions round trip');
% A single row (B = 1): an [I T] input; integer tables are accepted.
one = task.sampleConditions(rdmTable(25.6));
expectTrue(size(one.input, 3) == 1 && isequal(one.conditions(1, 2:4), [0 25.6 1]), 'one row');
one = task.sampleConditions(int8([1 zeros(1, 13)]));
expectTrue(isequal(one.conditions(1, 1:2), [1 -1]) && size(one.input, 2) == one.steps, 'an int8 catch row');
end

function sampleConditionsIsSeeded()
task = nn4n.Task('rdm_dense');
C = rdmTable([-6.4 0 6.4 51.2]);
a = task.sampleConditions(C, 'seed', 11);
b = task.sampleConditions(C, 'seed', 11);
expectClose(b.input, a.input, 0, 'same seed, same trials');
expectClose(b.target, a.target, 0, 'same seed, same targets');
expectClose(b.conditions, a.conditions, 0, 'same seed, same conditions');
c = task.sampleConditions(C, 'seed', 12);
expectTrue(~isequal(size(c.input), size(a.input)) || any(c.input(:) ~= a.input(:)), 'another seed, other noise');
d = task.sampleConditions(C);
e = task.sampleConditions(C, 'seed', 0);
expectClose(d.input, e.input, 0, 'default seed 0');
end

function psychometricCountsChoices()
% Outputs that choose output 1 on the last step of the trials at +12.8 %
% and of one of the two at 0 %: the counts are known.
task = nn4n.Task('rdm_dense');
C = rdmTable([-12.8 -12.8 0 0 12.8 12.8 0]);
C(end, :) = 0;
C(end, col('catch')) = 1;                 % left out of the curve
b = task.sampleConditions(C, 'seed', 4);
y = zeros(size(b.target));
chosen = [2 2 1 2 1 1 1];
for k = 1:7
    y(chosen(k), b.steps(k), k) = 1;
    y(3 - chosen(k), b.steps(k) - 1, k) = 5;  % earlier steps do not count
end
p = task.psychometric(y, 'fit', false);
expectTrue(~isfield(p, 'fit'), 'no fit asked');
expectClose(p.x, [-12.8; 0; 12.8], 0, 'x: signed coherence, increasing');
expectClose(p.n, [2; 2; 2], 0, 'n: catch trial left out');
expectClose(p.k, [0; 1; 2], 0, 'k: choices of output 1');
p2 = task.psychometric(y, 'choice', 2, 'fit', false);
expectClose(p2.k, p.n - p.k, 0, 'k of output 2 = n - k of output 1');
expectClose(p2.x, p.x, 0, 'same stimuli');
err = expectError(@() task.psychometric(y), 'nn4n:numeric', 'separated');
expectTrue(~isempty(strfind(err.message, 'fit')), 'the error names the fit');
end

function psychometricFitIsTheKnownCurve()
% 4 trials at each of -a, 0, +a choosing output 1 in 1, 2 and 3 of them:
% the cumulative Gaussian through 1/4, 1/2, 3/4 fits exactly, mu = 0 and
% sigma = a / Phi^-1(3/4); the standard errors are those of the Fisher
% information (the mu-sigma term vanishes by symmetry).
a = 12.8;
task = nn4n.Task('rdm_dense');
b = task.sampleConditions(rdmTable(kron([-a; 0; a], ones(4, 1))), 'seed', 4);
y = zeros(size(b.target));
chosen = [1 2 2 2, 1 1 2 2, 1 1 1 2];
for k = 1:12
    y(chosen(k), b.steps(k), k) = 1;
end
p = task.psychometric(y);
expectClose([p.n p.k], [4 1; 4 2; 4 3], 0, 'counts');
zq = sqrt(2) * erfinv(0.5);               % Phi^-1(3/4)
sigma = a / zq;
expectClose(p.fit.mu, 0, 1e-9, 'mu');
expectClose(p.fit.sigma, sigma, 1e-9 * sigma, 'sigma');
z = [-zq; 0; zq];
pq = [3; 4; 3] / 16;                      % p (1 - p)
w = 4 * (exp(-z .^ 2 / 2) / sqrt(2 * pi)) .^ 2 ./ (sigma ^ 2 * pq);
expectClose(p.fit.mu_se, 1 / sqrt(sum(w)), 1e-9, 'mu_se');
expectClose(p.fit.sigma_se, 1 / sqrt(sum(w .* z .^ 2)), 1e-9, 'sigma_se');
% Output 2's curve falls with the stimulus: no fit, but the counts are there.
expectError(@() task.psychometric(y, 'choice', 2), 'nn4n:numeric', 'increase');
end

function psychometricOfANetwork()
% A random network's outputs: the curve is the argmax at each trial's last
% step, counted per stimulus (rdm: signed coherence; multisensory: frequency).
names = {'rdm_dense', 'multisensory'};
for t = 1:2
    task = nn4n.Task(names{t});
    b = task.sample(3 * task.get('n_conditions'), 'kind', 'validation', 'seed', 3);
    net = nn4n.CTRNN([task.get('inputs') 30 task.get('outputs')], 'seed', 2, 'training', false);
    y = net.forward(b.input);
    p = task.psychometric(y, 'choice', 2, 'fit', false);
    live = b.conditions(:, col('catch')) == 0;
    if t == 1
        x = b.conditions(:, col('coherence')) .* b.conditions(:, col('sign'));
    else
        x = b.conditions(:, col('freq'));
    end
    B = size(y, 3);
    chose2 = false(B, 1);
    for k = 1:B
        [~, c] = max(y(:, b.steps(k), k));
        chose2(k) = c == 2;
    end
    xs = unique(x(live));
    expectClose(p.x, xs, 0, sprintf('%s: stimuli', names{t}));
    for j = 1:numel(xs)
        in = live & x == xs(j);
        expectTrue(p.n(j) == sum(in) && p.k(j) == sum(chose2(in)), '%s: point %d', names{t}, j);
    end
    expectTrue(sum(p.n) == sum(live) && sum(live) < B, '%s: catch trials left out', names{t});
end
end

function sampleConditionsErrors()
task = nn4n.Task('rdm_dense');
C = rdmTable([-12.8 0 12.8]);
expectError(@() task.sampleConditions(C(:, 1:5)), 'nn4n:shape', 'B-by-14');
expectError(@() task.sampleConditions(C.'), 'nn4n:shape', 'B-by-14');
expectError(@() task.sampleConditions(zeros(0, 14)), 'nn4n:shape', 'B >= 1');
expectError(@() task.sampleConditions(zeros(2, 14, 2)), 'nn4n:shape');
expectError(@() task.sampleConditions('abc'), 'nn4n:invalidArgument');
expectError(@() task.sampleConditions(C * 1i), 'nn4n:invalidArgument');
bad = C; bad(2, 3) = NaN;
expectError(@() task.sampleConditions(bad), 'nn4n:notFinite', 'conditions\(2, 3\)');
bad = C; bad(3, col('freq')) = 12;        % a column rdm does not use: row 3 named (1-based)
expectError(@() task.sampleConditions(bad), 'nn4n:invalidArgument', 'condition 3\>.*not use');
bad = C; bad(2, col('catch')) = 2;        % catch must be 0/1: row 2, column 1 named
expectError(@() task.sampleConditions(bad), 'nn4n:invalidArgument', 'row 2: column 1 \(catch\)');
bad = C; bad(1, col('sign')) = 0;
expectError(@() task.sampleConditions(bad), 'nn4n:invalidArgument', 'condition 1\>');
expectError(@() task.sampleConditions(C, 'sed', 1), 'nn4n:unknownKey', 'known: seed');
expectError(@() task.sampleConditions(C, 'seed'), 'nn4n:invalidArgument');
b = task.sampleConditions(C);              % a failed call left the task usable
expectTrue(size(b.input, 3) == 3, 'still usable');
task.free();
expectError(@() task.sampleConditions(C), 'nn4n:invalidHandle');
end

function psychometricErrors()
task = nn4n.Task('rdm_dense');
expectError(@() task.psychometric(zeros(2, 3)), 'nn4n:state', 'no sample');
b = task.sampleConditions(rdmTable([-12.8 0 12.8]), 'seed', 1);
y = b.target;
expectError(@() task.psychometric(y(:, 1:end - 1, :)), 'nn4n:shape', 'want \[2 \d+ 3\]');
expectError(@() task.psychometric(permute(y, [2 1 3])), 'nn4n:shape');
expectError(@() task.psychometric([]), 'nn4n:shape');
expectError(@() task.psychometric(y, 'choice', 0), 'nn4n:invalidArgument', '1\.\.2');
expectError(@() task.psychometric(y, 'choice', 3), 'nn4n:invalidArgument', '1\.\.2');
expectError(@() task.psychometric(y, 'choice', 1.5), 'nn4n:invalidArgument');
expectError(@() task.psychometric(y, 'choice', [1 2]), 'nn4n:invalidArgument');
expectError(@() task.psychometric(y, 'choise', 1), 'nn4n:unknownKey', 'known: choice, fit');
expectError(@() task.psychometric({y}), 'nn4n:invalidArgument');
% A sample of catch trials alone has no curve.
cat = zeros(2, 14); cat(:, 1) = 1;
b = task.sampleConditions(cat);
expectError(@() task.psychometric(b.target, 'fit', false), 'nn4n:invalidArgument', 'non-catch');
s = nn4n.Task('sinewave');
b = s.sample(2);
expectError(@() s.psychometric(b.target), 'nn4n:invalidArgument', 'sinewave');
task.free();
expectError(@() task.psychometric(y), 'nn4n:invalidHandle');
end
