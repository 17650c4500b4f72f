function tests = test_save_load()
%TEST_SAVE_LOAD save/load round trip through .npz, and the file errors.
tests = {@roundTrip, @fileIsNpz, @badFilesRaise, @matFileByValue, @octaveSaveOfTheObject, ...
    @freedAndBrokenNetworksLoad};
end

function roundTrip()
s = nn4n.MultiAreaEI([2 10 1], 'n_areas', 2, 'seed', 3);
net = nn4n.CTRNN(s, 'activation', 'tanh', 'seed', 4, 'learn_alpha', true, 'rec_noise', 0.1);
net.alpha = linspace(0.1, 0.5, 10);
f = tempFile('.npz');
c = onCleanup(@() delete(f));
net.save(f);
net2 = nn4n.CTRNN.load(f);
expectTrue(isa(net2, 'nn4n.CTRNN'), 'class');
for key = {'w_in', 'w_rec', 'w_out', 'w_rec_eff', 'b_in', 'b_rec', 'b_out', 'alpha', 'x0', ...
        'mask_rec', 'sign_rec', 'mask_in', 'mask_out'}
    expectClose(net2.(key{1}), net.(key{1}), 0, key{1});
end
expectTrue(strcmp(net2.activation, 'tanh') && net2.learn_alpha && net2.rec_noise == 0.1, 'settings');
net.training = false;
net2.training = false;
u = reshape(sin(1:2*7*3), 2, 7, 3);
expectClose(net2.forward(u), net.forward(u), 0, 'same outputs');
end

function fileIsNpz()
net = nn4n.CTRNN([1 3 1]);
f = tempFile('.npz');
c = onCleanup(@() delete(f));
net.save(f);
fid = fopen(f, 'r');
magic = fread(fid, 4, 'uint8=>char').';
fclose(fid);
expectTrue(strcmp(magic, sprintf('PK\003\004')), 'a zip archive (numpy''s .npz)');
if exist('unzip', 'file')
    d = tempname();
    names = unzip(f, d);
    confirm_rmdir(d);
    names = regexprep(names, '.*[\\/]', '');
    expectTrue(any(strcmp(names, 'w_rec.npy')) && any(strcmp(names, 'config.npy')), ...
        'entries: %s', strjoin(names, ' '));
end
end

function confirm_rmdir(d)
if exist(d, 'dir')
    confirm_recursive_rmdir(false, 'local');
    rmdir(d, 's');
end
end

function badFilesRaise()
expectError(@() nn4n.CTRNN.load(tempFile('.npz')), 'nn4n:io');
net = nn4n.CTRNN([1 3 1]);
expectError(@() net.save(fullfile(tempname(), 'no', 'such', 'dir.npz')), 'nn4n:io');
f = tempFile('.npz');
c = onCleanup(@() delete(f));
net.save(f);
fid = fopen(f, 'r');
bytes = fread(fid, Inf, 'uint8');
fclose(fid);
fid = fopen(f, 'w');
fwrite(fid, bytes(1:floor(end / 2)), 'uint8');
fclose(fid);
expectError(@() nn4n.CTRNN.load(f), 'nn4n:format');
fid = fopen(f, 'w');
fwrite(fid, 'not a zip file at all', 'char');
fclose(fid);
expectError(@() nn4n.CTRNN.load(f), 'nn4n:format');
end

