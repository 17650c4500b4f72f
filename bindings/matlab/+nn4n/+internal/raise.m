function raise(status, fname)
%RAISE Raise the error of a failed library call (internal).
%   nn4n.internal.raise(status, fname) reads the calling thread's last error
%   message (nn4n_last_error) and raises it with the identifier
%   nn4n.internal.errid(status). The message is the library's; when it is
%   empty the status name (nn4n_status_name) is used.
need = nn4n.internal.call('nn4n_last_error', '', int64(0));
msg = '';
if need > 1
    [~, msg] = nn4n.internal.call('nn4n_last_error', blanks(double(need) - 1), int64(need));
end
if isempty(msg)
    msg = sprintf('%s failed with %s', fname, nn4n.internal.call('nn4n_status_name', int32(status)));
end
err = struct('identifier', nn4n.internal.errid(status), 'message', msg);
stack = dbstack(2);
if ~isempty(stack)
    err.stack = stack;
end
error(err);
end
