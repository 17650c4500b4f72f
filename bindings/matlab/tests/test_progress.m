function tests = test_progress()
%TEST_PROGRESS The progress display of net.train and nn4n.Trainer/run: text lines, off, waitbar.
tests = {@trainPrintsTextLines, @offAndShortCallsPrintNothing, @autoShowsLongCalls, @badSettingsRaise, ...
    @waitbarOpensAndCloses, @waitbarCancelStops, @trainerPrintsTextLines, @trainerProgressOff};
end

function trainPrintsTextLines()
% 'text': a line after the first chunk, a closing one; updates, loss, time.
[net, u, tg] = small();
out = evalc('info = net.train(u, tg, ''updates'', 30, ''chunk'', 10, ''lr'', 1e-3, ''progress'', ''text'');');
lines = strsplit(strtrim(out), sprintf('\n'));
expectTrue(numel(lines) >= 2 && numel(lines) <= 3, 'two or three lines, got:\n%s', out);
expectTrue(~isempty(regexp(lines{1}, '^train: 10/30 updates \(33 %\), loss [0-9.e+-]+, [0-9.]+ s elapsed$', 'once')), ...
    'first line: %s', lines{1});
expectTrue(~isempty(regexp(lines{end}, '^train: 30/30 updates \(100 %\), loss ', 'once')), 'last line: %s', lines{end});
loss = sscanf(regexprep(lines{end}, '.*loss ([^,]+),.*', '$1'), '%g');
expectClose(loss, info.loss, 1e-3 * info.loss, 'the last line shows the loss (4 digits)');
expectTrue(info.updates == 30, 'updates %d', info.updates);
% true: the same as 'text' without a display (none here); one chunk: the closing line alone.
out = evalc('net.train(u, tg, ''updates'', 5, ''lr'', 1e-3, ''progress'', true);');
expectTrue(~isempty(regexp(strtrim(out), '^train: 5/5 updates \(100 %\), loss [^\n]*elapsed$', 'once')), ...
    'one chunk with progress true: %s', out);
end

function offAndShortCallsPrintNothing()
% false prints nothing however long the call; the default ('auto') prints
% nothing for calls shorter than 2 s, and one-chunk calls never.
[net, u, tg] = small();
out = evalc('net.train(u, tg, ''updates'', 30, ''chunk'', 1, ''lr'', 1e-3, ''progress'', false);');
expectTrue(isempty(out), 'progress false printed: %s', out);
out = evalc('net.train(u, tg, ''updates'', 30, ''chunk'', 10, ''lr'', 1e-3);');
expectTrue(isempty(out), 'a short call printed: %s', out);
out = evalc('for k = 1:20, net.train(u, tg, ''lr'', 1e-3); end');
expectTrue(isempty(out), 'a loop of one-update calls printed: %s', out);
% The same updates with and without a display: progress changes nothing.
[a, u, tg] = small();
b = small();
evalc('a.train(u, tg, ''updates'', 25, ''chunk'', 10, ''lr'', 1e-3, ''progress'', ''text'');');
b.train(u, tg, 'updates', 25, 'chunk', 10, 'lr', 1e-3, 'progress', false);
expectClose(a.w_rec, b.w_rec, 0, 'weights with and without progress');
end

function autoShowsLongCalls()
% The default shows text lines once a call has run 2 s (here ~5 s of
% updates in chunks of 50 on the AVX-512 machine of 2026-12-07, where
% 2000 updates took 2.1 s), the first after 2 s, and a closing line.
net = nn4n.CTRNN([1 80 1], 'alpha', 0.2, 'seed', 1);
u = [zeros(1, 10, 16), ones(1, 40, 16)];
t0 = tic;
out = evalc('net.train(u, 0.5 * u, ''updates'', 5000, ''chunk'', 50, ''lr'', 1e-3);');
took = toc(t0);
if took < 2.2
    skip('the call took %.1f s, too short to show the automatic display', took);
end
lines = strsplit(strtrim(out), sprintf('\n'));
expectTrue(numel(lines) >= 2, 'lines after %.1f s:\n%s', took, out);
first = sscanf(regexprep(lines{1}, '.*, ([0-9.]+) s elapsed$', '$1'), '%g');
expectTrue(first >= 2, 'the first line comes after 2 s: %s', lines{1});
expectTrue(~isempty(regexp(lines{end}, '^train: 5000/5000 updates \(100 %\)', 'once')), 'last line: %s', lines{end});
end

function badSettingsRaise()
[net, u, tg] = small();
expectError(@() net.train(u, tg, 'progress', 'loud'), 'nn4n:invalidArgument', 'progress');
expectError(@() net.train(u, tg, 'progress', [1 2]), 'nn4n:invalidArgument', 'progress');
task = nn4n.Task('sinewave');
net = nn4n.CTRNN([task.get('inputs') 8 task.get('outputs')], 'seed', 1);
expectError(@() nn4n.Trainer(net, task, 'progress', 'sometimes'), 'nn4n:invalidArgument');
tr = nn4n.Trainer(net, task);
expectError(@() setProgress(tr, {}), 'nn4n:invalidArgument');
tr.progress = false;
expectTrue(isequal(tr.progress, false), 'progress is settable');
end

