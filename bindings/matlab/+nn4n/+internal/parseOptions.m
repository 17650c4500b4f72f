function [opts, order] = parseOptions(args, where)
%PARSEOPTIONS Name-value pairs to a struct, in order (internal).
%   [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.CTRNN') checks
%   that args are name-value pairs with char names, and returns them as a
%   struct (names lower-cased) and the names in the order given. A
%   structure may stand for the pairs. Errors: nn4n:invalidArgument.
if numel(args) == 1 && isstruct(args{1})
    s = args{1};
    names = fieldnames(s);
    args = cell(1, 2 * numel(names));
    for k = 1:numel(names)
        args{2 * k - 1} = names{k};
        args{2 * k} = s.(names{k});
    end
end
if mod(numel(args), 2) ~= 0
    error('nn4n:invalidArgument', '%s: options must be name-value pairs', where);
end
opts = struct();
order = {};
for k = 1:2:numel(args)
    name = args{k};
    if isstring(name) && isscalar(name)
        name = char(name);
    end
    if ~ischar(name) || isempty(name)
        error('nn4n:invalidArgument', '%s: option %d: the name must be a char array', where, (k + 1) / 2);
    end
    name = lower(name);
    if ~isvarname(strrep(name, '.', '_'))
        error('nn4n:unknownKey', '%s: "%s" is not an option name', where, name);
    end
    field = strrep(name, '.', '__');
    if isfield(opts, field)
        error('nn4n:invalidArgument', '%s: option "%s" is given twice', where, name);
    end
    opts.(field) = args{k + 1};
    order{end + 1} = name; %#ok<AGROW>
end
end
