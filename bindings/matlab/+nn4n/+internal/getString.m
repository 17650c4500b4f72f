function s = getString(fn, pre, npre)
%GETSTRING Read a string with the ABI's string-output protocol (internal).
%   s = nn4n.internal.getString('nn4n_model_get_str', {h, 'activation'}, 1)
%   calls fn(pre{:}, buf, len, needed) twice: a size query (len 0), then with
%   a buffer of the size needed. npre is the number of pointer (string)
%   arguments in pre, which shifts the outputs.
out = cell(1, 3 + npre);
[out{:}] = nn4n.internal.call(fn, pre{:}, '', int64(0), int64(0));
need = double(out{end});
if need <= 1
    s = '';
    return
end
[out{:}] = nn4n.internal.call(fn, pre{:}, blanks(need - 1), int64(need), int64(0));
s = out{end - 1};
s = s(:).';
end
