classdef MultiIO < nn4n.Structure
    %MULTIIO nn4n's multi-input/multi-output structure: groups of inputs and outputs to units.
    %
    %   s = nn4n.MultiIO([I N O], Name, Value, ...) keys:
    %     'input_dims'     sizes of the input groups (sum I)
    %     'readout_dims'   sizes of the output groups (sum O)
    %     'input_table'    groups-by-N 0/1 matrix: unit n receives input group g
    %     'readout_table'  groups-by-N 0/1 matrix: output group g reads unit n
    %   [Min, Mrec, Mout] = s.masks() returns the masks (N-by-I, N-by-N, O-by-N).
    %
    %   Example:
    %     tin = [ones(1,10) zeros(1,10); zeros(1,10) ones(1,10)];
    %     s = nn4n.MultiIO([3 20 1], 'input_dims', [1 2], 'readout_dims', 1, ...
    %                      'input_table', tin, 'readout_table', ones(1, 20));
    %
    %   See also nn4n.Structure, nn4n.CTRNN.
    methods
        function obj = MultiIO(dims, varargin)
            %MULTIIO Build the masks: nn4n.MultiIO([I N O], Name, Value, ...).
            obj@nn4n.Structure('multi_io', dims, varargin{:});
        end
    end
end
