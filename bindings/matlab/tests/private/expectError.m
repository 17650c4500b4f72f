function err = expectError(fn, id, pattern)
%EXPECTERROR Run fn and require an error with identifier id (and a message matching pattern).
try
    fn();
catch err
    if ~strcmp(err.identifier, id)
        error('nn4n:test:fail', 'expected error %s, got %s: %s', id, err.identifier, err.message);
    end
    if nargin > 2 && isempty(regexp(err.message, pattern, 'once'))
        error('nn4n:test:fail', 'error %s: message "%s" does not match "%s"', id, err.message, pattern);
    end
    return
end
error('nn4n:test:fail', 'expected error %s, got none', id);
end
