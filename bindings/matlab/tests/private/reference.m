function ref = reference()
%REFERENCE The values written by tests/reference.c (through the C ABI), as a struct.
%   Each entry "name rows cols values..." becomes ref.(name) = struct with
%   fields rows, cols and v (the row-major values as a column); dots in
%   names become '__'. The file is $NN4N_REFERENCE (set by tests/run.sh).
persistent cache
if ~isempty(cache)
    ref = cache;
    return
end
file = getenv('NN4N_REFERENCE');
if isempty(file) || ~exist(file, 'file')
    skip('NN4N_REFERENCE is not set (run bindings/matlab/tests/run.sh)');
end
fid = fopen(file, 'r');
c = onCleanup(@() fclose(fid));
ref = struct();
while true
    line = fgetl(fid);
    if ~ischar(line)
        break
    end
    parts = strsplit(strtrim(line), ' ');
    e = struct('rows', str2double(parts{2}), 'cols', str2double(parts{3}), ...
        'v', str2double(parts(4:end)).');
    ref.(strrep(parts{1}, '.', '__')) = e;
end
cache = ref;
end
