function problems = checkSignatures(sigs, methodinfo)
%CHECKSIGNATURES Compare calllib's signatures with the outputs the binding expects (internal).
%   problems = nn4n.internal.checkSignatures(sigs, methodinfo) takes the
%   strings of libfunctions('nn4n', '-full'), e.g.
%     '[int32, cstring, int64Ptr, int64Ptr] nn4n_model_shape(uint64, cstring, int64Ptr, int64Ptr)'
%   and the methodinfo of the prototype file, and returns a cellstr naming
%   every function that is missing or whose number of outputs differs from
%   the binding's convention: the return value (if any), then every pointer
%   or string argument in order (what nn4n_mex returns too). MATLAB's
%   loadlibrary is checked with it when the library is loaded, so that a
%   MATLAB release with another convention fails loudly instead of shifting
%   outputs.
problems = {};
names = methodinfo.name;
for k = 1:numel(names)
    rhs = methodinfo.RHS{k};
    nptr = 0;
    if ~isempty(rhs)
        nptr = sum(~cellfun(@isempty, regexp(rhs, '(Ptr|cstring)$', 'once')));
    end
    want = ~isempty(methodinfo.LHS{k}) + nptr;
    hit = regexp(sigs, ['(^|\s|\])' names{k} '\('], 'once');
    idx = find(~cellfun(@isempty, hit), 1);
    if isempty(idx)
        problems{end + 1} = sprintf('%s: not loaded', names{k}); %#ok<AGROW>
        continue
    end
    sig = strtrim(sigs{idx});
    head = strtrim(sig(1:strfind(sig, [names{k} '(']) - 1));
    if isempty(head)
        got = 0;
    elseif head(1) == '['
        got = numel(strsplit(head(2:end - 1), ','));
    else
        got = 1;
    end
    if got ~= want
        problems{end + 1} = sprintf('%s: calllib gives %d outputs, the binding expects %d (%s)', ...
            names{k}, got, want, sig); %#ok<AGROW>
    end
end
end
