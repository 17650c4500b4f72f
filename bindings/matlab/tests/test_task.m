function tests = test_task()
%TEST_TASK nn4n.Task batches and scores, and nn4n.Trainer's chunked protocol.
tests = {@sampleShapes, @scoreTargets, @trainerRunsInChunks, @trainerCancelsAndOwnsNothing};
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
