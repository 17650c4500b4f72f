function [liveHandles, goHeapBytes] = runtimeStats()
%RUNTIMESTATS Live library handles and Go heap bytes (a diagnostic).
%   [liveHandles, goHeapBytes] = nn4n.runtimeStats() runs Go's garbage
%   collector and returns the number of live handles of every kind and the
%   bytes of live Go heap: call it before and after a loop to see a leak.
[~, n, b] = nn4n.internal.call('nn4n_runtime_stats', int64(0), int64(0));
liveHandles = double(n);
goHeapBytes = double(b);
end
