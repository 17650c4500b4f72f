function [bytes, defaultBytes] = memoryLimit()
%MEMORYLIMIT The largest allocation one library call may make.
%   [bytes, defaultBytes] = nn4n.memoryLimit() returns the memory budget in
%   force and the default one (half of physical memory). Set it with
%   nn4n.setMemoryLimit.
[~, b, d] = nn4n.internal.call('nn4n_get_memory_limit', int64(0), int64(0));
bytes = double(b);
defaultBytes = double(d);
end
