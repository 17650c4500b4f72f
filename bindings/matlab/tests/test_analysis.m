function tests = test_analysis()
%TEST_ANALYSIS nn4n.analysis.fixedPoints against known fixed points.
tests = {@oneUnitTanhThreePoints, @linearNetworkClosedForm, @jacobianMatchesFiniteDifferences, @badInput};
end

function oneUnitTanhThreePoints()
net = nn4n.CTRNN([0 1 1], 'activation', 'tanh', 'training', false);
net.w_rec = 2;
fp = nn4n.analysis.fixedPoints(net, linspace(-4, 4, 41), [], 'outlier_scale', -1);
expectTrue(numel(fp.q) == 3 && all(fp.converged) && all(fp.q < 1e-12), 'three converged points');
[x, order] = sort(fp.points);
expectTrue(abs(x(3) - 2 * tanh(x(3))) < 1e-12 && abs(x(2)) < 1e-12 && abs(x(1) + x(3)) < 1e-12, ...
    'roots 0 and +-x*');
expectTrue(isequal(fp.stability(order).', [0 2 0]), 'outer points stable, middle unstable');
lam = 1 - net.alpha + net.alpha * 2 * (1 - tanh(x(3))^2);
expectTrue(abs(real(fp.eigenvalues(1, order(3))) - lam) < 1e-12, 'eigenvalue at x*');
expectTrue(sum(fp.count) == 41 && all(fp.labels >= 1), 'every search labelled');
end

function linearNetworkClosedForm()
net = nn4n.CTRNN([2 5 1], 'activation', 'linear', 'training', false);
W = 0.3 * [0.5 -0.2 0.1 0 0.3; 0.1 0.2 -0.4 0.2 0; 0 0.3 0.1 -0.2 0.1; -0.1 0 0.2 0.4 0; 0.2 0.1 0 -0.3 0.2];
net.w_rec = W;
net.w_in = [1 0; 0 1; 0.5 0.5; -1 0; 0 2];
u = [0.3; -0.7];
fp = nn4n.analysis.fixedPoints(net, randn(5, 4), u);
want = (eye(5) - W) \ (net.w_in * u);
expectTrue(numel(fp.q) == 1 && max(abs(fp.points - want)) < 1e-10, 'x* = (I - W)^-1 W_in u');
expectTrue(fp.stability == 0, 'stable');
end

function badInput()
net = nn4n.CTRNN([2 4 1], 'activation', 'tanh', 'training', false);
expectError(@() nn4n.analysis.fixedPoints(net, zeros(3, 2), [0; 0]), 'nn4n:shape');
expectError(@() nn4n.analysis.fixedPoints(net, zeros(4, 2), [0; 0; 0]), 'nn4n:shape');
expectError(@() nn4n.analysis.fixedPoints(net, [zeros(4, 1), NaN(4, 1)], [0; 0]), 'nn4n:notFinite');
expectError(@() nn4n.analysis.fixedPoints(net, zeros(4, 2), [0; 0], 'bogus', 1), 'nn4n:invalidArgument');
end

function jacobianMatchesFiniteDifferences()
net = nn4n.CTRNN([2 4 1], 'activation', 'tanh', 'training', false);
net.alpha = [0.1; 0.3; 0.5; 1];
x = [0.2; -0.4; 0.7; 0.1];
u = [0.5; -1];
[jx, ju] = nn4n.analysis.jacobian(net, x, u);
h = 1e-6;
F = @(x, u) net.step(x, u);
for k = 1:4
    e = zeros(4, 1); e(k) = h;
    fd = (F(x + e, u) - F(x - e, u)) / (2 * h);
    expectTrue(max(abs(jx(:, k) - fd)) < 1e-8, 'dF/dx column %d', k);
end
for k = 1:2
    e = zeros(2, 1); e(k) = h;
    fd = (F(x, u + e) - F(x, u - e)) / (2 * h);
    expectTrue(max(abs(ju(:, k) - fd)) < 1e-8, 'dF/du column %d', k);
end
end
