function id = errid(status)
%ERRID The error identifier of an nn4n status code (internal).
%   id = nn4n.internal.errid(status) is 'nn4n:invalidArgument' (1),
%   'nn4n:nullPointer' (2), 'nn4n:shape' (3), 'nn4n:invalidHandle' (4),
%   'nn4n:unknownKey' (5), 'nn4n:notFinite' (6), 'nn4n:io' (7),
%   'nn4n:format' (8), 'nn4n:cancelled' (9), 'nn4n:internal' (10),
%   'nn4n:bufferTooSmall' (11), 'nn4n:state' (12), 'nn4n:numeric' (13), 'nn4n:range' (14),
%   'nn4n:fork' (15), 'nn4n:memory' (16), and 'nn4n:unknownStatus' for any other code.
ids = {'nn4n:invalidArgument', 'nn4n:nullPointer', 'nn4n:shape', 'nn4n:invalidHandle', ...
       'nn4n:unknownKey', 'nn4n:notFinite', 'nn4n:io', 'nn4n:format', 'nn4n:cancelled', ...
       'nn4n:internal', 'nn4n:bufferTooSmall', 'nn4n:state', 'nn4n:numeric', 'nn4n:range', ...
       'nn4n:fork', 'nn4n:memory'};
if status >= 1 && status <= numel(ids) && status == fix(status)
    id = ids{status};
else
    id = 'nn4n:unknownStatus';
end
end
