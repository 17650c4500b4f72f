function tests = test_help()
%TEST_HELP Every public function, class and method has help text; the
%sequence functions document the column-major [X T B] layout.
tests = {@everyPublicNameHasHelp, @everyMethodHasHelp, @sequenceHelpDocumentsLayout};
end

function root = pkgdir()
root = fullfile(fileparts(mfilename('fullpath')), '..', '+nn4n');
end

function everyPublicNameHasHelp()
d = dir(fullfile(pkgdir(), '*.m'));
expectTrue(numel(d) >= 18, 'public files: %d', numel(d));
for k = 1:numel(d)
    name = ['nn4n.' regexprep(d(k).name, '\.m$', '')];
    txt = get_help_text(name);
    expectTrue(numel(strtrim(txt)) > 40, '%s has no help text', name);
end
end

function everyMethodHasHelp()
% Source check, as MATLAB's help reads it: the line after every function
% line (property accessors get.x/set.x aside) is a comment.
files = [dir(fullfile(pkgdir(), '*.m')); dir(fullfile(pkgdir(), '+internal', '*.m'))];
for k = 1:numel(files)
    f = fullfile(files(k).folder, files(k).name);
    lines = strsplit(fileread(f), "\n");
    for i = 1:numel(lines) - 1
        tok = regexp(lines{i}, '^\s*function\s+(?:\[?[\w, ~]*\]?\s*=\s*)?([\w.]+)', 'tokens', 'once');
        if isempty(tok) || ~isempty(regexp(tok{1}, '^(get|set)\.', 'once'))
            continue
        end
        if ~isempty(regexp(lines{i}, '\<end\s*$', 'once'))
            continue   % one-line definitions
        end
        expectTrue(~isempty(regexp(lines{i + 1}, '^\s*%', 'once')), '%s:%d: %s has no help', ...
            files(k).name, i, tok{1});
    end
end
end

function sequenceHelpDocumentsLayout()
src = fileread(fullfile(pkgdir(), 'CTRNN.m'));
for m = {'forward', 'backward', 'step', 'train', 'gradients', 'loss'}
    tok = regexp(src, ['function [^\n]*\<' m{1} '\(obj[^\n]*\n((\s*%[^\n]*\n)+)'], 'tokens', 'once');
    expectTrue(~isempty(tok), 'help of %s', m{1});
    expectTrue(~isempty(regexp(tok{1}, 'row-major', 'once')), '%s: help documents the layout', m{1});
end
src = fileread(fullfile(pkgdir(), 'Task.m'));
expectTrue(numel(strfind(src, 'row-major')) >= 2, 'Task: sample and score document the layout');
expectTrue(~isempty(strfind(get_help_text('nn4n.CTRNN'), 'column-major')), 'class help');
end
