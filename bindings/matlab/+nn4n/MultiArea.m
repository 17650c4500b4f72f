classdef MultiArea < nn4n.Structure
    %MULTIAREA nn4n's multi-area structure: areas with forward/backward connectivity.
    %
    %   s = nn4n.MultiArea([I N O], Name, Value, ...) builds the masks of N
    %   units split into areas. Keys:
    %     'n_areas'              number of areas (2)
    %     'area_sizes'           units per area (vector; default: equal split)
    %     'area_connectivities'  [fwd bwd], [fwd bwd within], or an
    %                            n_areas-by-n_areas matrix of probabilities
    %                            ([0.1 0.1])
    %     'input_areas'          areas that receive the inputs (1-based; [] =
    %                            none; default all)
    %     'readout_areas'        areas read out (1-based; default all)
    %     'area_names'           cell array or comma-separated names
    %     'no_autapses'          true: no self-connections
    %     'seed'                 generator seed
    %   [Min, Mrec, Mout] = s.masks() returns the sparsity masks (N-by-I,
    %   N-by-N, O-by-N, the weights' (post, pre) orientation); s.units('area', k)
    %   the units of area k. Use nn4n.CTRNN(s, ...) to build a network on it.
    %
    %   Example:
    %     s = nn4n.MultiArea([3 60 2], 'n_areas', 3, 'input_areas', 1, 'readout_areas', 3);
    %     [Min, Mrec, Mout] = s.masks();
    %
    %   See also nn4n.MultiAreaEI, nn4n.Structure, nn4n.CTRNN.
    methods
        function obj = MultiArea(dims, varargin)
            %MULTIAREA Build the masks: nn4n.MultiArea([I N O], Name, Value, ...).
            obj@nn4n.Structure('multi_area', dims, varargin{:});
        end
    end
end
