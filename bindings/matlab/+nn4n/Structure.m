classdef Structure < nn4n.internal.Object
    %STRUCTURE A connectivity generator: sparsity masks, Dale signs, areas.
    %
    %   s = nn4n.Structure(kind, [I N O], Name, Value, ...) makes the mask
    %   generator kind ('multi_area', 'multi_area_ei', 'random_input',
    %   'multi_io', 'pycog'), sets its keys and builds it. nn4n.MultiArea,
    %   nn4n.MultiAreaEI, nn4n.RandomInput and nn4n.MultiIO are the same with
    %   the kind filled in; their help lists the keys.
    %
    %   Indices are MATLAB's: areas are numbered from 1 (keys input_areas,
    %   readout_areas, and the area argument of units), unit indices start at
    %   1. Matrix-valued keys (area_connectivities as an n_areas-by-n_areas
    %   matrix, input_table, readout_table) are given as MATLAB matrices in
    %   the library's (row, column) meaning.
    %
    %   Properties (read-only, in the weights' (post, pre) orientation):
    %     input_mask N-by-I, hidden_mask N-by-N, readout_mask O-by-N   0/1
    %     input_sign hidden_sign readout_sign   +1/-1/0 ([] without E/I)
    %     unit_sign N-by-1 ([] without E/I), hidden_scale (pycog's Crec or [])
    %     n_areas, kind, dims
    %   Methods:
    %     [Min, Mrec, Mout] = s.masks()   the three sparsity masks
    %     [Sin, Srec, Sout] = s.signs()   the three sign masks
    %     idx = s.units(key)              'input', 'non_input', 'readout',
    %                                     'excitatory', 'inhibitory' (1-based)
    %     idx = s.units('area', k)        the units of area k (1-based)
    %     name = s.areaName(k)
    %   Pass s to nn4n.CTRNN(s, ...) to make a network with these masks in
    %   place before its weights are drawn.
    %
    %   Errors: nn4n:unknownKey (a key the kind does not have),
    %   nn4n:invalidArgument (a parameter out of range, naming it).
    %
    %   See also nn4n.MultiArea, nn4n.MultiAreaEI, nn4n.RandomInput, nn4n.MultiIO.

    properties (SetAccess = private)
        kind = '';   % the generator's kind
    end
    properties (Dependent, SetAccess = private)
        dims            % [I N O]
        n_areas         % number of areas (multi-area kinds)
        input_mask      % N-by-I sparsity mask of the input weights
        hidden_mask     % N-by-N sparsity mask of the recurrent weights
        readout_mask    % O-by-N sparsity mask of the readout weights
        input_sign      % sign mask of the input weights ([] without E/I)
        hidden_sign     % sign mask of the recurrent weights ([] without E/I)
        readout_sign    % sign mask of the readout weights ([] without E/I)
        unit_sign       % +1 (excitatory) / -1 (inhibitory) per unit ([] without E/I)
        hidden_scale    % pycog's Crec initial scale ([] for other kinds)
    end

    methods
        function obj = Structure(kind, dims, varargin)
            %STRUCTURE Make and build a generator: nn4n.Structure(kind, [I N O], Name, Value, ...).
            obj.Prefix = 'nn4n_structure';
            if nargin < 2
                error('nn4n:invalidArgument', 'nn4n.Structure: give the kind and the dimensions [I N O]');
            end
            kind = nn4n.internal.toText(kind, 'kind');
            if ~isnumeric(dims) || numel(dims) ~= 3 || any(dims ~= fix(dims)) || any(dims < 0)
                error('nn4n:invalidArgument', 'nn4n.Structure: dims must be [I N O], non-negative integers');
            end
            [~, ~, h] = nn4n.internal.call('nn4n_structure_create', kind, int64(dims(1)), ...
                int64(dims(2)), int64(dims(3)), uint64(0));
            obj.Handle = h;
            obj.kind = kind;
            [opts, order] = nn4n.internal.parseOptions(varargin, ['nn4n.' kind]);
            for k = 1:numel(order)
                obj.setKey(order{k}, opts.(order{k}));
            end
            nn4n.internal.call('nn4n_structure_build', obj.live());
        end

        function [Min, Mrec, Mout] = masks(obj)
            %MASKS The sparsity masks: [Min, Mrec, Mout] = s.masks() (N-by-I, N-by-N, O-by-N).
            Min = obj.input_mask;
            Mrec = obj.hidden_mask;
            Mout = obj.readout_mask;
        end

        function [Sin, Srec, Sout] = signs(obj)
            %SIGNS The Dale sign masks: [Sin, Srec, Sout] = s.signs() ([] without E/I).
            Sin = obj.input_sign;
            Srec = obj.hidden_sign;
            Sout = obj.readout_sign;
        end

        function idx = units(obj, key, area)
            %UNITS Unit indices (1-based, increasing, a column).
            %   idx = s.units(key) for key 'input', 'non_input', 'readout',
            %   'excitatory', 'inhibitory'; idx = s.units('area', k) for the
            %   units of area k (1..n_areas).
            key = nn4n.internal.toText(key, 'key');
            a = 0;
            if strcmp(key, 'area')
                if nargin < 3
                    error('nn4n:invalidArgument', 'units: give the area number (1-based)');
                end
                a = nn4n.internal.toScalar(area, 'area') - 1;
            end
            [~, ~, n] = nn4n.internal.call('nn4n_structure_index_count', obj.live(), key, int64(a), int64(0));
            if n == 0
                idx = zeros(0, 1);
                return
            end
            [~, ~, buf] = nn4n.internal.call('nn4n_structure_indices', obj.live(), key, int64(a), ...
                zeros(double(n), 1), int64(n));
            idx = buf(:) + 1;
        end

        function name = areaName(obj, k)
            %AREANAME The name of area k (1-based).
            k = nn4n.internal.toScalar(k, 'area');
            name = nn4n.internal.getString('nn4n_structure_area_name', {obj.live(), int64(k - 1)}, 0);
        end

        function v = get(obj, key)
            %GET Read a numeric key ('built', 'n_areas', 'inputs', 'units', 'outputs', 'seed', ...).
            v = obj.getF64(key);
        end

        function v = get.dims(obj)
            v = [obj.getF64('inputs'), obj.getF64('units'), obj.getF64('outputs')];
        end
        function v = get.n_areas(obj), v = obj.getF64('n_areas'); end
        function v = get.input_mask(obj), v = obj.array('input_mask'); end
        function v = get.hidden_mask(obj), v = obj.array('hidden_mask'); end
        function v = get.readout_mask(obj), v = obj.array('readout_mask'); end
        function v = get.input_sign(obj), v = obj.array('input_sign'); end
        function v = get.hidden_sign(obj), v = obj.array('hidden_sign'); end
        function v = get.readout_sign(obj), v = obj.array('readout_sign'); end
        function v = get.unit_sign(obj), v = obj.array('unit_sign'); end
        function v = get.hidden_scale(obj), v = obj.array('hidden_scale'); end

        function disp(obj)
            %DISP Show the kind and the dimensions.
            if obj.Handle == 0
                fprintf('  nn4n structure (freed)\n');
                return
            end
            d = obj.dims;
            fprintf('  nn4n structure %s, [I N O] = [%d %d %d]\n', obj.kind, d(1), d(2), d(3));
        end
    end

    methods (Access = private)
        function M = array(obj, key)
            % A built mask in MATLAB's orientation, [] when absent.
            M = nn4n.internal.getMatrix('nn4n_structure', obj.live(), key);
            if isempty(M)
                M = [];
            end
        end

        function setKey(obj, key, v)
            % One key: text, array (1-based area numbers made 0-based) or number.
            arrays = {'area_sizes', 'area_connectivities', 'input_areas', 'readout_areas', ...
                'exc_pct', 'inter_area_connections', 'input_dims', 'readout_dims', ...
                'input_table', 'readout_table'};
            if strcmp(key, 'area_names')
                if iscell(v)
                    v = strjoin(v, ',');
                end
                nn4n.internal.call('nn4n_structure_set_str', obj.live(), key, nn4n.internal.toText(v, key));
            elseif any(strcmp(key, arrays))
                if islogical(v)
                    v = double(v);
                end
                if any(strcmp(key, {'input_areas', 'readout_areas'}))
                    v = double(v) - 1;   % MATLAB's area numbers are 1-based
                end
                vals = nn4n.internal.rowMajor(v);
                nn4n.internal.call('nn4n_structure_set_array', obj.live(), key, vals, int64(numel(vals)));
            else
                nn4n.internal.call('nn4n_structure_set_f64', obj.live(), key, nn4n.internal.toScalar(v, key));
            end
        end
    end
end
