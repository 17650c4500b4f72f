function [jx, ju] = jacobian(net, x, u)
%JACOBIAN Exact Jacobians of a network's noise-free update.
%   [jx, ju] = nn4n.analysis.jacobian(net, x, u) returns dF/dx (N-by-N) and
%   dF/du (N-by-I) of F(x; u) = (1-a).*x + a.*(W_rec f(x) + b_rec + W_in u +
%   b_in) at the state x (N-by-1) and input u (I-by-1, [] when I = 0), from
%   the library (nn4n_model_jacobian): jx = diag(1-a) + diag(a) W_rec
%   diag(f'(x)), ju = diag(a) W_in.
d = net.dims;
N = d(2);
I = d(1);
if nargin < 3
    u = [];
end
x = double(x(:));
u = double(u(:));
jx = zeros(N, N);
ju = zeros(N, I);
[~, ~, ~, jx, ju] = nn4n.internal.call('nn4n_model_jacobian', net.live(), x, int64(numel(x)), ...
    u, int64(numel(u)), jx, int64(N * N), ju, int64(N * I));
% The library writes row-major (post, pre) matrices: transpose the memory.
jx = reshape(jx, N, N).';
ju = reshape(ju, I, N).';
end
