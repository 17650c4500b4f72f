function setNumThreads(n)
%SETNUMTHREADS Set the number of threads the library computes with.
%   nn4n.setNumThreads(n) sets Go's GOMAXPROCS and OpenBLAS's thread count
%   to n (1 <= n <= 4096), process-wide. Results are bit-identical for the
%   same seed and thread count. For small networks driven step by step,
%   n = 1 is usually fastest.
nn4n.internal.call('nn4n_set_num_threads', int64(nn4n.internal.toScalar(n, 'n')));
end
