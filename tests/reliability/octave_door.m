function octave_door(cases_dir, good)
%OCTAVE_DOOR The Octave door of tests/reliability (run by octave_door.sh).
%   Every hostile file of cases_dir/cases.tsv is refused by nn4n.CTRNN.load
%   with the identifier of its status and a message naming the problem;
%   wrong argument types (strings, cells, structs, complex, sparse, NaN,
%   function handles, huge dimensions) raise an nn4n: error; logical and
%   integer arrays are converted and give the double result; good is never
%   modified.
ids = struct('NN4N_ERR_FORMAT', 'nn4n:format', 'NN4N_ERR_IO', 'nn4n:io', 'NN4N_ERR_MEMORY', 'nn4n:memory');
fid = fopen(good, 'r'); before = fread(fid, Inf, 'uint8=>uint8'); fclose(fid);
nfail = 0; npass = 0; nfiles = 0; nargs = 0;
fid = fopen(fullfile(cases_dir, 'cases.tsv'), 'r');
while true
    line = fgetl(fid);
    if ~ischar(line), break; end
    parts = strsplit(line, sprintf('\t'));
    if numel(parts) < 3, parts{3} = ''; end
    nfiles = nfiles + 1;
    [ok, msg] = refused(@() nn4n.CTRNN.load(fullfile(cases_dir, parts{1})), ids.(parts{2}), parts{3});
    tally(ok, [parts{1} ': ' msg]);
end
fclose(fid);
net = nn4n.CTRNN([2 8 1], 'seed', 3, 'training', false);
u = reshape(sin(0.1 * (1:2*5*3)), 2, 5, 3);
y = net.forward(u);
bad = {
    'N = 2^20',            @() nn4n.CTRNN([1 2^20 1]),           'nn4n:memory', 'memory limit'
    'N = 2^20 + 1',        @() nn4n.CTRNN([1 2^20+1 1]),         'nn4n:', 'n_hid'
    'dims negative',       @() nn4n.CTRNN([-1 8 1]),             'nn4n:', ''
    'dims NaN',            @() nn4n.CTRNN([1 NaN 1]),            'nn4n:', ''
    'dims string',         @() nn4n.CTRNN('abc'),                'nn4n:', ''
    'dims cell',           @() nn4n.CTRNN({2, 8, 1}),            'nn4n:', ''
    'dims complex',        @() nn4n.CTRNN([2 8i 1]),             'nn4n:', ''
    'dims 2 values',       @() nn4n.CTRNN([2 8]),                'nn4n:', ''
    'dims fractional',     @() nn4n.CTRNN([2 8.5 1]),            'nn4n:', ''
    'input string',        @() net.forward('abcdefghij'),        'nn4n:', ''
    'input cell',          @() net.forward({u}),                 'nn4n:', ''
    'input struct',        @() net.forward(struct('u', u)),      'nn4n:', ''
    'input complex',       @() net.forward(complex(u, 1)),       'nn4n:', ''
    'input sparse',        @() net.forward(sparse(ones(2, 5))),  'nn4n:', ''
    'input NaN',           @() net.forward(nan(2, 5, 3)),        'nn4n:notFinite', ''
    'input Inf',           @() net.forward(-inf(2, 5, 3)),       'nn4n:notFinite', ''
    'input wrong rows',    @() net.forward(zeros(3, 5, 3)),      'nn4n:shape', ''
    'input function',      @() net.forward(@sin),                'nn4n:', ''
    'x0 wrong size',       @() net.forward(u, 'x0', zeros(7, 1)), 'nn4n:shape', ''
    'unknown option',      @() net.forward(u, 'evil', 1),        'nn4n:', 'evil'
    'set w_rec string',    @() set_prop(net, 'w_rec', 'x'),      'nn4n:', ''
    'set w_rec cell',      @() set_prop(net, 'w_rec', {1}),      'nn4n:', ''
    'set w_rec complex',   @() set_prop(net, 'w_rec', complex(zeros(8), 1)), 'nn4n:', ''
    'set w_rec wrong size',@() set_prop(net, 'w_rec', zeros(7)), 'nn4n:shape', ''
    'set activation num',  @() set_prop(net, 'activation', 3),   'nn4n:', ''
    'set activation bad',  @() set_prop(net, 'activation', 'gelu'), 'nn4n:', 'gelu'
    'load number',         @() nn4n.CTRNN.load(42),              'nn4n:', ''
    'load cell',           @() nn4n.CTRNN.load({'a.npz'}),       'nn4n:', ''
    'load missing',        @() nn4n.CTRNN.load('/nonexistent/x.npz'), 'nn4n:io', 'no such file'
    'save missing dir',    @() net.save('/nonexistent/x.npz'),   'nn4n:io', 'no such file'
    'save number',         @() net.save(42),                     'nn4n:', ''
};
for k = 1:size(bad, 1)
    nargs = nargs + 1;
    [ok, msg] = refused(bad{k, 2}, bad{k, 3}, bad{k, 4});
    tally(ok, [bad{k, 1} ': ' msg]);
end
% logical and integer arrays are converted (documented): same result as double
conv = {'logical', logical(u > 0), double(u > 0); 'int32', int32(round(3 * u)), double(int32(round(3 * u))); ...
        'single', single(u), double(single(u)); 'uint8', uint8(round(3 * abs(u))), double(uint8(round(3 * abs(u))))};
for k = 1:size(conv, 1)
    nargs = nargs + 1;
    try
        same = isequal(net.forward(conv{k, 2}), net.forward(conv{k, 3}));
        tally(same, [conv{k, 1} ' input: result differs from the double input']);
    catch e
        tally(false, [conv{k, 1} ' input: ' e.identifier ' ' e.message]);
    end
end
nargs = nargs + 1;
tally(isequal(net.forward(u), y), 'the model changed under hostile calls');
fid = fopen(good, 'r'); after = fread(fid, Inf, 'uint8=>uint8'); fclose(fid);
tally(isequal(before, after), 'good file modified');
printf('octave door: %d hostile cases (%d files, %d arguments), %d failed\n', nfiles + nargs, nfiles, nargs, nfail);
if nfail > 0, exit(1); end

    function tally(ok, what)
        if ok
            npass = npass + 1;
        else
            nfail = nfail + 1;
            printf('FAIL %s\n', what);
        end
    end
end

function set_prop(net, name, value)
net.(name) = value;
end

function [ok, msg] = refused(fn, id, want)
% refused calls fn, which must raise an error whose identifier starts with
% id and whose message contains want (case-insensitive).
try
    fn();
    ok = false; msg = 'no error';
catch e
    ok = strncmp(e.identifier, id, numel(id)) && ~isempty(e.message) && (isempty(want) || ~isempty(strfind(lower(e.message), lower(want))));
    msg = sprintf('%s "%s" (want %s with "%s")', e.identifier, e.message, id, want);
end
end
