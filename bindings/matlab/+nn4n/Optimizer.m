classdef Optimizer < nn4n.internal.Object
    %OPTIMIZER A gradient-descent optimiser with state (a library optimizer).
    %
    %   opt = nn4n.Optimizer(kind) makes an optimiser: 'adam' (torch's
    %   defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
    %   max_norm 0, guard 1) or 'sgd' (pycog's: lr 0.01, max_norm 1, guard 1).
    %   opt = nn4n.Optimizer(kind, Name, Value, ...) also sets keys:
    %     'lr'        learning rate
    %     'max_norm'  global-norm gradient clipping (0 = off)
    %     'guard'     1: skip a NaN/Inf/huge gradient and shrink W_rec instead
    %     'beta1' 'beta2' 'eps' 'weight_decay'   Adam's
    %   An optimiser keeps state (Adam's moments): use one per network. Pass it
    %   to net.train(..., 'optimizer', opt). Errors: nn4n:unknownKey,
    %   nn4n:invalidArgument, nn4n:notFinite.
    %
    %   See also nn4n.CTRNN/train, nn4n.Objective.

    properties (SetAccess = private)
        kind = '';   % 'adam' or 'sgd'
    end

    methods
        function obj = Optimizer(kind, varargin)
            %OPTIMIZER Make an optimiser: nn4n.Optimizer(kind, Name, Value, ...).
            obj.Prefix = 'nn4n_optimizer';
            if nargin < 1
                kind = 'adam';
            end
            kind = nn4n.internal.toText(kind, 'kind');
            [~, ~, h] = nn4n.internal.call('nn4n_optimizer_create', kind, uint64(0));
            obj.Handle = h;
            obj.kind = lower(kind);
            [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.Optimizer');
            for k = 1:numel(order)
                obj.set(order{k}, opts.(order{k}));
            end
        end

        function set(obj, key, value)
            %SET Set a numeric key: opt.set('lr', 1e-2).
            obj.setF64(key, value);
        end

        function v = get(obj, key)
            %GET Read a numeric key: v = opt.get('lr').
            v = obj.getF64(key);
        end

        function reset(obj)
            %RESET Forget the optimiser's state (moments, step count).
            nn4n.internal.call('nn4n_optimizer_reset', obj.live());
        end
    end
end
