function setMemoryLimit(bytes)
%SETMEMORYLIMIT Set the largest allocation one library call may make.
%   nn4n.setMemoryLimit(bytes) sets the process-wide memory budget: a model
%   creation or load, forward pass, gradient or training step that would need
%   more than bytes is refused before it allocates, with error nn4n:memory and
%   a message giving both sizes. nn4n.setMemoryLimit(0) restores the default,
%   half of physical memory. See docs/GUARANTEES.md.
bytes = nn4n.internal.toScalar(bytes, 'bytes');
if bytes < 0 || bytes ~= fix(bytes)
    error('nn4n:invalidArgument', 'nn4n.setMemoryLimit: bytes must be a non-negative integer, got %g', bytes);
end
nn4n.internal.call('nn4n_set_memory_limit', int64(bytes));
end
