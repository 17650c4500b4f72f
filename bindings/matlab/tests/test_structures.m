function tests = test_structures()
%TEST_STRUCTURES MultiArea, MultiAreaEI, RandomInput, MultiIO and the generic Structure.
tests = {@multiAreaMasks, @multiAreaEISigns, @randomInput, @multiIO, @pycogStructure, @structureErrors};
end

function multiAreaMasks()
s = nn4n.MultiArea([3 30 2], 'n_areas', 3, 'input_areas', 1, 'readout_areas', 3, ...
    'area_connectivities', [0.5 0.2], 'seed', 2, 'area_names', {'V1', 'PFC', 'M1'});
expectTrue(s.n_areas == 3 && isequal(s.dims, [3 30 2]) && strcmp(s.kind, 'multi_area'), 'keys');
[Min, Mrec, Mout] = s.masks();
expectTrue(isequal(size(Min), [30 3]) && isequal(size(Mrec), [30 30]) && isequal(size(Mout), [2 30]), ...
    'shapes (post, pre)');
a1 = s.units('area', 1); a2 = s.units('area', 2); a3 = s.units('area', 3);
expectTrue(isequal(sort([a1; a2; a3]), (1:30).'), 'areas partition the units (1-based)');
expectTrue(all(any(Min(a1, :), 2)) && ~any(any(Min([a2; a3], :))), 'inputs reach area 1 only');
expectTrue(all(any(Mout(:, a3), 1)) && ~any(any(Mout(:, [a1; a2]))), 'readout from area 3 only');
expectTrue(isequal(s.units('input'), a1) && isequal(s.units('readout'), a3), 'index lists');
expectTrue(isequal(sort([s.units('input'); s.units('non_input')]), (1:30).'), 'non_input');
expectTrue(strcmp(s.areaName(2), 'PFC'), 'area name');
expectTrue(all(all(Mrec(a1, a1))), 'within-area connectivity 1 by default');
expectTrue(isempty(s.hidden_sign) && isempty(s.unit_sign), 'no signs without E/I');
expectTrue(s.get('built') == 1, 'built');
end

function multiAreaEISigns()
s = nn4n.MultiAreaEI([1 40 1], 'n_areas', 2, 'exc_pct', 0.75, 'inh_readout', false, 'seed', 1, ...
    'inter_area_connections', [1 0 1 0]);
u = s.unit_sign;
exc = s.units('excitatory'); inh = s.units('inhibitory');
expectTrue(isequal(size(u), [40 1]) && numel(exc) == 30 && numel(inh) == 10, 'E/I split');
expectTrue(all(u(exc) == 1) && all(u(inh) == -1), 'unit signs');
[Sin, Srec, Sout] = s.signs();
expectTrue(all(all(Srec(:, inh) <= 0)) && all(all(Srec(:, exc) >= 0)), 'sign by presynaptic unit');
expectTrue(isequal(size(Sin), [40 1]) && isequal(size(Sout), [1 40]), 'sign shapes');
[~, ~, Mout] = s.masks();
expectTrue(~any(Mout(inh)), 'inh_readout false');
end

function randomInput()
s = nn4n.RandomInput([2 50 1], 'input_spar', 0.4, 'readout_spar', 0.2, 'seed', 3);
[Min, ~, Mout] = s.masks();
nin = sum(any(Min, 2));
nout = sum(any(Mout, 1));
expectTrue(nin == numel(s.units('input')) && abs(nin - 20) <= 1, 'input units %d', nin);
expectTrue(nout == numel(s.units('readout')) && abs(nout - 10) <= 1, 'readout units %d', nout);
end

function multiIO()
tin = [ones(1, 10) zeros(1, 10); zeros(1, 10) ones(1, 10)];
tout = [zeros(1, 15) ones(1, 5)];
s = nn4n.MultiIO([3 20 1], 'input_dims', [1 2], 'readout_dims', 1, 'input_table', tin, ...
    'readout_table', tout);
[Min, ~, Mout] = s.masks();
expectClose(Min, [tin(1, :).' repmat(tin(2, :).', 1, 2)], 0, 'input mask from the table (groups-by-N)');
expectClose(Mout, tout, 0, 'readout mask');
end

function pycogStructure()
s = nn4n.Structure('pycog', [1 20 1], 'exc_frac', 0.8, 'seed', 2);
expectTrue(~isempty(s.hidden_scale) && isequal(size(s.hidden_scale), [20 20]), 'pycog Crec scale');
expectTrue(sum(s.unit_sign == 1) == 16, 'exc_frac');
net = nn4n.CTRNN(s, 'seed', 1);
expectClose(net.sign_rec, s.hidden_sign, 0, 'signs installed');
end

function structureErrors()
expectError(@() nn4n.MultiArea([1 10 1], 'no_such_key', 1), 'nn4n:unknownKey');
expectError(@() nn4n.MultiArea([1 10 1], 'n_areas', 20), 'nn4n:invalidArgument');
expectError(@() nn4n.Structure('no_such_kind', [1 10 1]), 'nn4n:unknownKey');
expectError(@() nn4n.MultiArea([1 10]), 'nn4n:invalidArgument');
s = nn4n.MultiArea([1 10 1]);
expectError(@() s.units('no_such_list'), 'nn4n:unknownKey');
expectError(@() s.units('area', 5), 'nn4n:invalidArgument');
end
