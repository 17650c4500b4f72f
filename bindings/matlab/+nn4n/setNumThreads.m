function setNumThreads(n)
%SETNUMTHREADS Set the number of threads the library computes with.
%   nn4n.setNumThreads(n) sets the number of threads the library computes
%   with to n (1 <= n <= 4096), process-wide (Go's GOMAXPROCS becomes
%   max(n, 2): see nn4n_set_num_threads in nn4n.h): batches are split into up to n blocks of trials run in
%   parallel. With n >= 2, a single-state step of a large network shares
%   its product with a helper thread that spins for 50 us after each step;
%   n = 1 keeps steps on the calling thread. Outputs do not depend on n;
%   results are bit-identical for the same seed and thread count.
nn4n.internal.call('nn4n_set_num_threads', int64(nn4n.internal.toScalar(n, 'n')));
end
