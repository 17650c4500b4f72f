classdef MultiAreaEI < nn4n.Structure
    %MULTIAREAEI nn4n's multi-area structure with excitatory and inhibitory units.
    %
    %   s = nn4n.MultiAreaEI([I N O], Name, Value, ...) takes the keys of
    %   nn4n.MultiArea and:
    %     'exc_pct'                 fraction of excitatory units (one value, or
    %                               one per area; [0.8])
    %     'inter_area_connections'  4 flags [E->E, E->I, I->E, I->I] between
    %                               areas ([1 1 1 1])
    %     'inh_readout'             true: inhibitory units are read out (true)
    %   Besides the sparsity masks (s.masks()), it has Dale sign masks
    %   (s.signs(), s.unit_sign) that nn4n.CTRNN(s, ...) installs before
    %   drawing the weights. s.units('excitatory') and s.units('inhibitory')
    %   list the units (1-based).
    %
    %   Example (a first E/I network in two lines):
    %     s = nn4n.MultiAreaEI([1 80 1], 'n_areas', 2, 'input_areas', 1, 'readout_areas', 2);
    %     net = nn4n.CTRNN(s, 'activation', 'relu', 'seed', 1);
    %
    %   See also nn4n.MultiArea, nn4n.Structure, nn4n.CTRNN.
    methods
        function obj = MultiAreaEI(dims, varargin)
            %MULTIAREAEI Build the masks: nn4n.MultiAreaEI([I N O], Name, Value, ...).
            obj@nn4n.Structure('multi_area_ei', dims, varargin{:});
        end
    end
end
