function k = keys(what)
%KEYS The settings of an nn4n object or kind, read from the library.
%   k = nn4n.keys(obj) is obj.keys() for any nn4n object (CTRNN, Objective,
%   Optimizer, Structure, Task, Trainer). k = nn4n.keys('model'),
%   nn4n.keys('objective') or nn4n.keys('optimizer') lists the keys of a
%   default one. k is a struct array: name, type, access, default, doc, lo, hi.
%   Print them with: arrayfun(@(s) fprintf('%s: %s\n', s.name, s.doc), k)
if ischar(what) || (isstring(what) && isscalar(what))
    switch char(what)
        case 'model'
            obj = nn4n.CTRNN([1 2 1]);
        case 'objective'
            obj = nn4n.Objective('mse');
        case 'optimizer'
            obj = nn4n.Optimizer('adam');
        otherwise
            error('nn4n:invalidArgument', ...
                'nn4n.keys: kind ''%s'': use model, objective or optimizer, or pass an object', char(what));
    end
elseif isa(what, 'nn4n.internal.Object')
    obj = what;
else
    error('nn4n:invalidArgument', 'nn4n.keys: expected an nn4n object or a kind name, got a %s', class(what));
end
k = obj.keys();
end
