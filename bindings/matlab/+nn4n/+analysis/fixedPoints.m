function fp = fixedPoints(net, states, u, varargin)
%FIXEDPOINTS Fixed and slow points of a network's noise-free update.
%   fp = nn4n.analysis.fixedPoints(net, states, u) searches for fixed points
%   of F(x; u) = (1-a).*x + a.*(W_rec f(x) + b_rec + W_in u + b_in) from the
%   initial states (N-by-P, one state per column; an N-by-T-by-B trajectory
%   array from net.forward works too) with the constant input u (I-by-1, []
%   when I = 0), by Levenberg-Marquardt with the exact Jacobian in the
%   library (nn4n_model_fixed_points), then linearises at every kept point
%   (nn4n_model_linearize). The network must be in evaluation mode when it
%   has noise (else nn4n:state).
%
%   Options (name, value): 'tol' (1e-12, the q = |F(x)-x|^2/2 of
%   convergence), 'slow_q' (0: off; also keep slow points with q <= it),
%   'max_iter' (100), 'dedup_tol' (1e-6), 'outlier_scale' (10; < 0 keeps all).
%
%   fp is a struct with, for the K kept points sorted by q: points (N-by-K),
%   q, iterations, converged (logical), count (searches that ended there),
%   n_unstable (K-by-1 each), stability (K-by-1: 0 stable, 1 saddle, 2
%   unstable), eigenvalues and continuous (N-by-K complex, by decreasing
%   modulus; continuous = (lambda-1)/mean(alpha)); and for the P searches:
%   ends (N-by-P), end_q, end_converged, labels (1-based index of the kept
%   point, 0 not converged, -1 outlier).
opts = struct('tol', 1e-12, 'slow_q', 0, 'max_iter', 100, 'dedup_tol', 1e-6, 'outlier_scale', 10);
if mod(numel(varargin), 2) ~= 0
    error('nn4n:invalidArgument', 'fixedPoints: options come in name, value pairs');
end
for k = 1:2:numel(varargin)
    name = varargin{k};
    if ~ischar(name) || ~isfield(opts, name)
        if ~ischar(name)
            name = sprintf('of class %s', class(name));
        end
        error('nn4n:invalidArgument', 'fixedPoints: unknown option %s (known: %s)', ...
            name, strjoin(fieldnames(opts).', ', '));
    end
    opts.(name) = double(varargin{k + 1});
end
d = net.dims;
N = d(2);
if size(states, 1) ~= N
    error('nn4n:shape', 'fixedPoints: states have %d rows, want N = %d (one state per column)', ...
        size(states, 1), N);
end
x0 = reshape(double(states), N, []);
P = size(x0, 2);
if nargin < 3
    u = [];
end
u = double(u(:));
ends = zeros(N, P); q = zeros(P, 1); it = zeros(P, 1); conv = zeros(P, 1); lab = zeros(P, 1);
[~, ~, ~, ends, q, it, conv, lab, K] = nn4n.internal.call('nn4n_model_fixed_points', net.live(), ...
    u, int64(numel(u)), x0, int64(numel(x0)), int64(P), opts.tol, opts.slow_q, int64(opts.max_iter), ...
    opts.dedup_tol, opts.outlier_scale, ends, int64(numel(ends)), q, int64(P), it, int64(P), ...
    conv, int64(P), lab, int64(P), int64(0));
ends = reshape(ends, N, P);
K = double(K);
fp = struct('points', zeros(N, K), 'q', zeros(K, 1), 'iterations', zeros(K, 1), ...
    'converged', false(K, 1), 'count', zeros(K, 1), 'n_unstable', zeros(K, 1), ...
    'stability', zeros(K, 1), 'eigenvalues', zeros(N, K), 'continuous', zeros(N, K), ...
    'ends', ends, 'end_q', q(:), 'end_converged', conv(:) > 0, 'labels', 0 * lab(:));
lab = lab(:);
fp.labels = lab + 1;
fp.labels(lab == -2) = -1;
for j = 1:K
    idx = find(lab == j - 1);
    [~, m] = min(q(idx));
    r = idx(m);
    fp.points(:, j) = ends(:, r);
    fp.q(j) = q(r);
    fp.iterations(j) = it(r);
    fp.converged(j) = conv(r) > 0;
    fp.count(j) = numel(idx);
    z = zeros(N, 1);
    [~, ~, ~, er, ei, cr, ci, nu] = nn4n.internal.call('nn4n_model_linearize', net.live(), ...
        fp.points(:, j), int64(N), u, int64(numel(u)), z, int64(N), z, int64(N), z, int64(N), ...
        z, int64(N), int64(0), int64(0), [], int64(0), [], int64(0), [], int64(0), [], int64(0));
    fp.eigenvalues(:, j) = complex(er(:), ei(:));
    fp.continuous(:, j) = complex(cr(:), ci(:));
    fp.n_unstable(j) = double(nu);
    if nu == 0
        fp.stability(j) = 0;
    elseif nu == N
        fp.stability(j) = 2;
    else
        fp.stability(j) = 1;
    end
end
end
