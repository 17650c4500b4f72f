function tests = test_save_load()
%TEST_SAVE_LOAD save/load round trip through .npz, and the file errors.
tests = {@roundTrip, @fileIsNpz, @badFilesRaise};
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