function setProgress(tr, v)
tr.progress = v;
end

function waitbarOpensAndCloses()
% 'waitbar' (forced: there is no display here) opens a waitbar during a
% call of several chunks and closes it when the call returns or fails.
restore = hiddenFigures();
[net, u, tg] = small();
before = numel(findall(0, 'type', 'figure'));
info = net.train(u, tg, 'updates', 30, 'chunk', 10, 'lr', 1e-3, 'progress', 'waitbar');
expectTrue(info.updates == 30, 'updates %d', info.updates);
expectTrue(numel(findall(0, 'type', 'figure')) == before, 'the waitbar is closed');
net.free();
expectError(@() net.train(u, tg, 'updates', 30, 'chunk', 10, 'progress', 'waitbar'), 'nn4n:invalidHandle');
expectTrue(numel(findall(0, 'type', 'figure')) == before, 'the waitbar is closed after an error');
end

function waitbarCancelStops()
% The Cancel button and the close box only raise a flag: update returns
% true from then on, and close() deletes the figure.
restore = hiddenFigures();
p = nn4n.internal.Progress('waitbar', 'train', 30, 'updates');
expectTrue(~p.update(10, 'loss 1'), 'not cancelled yet');
h = p.Bar;
expectTrue(ishghandle(h) && ~isempty(strfind(get(h, 'name'), 'train')), 'a waitbar is open');
close(h);   % the close box: CloseRequestFcn raises the flag, the figure stays
expectTrue(ishghandle(h), 'the close box does not delete the figure');
expectTrue(p.update(20, 'loss 0.5') && p.Cancelled, 'cancelled after the close box');
p.finish(20, '');
expectTrue(~ishghandle(h), 'finish deletes the figure');
p = nn4n.internal.Progress('waitbar', 'train', 30, 'updates');
p.update(10, '');
h = p.Bar;
clear p   % deleting the display (an error, Ctrl-C) closes the waitbar
expectTrue(~ishghandle(h), 'deleting the display deletes the figure');
end

function trainerPrintsTextLines()
task = nn4n.Task('sinewave');
net = nn4n.CTRNN([task.get('inputs') 10 task.get('outputs')], 'seed', 1);
tr = nn4n.Trainer(net, task, 'optimizer', 'adam', 'minibatch', 4, 'valid_every', 8, ...
    'n_validation', 4, 'max_trials', 32, 'seed', 5, 'progress', 'text');
out = evalc('done = tr.run();');
lines = strsplit(strtrim(out), sprintf('\n'));
expectTrue(done && numel(lines) >= 2, 'lines:\n%s', out);
expectTrue(~isempty(regexp(lines{1}, '^Trainer: \d+/32 trials \(\d+ %\), validation 1, loss [^,]+ \(best [^)]+\), [0-9.]+ s elapsed$', 'once')), ...
    'first line: %s', lines{1});
h = tr.history();
expectTrue(~isempty(regexp(lines{end}, sprintf('validation %d, ', size(h, 1)), 'once')), 'last line: %s', lines{end});
% A chunked run with a display equals one without (same seed).
net2 = nn4n.CTRNN([task.get('inputs') 10 task.get('outputs')], 'seed', 1);
tr2 = nn4n.Trainer(net2, task, 'optimizer', 'adam', 'minibatch', 4, 'valid_every', 8, ...
    'n_validation', 4, 'max_trials', 32, 'seed', 5, 'progress', false);
tr2.run();
h2 = tr2.history();
expectClose(h2(:, 1:5), h(:, 1:5), 0, 'history with and without the display');
expectClose(net2.w_rec, net.w_rec, 0, 'weights with and without the display');
end

function trainerProgressOff()
task = nn4n.Task('sinewave');
net = nn4n.CTRNN([task.get('inputs') 10 task.get('outputs')], 'seed', 1);
tr = nn4n.Trainer(net, task, 'minibatch', 4, 'valid_every', 8, 'n_validation', 4, 'max_trials', 32);
out = evalc('tr.run(2); tr.progress = false; tr.run();');
expectTrue(isempty(out), 'printed: %s', out);
end

function [net, u, tg] = small()
net = nn4n.CTRNN([1 12 1], 'seed', 2);
u = [zeros(1, 5, 4), ones(1, 10, 4)];
tg = 0.5 * u;
end

function c = hiddenFigures()
% Figures stay invisible (no display here) and gnuplot's warning is quiet.
old = get(0, 'defaultfigurevisible');
set(0, 'defaultfigurevisible', 'off');
w = warning('off', 'Octave:gnuplot-graphics');
c = onCleanup(@() restoreFigures(old, w));
end

function restoreFigures(old, w)
set(0, 'defaultfigurevisible', old);
warning(w);
end
