function s = size3(a)
%SIZE3 The size of a as [d1 d2 d3], trailing singleton dimensions included (internal).
s = [size(a, 1), size(a, 2), size(a, 3)];
if ndims(a) > 3
    s = [s, size(a, 4)];
end
end
