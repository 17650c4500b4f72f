classdef Objective < nn4n.internal.Object
    %OBJECTIVE What training minimises (a library objective).
    %
    %   obj = nn4n.Objective(kind) makes an objective with its defaults;
    %   obj = nn4n.Objective(kind, Name, Value, ...) also sets keys.
    %   Kinds and keys (see include/nn4n.h for every detail):
    %     'songyang'  Song, Yang & Wang (2016), as pycog: masked loss, L1/L2
    %                 penalties, rate penalty, Omega regulariser. Numeric keys
    %                 lambda1_in lambda1_rec lambda1_out lambda2_in lambda2_rec
    %                 lambda2_out lambda2_r (0), lambda_omega (2; 0 = off); text
    %                 keys head ('squared' | 'bce' | 'softmax_ce'), weights
    %                 ('raw' | 'effective').
    %     'rnnloss'   nn4n's RNNLoss: lambda_mse (1), masked, lambda_in
    %                 lambda_hid lambda_out lambda_fr lambda_fr_sd lambda_fr_cv;
    %                 weights, on ('rates' | 'states').
    %     'composite' nn4n's CompositeLoss, empty: add terms with addTerm and
    %                 set their keys as '<term>.<key>'.
    %     a criterion ('fr', 'fr_dist', 'rnn_conn', 'state_pred', 'entropy',
    %                 'hebbian', 'cross_entropy', 'mse') alone.
    %   Use it with net.train(u, target, 'objective', obj) (also gradients and
    %   loss). Errors: nn4n:unknownKey (unknown kind or key),
    %   nn4n:invalidArgument (a value out of range), nn4n:notFinite.
    %
    %   Example:
    %     obj = nn4n.Objective('composite');
    %     obj.addTerm('mse', 'lambda', 1);
    %     obj.addTerm('fr', 'name', 'rate', 'lambda', 0.01, 'metric', 'l1');
    %
    %   See also nn4n.CTRNN/train, nn4n.Optimizer.

    properties (Dependent, SetAccess = private)
        kind    % the objective's kind
    end

    methods
        function obj = Objective(kind, varargin)
            %OBJECTIVE Make an objective: nn4n.Objective(kind, Name, Value, ...).
            obj.Prefix = 'nn4n_objective';
            if nargin < 1
                kind = 'songyang';
            end
            [~, ~, h] = nn4n.internal.call('nn4n_objective_create', nn4n.internal.toText(kind, 'kind'), uint64(0));
            obj.Handle = h;
            [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.Objective');
            for k = 1:numel(order)
                obj.set(order{k}, opts.(strrep(order{k}, '.', '__')));
            end
        end

        function addTerm(obj, kind, varargin)
            %ADDTERM Append a criterion to a 'composite' objective.
            %   obj.addTerm(kind) adds the criterion kind ('fr', 'fr_dist',
            %   'rnn_conn', 'state_pred', 'entropy', 'hebbian', 'cross_entropy',
            %   'mse') with weight 1, reported under its kind's name.
            %   obj.addTerm(kind, 'name', name, 'lambda', lambda, key, value, ...)
            %   names it (letters, digits, '_'; unique), weights it, and sets its
            %   keys ('<name>.<key>'). Errors: nn4n:state (not a composite),
            %   nn4n:invalidArgument (duplicate name), nn4n:unknownKey.
            [opts, order] = nn4n.internal.parseOptions(varargin, 'addTerm');
            name = '';
            lambda = 1;
            if isfield(opts, 'name'), name = nn4n.internal.toText(opts.name, 'name'); end
            if isfield(opts, 'lambda'), lambda = nn4n.internal.toScalar(opts.lambda, 'lambda'); end
            kind = nn4n.internal.toText(kind, 'kind');
            nn4n.internal.call('nn4n_objective_add_term', obj.live(), name, kind, lambda);
            if isempty(name)
                name = kind;
            end
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, {'name', 'lambda'}))
                    obj.set([name '.' order{k}], opts.(order{k}));
                end
            end
        end

        function set(obj, key, value)
            %SET Set a key: obj.set(key, number) or obj.set(key, text).
            obj.setAny(key, value);
        end

        function v = get(obj, key)
            %GET Read a numeric key: v = obj.get(key).
            v = obj.getF64(key);
        end

        function s = getText(obj, key)
            %GETTEXT Read a text key ('kind', 'head', 'weights', '<term>.kind', ...).
            s = obj.getStr(key);
        end

        function v = get.kind(obj)
            v = obj.getStr('kind');
        end
    end
end
