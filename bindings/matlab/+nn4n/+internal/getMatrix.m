function M = getMatrix(prefix, h, key)
%GETMATRIX Read a keyed array of a library object as a MATLAB matrix (internal).
%   M = nn4n.internal.getMatrix('nn4n_model', h, 'w_in') queries the shape
%   (prefix_shape) and copies the array (prefix_get_array). The library's
%   row-major rows-by-cols array is returned as the rows-by-cols MATLAB matrix
%   (one transpose at the boundary), so a weight comes back (post, pre) as in
%   the equations; an n-by-1 vector comes back as a column.
[~, ~, r, c] = nn4n.internal.call([prefix '_shape'], h, key, int64(0), int64(0));
r = double(r);
c = double(c);
if r * c == 0
    M = zeros(r, c);
    return
end
[~, ~, buf] = nn4n.internal.call([prefix '_get_array'], h, key, zeros(c, r), int64(r * c));
M = reshape(buf, c, r).';
end
