classdef RandomInput < nn4n.Structure
    %RANDOMINPUT nn4n's random-input structure: random input, readout and hidden sparsity.
    %
    %   s = nn4n.RandomInput([I N O], Name, Value, ...) keys:
    %     'input_spar'    fraction of units that receive input
    %     'readout_spar'  fraction of units read out
    %     'hidden_spar'   density of the recurrent mask (1)
    %     'overlap'       fraction of readout units that also receive input (1)
    %     'seed'          generator seed
    %   [Min, Mrec, Mout] = s.masks() returns the masks (N-by-I, N-by-N,
    %   O-by-N); s.units('input'), s.units('readout') the units (1-based).
    %
    %   Example:
    %     s = nn4n.RandomInput([2 50 1], 'input_spar', 0.5, 'readout_spar', 0.5, 'seed', 3);
    %
    %   See also nn4n.Structure, nn4n.CTRNN.
    methods
        function obj = RandomInput(dims, varargin)
            %RANDOMINPUT Build the masks: nn4n.RandomInput([I N O], Name, Value, ...).
            obj@nn4n.Structure('random_input', dims, varargin{:});
        end
    end
end
