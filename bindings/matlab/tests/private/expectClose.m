function expectClose(a, b, tol, what)
%EXPECTCLOSE Require equal sizes and max|a-b| <= tol (tol 0: exactly equal).
if nargin < 4
    what = 'value';
end
if ~isequal(size(a), size(b))
    error('nn4n:test:fail', '%s: size %s, expected %s', what, mat2str(size(a)), mat2str(size(b)));
end
d = max(abs(double(a(:)) - double(b(:))));
if isempty(d)
    return
end
if ~(d <= tol)
    error('nn4n:test:fail', '%s: max difference %g > %g', what, d, tol);
end
end