function matFileByValue()
% saveobj/loadobj (what MATLAB's save and load call) through a MAT file in
% Octave's -v7 and default formats: a new handle, the same network, the
% same outputs bit for bit, noise included (the generator state is saved).
net = nn4n.CTRNN([2 10 1], 'activation', 'tanh', 'rec_noise', 0.1, 'seed', 3, 'dale', 'clip');
net.train(reshape(sin(1:2*7*3), 2, 7, 3), 0.1 * ones(1, 7, 3), 'updates', 3, 'lr', 0.01);
u = reshape(cos(1:2*7*3), 2, 7, 3);
for fmt = {'-v7', '-text'}
    s = saveobj(net);
    expectTrue(isstruct(s) && strcmp(s.nn4n, 'CTRNN') && isa(s.npz, 'uint8') && numel(s.npz) > 100, ...
        'saveobj gives the .npz bytes');
    f = tempFile('.mat');
    c = onCleanup(@() delete(f));
    save(fmt{1}, f, 's');
    clear s
    S = load(f);
    net2 = nn4n.CTRNN.loadobj(S.s);
    expectTrue(isa(net2, 'nn4n.CTRNN') && net2.live() ~= net.live(), '%s: a new handle', fmt{1});
    for key = {'w_in', 'w_rec', 'w_out', 'b_rec', 'alpha', 'x0', 'activation', 'dale', 'rec_noise', 'seed'}
        expectTrue(isequal(net2.(key{1}), net.(key{1})), '%s: %s', fmt{1}, key{1});
    end
    [y2, r2] = net2.forward(u);   % noise on: both draw from the saved generator state
    [y1, r1] = net.forward(u);
    expectTrue(isequal(y1, y2) && isequal(r1, r2), '%s: same outputs and rates, bit for bit', fmt{1});
    net2.train(u, 0.1 * ones(1, 7, 3), 'lr', 0.01);   % a working network
    clear c
end
end

function octaveSaveOfTheObject()
% Octave 7 stores a classdef object saved in a MAT file as a struct of its
% properties (it calls no saveobj, and reads every property twice: they
% must not change in between); loadobj takes that struct too.
net = nn4n.CTRNN([1 6 2], 'seed', 5, 'training', false);
u = ones(1, 4, 2);
net.train(u, zeros(2, 4, 2), 'updates', 2);   % with a kept objective and optimizer
f = tempFile('.mat');
c = onCleanup(@() delete(f));
w = warning('off', 'all');
save('-v7', f, 'net');
S = load(f);
warning(w);
expectTrue(isstruct(S.net) && isfield(S.net, 'Saved'), 'Octave loads a struct with the Saved field');
net2 = nn4n.CTRNN.loadobj(S.net);
expectTrue(isequal(net2.forward(u), net.forward(u)), 'the same outputs');
expectTrue(net2.live() ~= net.live(), 'a new handle');
end

function freedAndBrokenNetworksLoad()
% A freed network loads as a freed one; bytes the library rejects load as a
% freed network that warns, keeps the bytes, and fails with
% nn4n:invalidHandle (never a crash).
net = nn4n.CTRNN([1 4 1], 'seed', 1);
s = saveobj(net);
net.free();
freed = nn4n.CTRNN.loadobj(saveobj(net));
expectTrue(~freed.isvalidHandle() && ~isempty(strfind(evalc('disp(freed)'), 'freed')), 'a freed network');
expectError(@() freed.forward(ones(1, 3)), 'nn4n:invalidHandle');
bad = s;
bad.npz = bad.npz(1:floor(end / 2));
out = evalc('broken = nn4n.CTRNN.loadobj(bad);');   % the warning (nn4n:loadobj), captured
expectTrue(~isempty(strfind(out, 'could not be rebuilt (nn4n:format')), 'the warning: %s', out);
expectTrue(~broken.isvalidHandle(), 'a freed network');
expectError(@() broken.forward(ones(1, 3)), 'nn4n:invalidHandle');
expectError(@() broken.train(ones(1, 3), ones(1, 3)), 'nn4n:invalidHandle');
expectTrue(isequal(saveobj(broken), bad), 'saving it again keeps the bytes');
expectError(@() nn4n.CTRNN.loadobj(struct('a', 1)), 'nn4n:invalidArgument');
again = nn4n.CTRNN.loadobj(s);   % the intact bytes still load after the handle was freed
expectTrue(again.isvalidHandle() && again.n_hid == 4, 'the saved bytes outlive the handle');
end
