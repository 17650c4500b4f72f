function s = blasInfo()
%BLASINFO A description of the BLAS the library uses, e.g. 'OpenBLAS 0.3.21 ...'.
s = nn4n.internal.getString('nn4n_blas_info', {}, 0);
end
