function [goThreads, blasThreads] = numThreads()
%NUMTHREADS The numbers of threads the library computes with.
%   [goThreads, blasThreads] = nn4n.numThreads() returns the number of
%   threads the library computes with (nn4n.setNumThreads; by default the
%   number of CPUs) and OpenBLAS's thread count per call (1).
[~, g, b] = nn4n.internal.call('nn4n_get_num_threads', int64(0), int64(0));
goThreads = double(g);
blasThreads = double(b);
end
