function v = rowMajor(M)
%ROWMAJOR The row-major memory of a MATLAB matrix, as a double column (internal).
%   v = nn4n.internal.rowMajor(M) is M.' flattened: the layout the C ABI
%   expects for a rows-by-cols array. Vectors are returned unchanged
%   (flattened), logical and integer arrays are converted to double.
if ~isnumeric(M) && ~islogical(M)
    error('nn4n:invalidArgument', 'expected a numeric array, got a %s', class(M));
end
if ~isreal(M)
    error('nn4n:invalidArgument', 'expected a real array');
end
if isvector(M) || isempty(M)
    v = double(M(:));
else
    if ndims(M) > 2
        error('nn4n:shape', 'expected a matrix, got an array of size %s', mat2str(size(M)));
    end
    v = reshape(double(M).', [], 1);
end
end
