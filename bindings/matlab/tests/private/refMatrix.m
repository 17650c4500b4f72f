function M = refMatrix(e)
%REFMATRIX A reference entry (row-major rows-by-cols) as the MATLAB rows-by-cols matrix.
M = reshape(e.v, e.cols, e.rows).';
end
