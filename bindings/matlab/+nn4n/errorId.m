function id = errorId(code)
%ERRORID The error identifier the binding raises for a library status code.
%   nn4n.errorId(code) is
%     1 nn4n:invalidArgument   2 nn4n:nullPointer   3 nn4n:shape
%     4 nn4n:invalidHandle     5 nn4n:unknownKey    6 nn4n:notFinite
%     7 nn4n:io                8 nn4n:format        9 nn4n:cancelled
%    10 nn4n:internal         11 nn4n:bufferTooSmall 12 nn4n:state
%    13 nn4n:numeric, and nn4n:unknownStatus otherwise.
%   Errors raised by a failed call carry the library's message
%   (nn4n_last_error); catch them with try/catch and err.identifier.
id = nn4n.internal.errid(code);
end
