classdef Task < nn4n.internal.Object
    %TASK A cognitive task of Song et al. (2016) as a seeded batch generator.
    %
    %   task = nn4n.Task(name) makes the task with dt = 20 ms; names:
    %   'rdm_dense', 'rdm_nodale', 'rdm_fixed', 'rdm_varstim', 'rdm_rt',
    %   'mante', 'mante_areas', 'multisensory', 'romo', 'sinewave'.
    %   task = nn4n.Task(name, 'dt', dt, Name, Value, ...) also sets keys:
    %   'baseline' (0.2), 'tau_in' (100 ms), 'sigma_in' (0.01), 'test' (0/1).
    %   Read with task.get(key): inputs, outputs, n_units, minibatch,
    %   n_validation, catch_prob, threshold, n_conditions, steps.
    %
    %   b = task.sample(n) draws n training trials (seed 0);
    %   b = task.sample(n, 'kind', 'validation', 'seed', s) draws pycog's
    %   balanced validation set. b has fields
    %     input  [I T B]   target [O T B]   mask [O T B]   (T: the longest trial)
    %     conditions  B-by-14 (see include/nn4n.h: catch, choice, coherence, ...)
    %     steps       B-by-1, each trial's unpadded length
    %   The [I T B] arrays are the library's row-major B-by-T-by-I arrays (no
    %   copy); pass them straight to net.forward / net.train.
    %   score = task.score(y, metric) scores outputs y [O T B] of the current
    %   sample: 'percent_correct', 'min_condition_percent_correct' or 'rmse'.
    %
    %   Example:
    %     task = nn4n.Task('rdm_dense');
    %     b = task.sample(20, 'seed', 1);
    %
    %   See also nn4n.Trainer, nn4n.CTRNN/train.

    properties (SetAccess = private)
        name = '';   % the task's name
    end

    methods
        function obj = Task(name, varargin)
            %TASK Make a task: nn4n.Task(name, 'dt', 20, Name, Value, ...).
            obj.Prefix = 'nn4n_task';
            name = nn4n.internal.toText(name, 'name');
            [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.Task');
            dt = 20;
            if isfield(opts, 'dt')
                dt = nn4n.internal.toScalar(opts.dt, 'dt');
            end
            [~, ~, h] = nn4n.internal.call('nn4n_task_create', name, dt, uint64(0));
            obj.Handle = h;
            obj.name = name;
            for k = 1:numel(order)
                if ~strcmp(order{k}, 'dt')
                    obj.setF64(order{k}, opts.(order{k}));
                end
            end
        end

        function b = sample(obj, n, varargin)
            %SAMPLE Draw n trials: b = task.sample(n, 'kind', 'train'|'validation', 'seed', s).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'sample');
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, {'kind', 'seed'}))
                    error('nn4n:unknownKey', 'sample: unknown option "%s" (known: kind, seed)', order{k});
                end
            end
            kind = 'train';
            seed = 0;
            if isfield(opts, 'kind'), kind = nn4n.internal.toText(opts.kind, 'kind'); end
            if isfield(opts, 'seed'), seed = nn4n.internal.toScalar(opts.seed, 'seed'); end
            nn4n.internal.call('nn4n_task_sample', obj.live(), kind, int64(n), uint64(seed));
            I = obj.getF64('inputs');
            O = obj.getF64('outputs');
            T = obj.getF64('steps');
            b = struct();
            b.input = reshape(obj.raw('input'), I, T, []);
            b.target = reshape(obj.raw('target'), O, T, []);
            b.mask = reshape(obj.raw('mask'), O, T, []);
            b.conditions = nn4n.internal.getMatrix('nn4n_task', obj.live(), 'conditions');
            b.steps = b.conditions(:, end);
        end

        function s = score(obj, y, metric)
            %SCORE Score outputs y [O T B] of the current sample with a metric.
            %   y is the MATLAB [O T B] array (the library's row-major B-by-T-by-O
            %   array, passed with no copy), e.g. the output of net.forward(b.input).
            %   s = task.score(y) uses 'percent_correct'; other metrics:
            %   'min_condition_percent_correct', 'rmse'.
            if nargin < 3
                metric = 'percent_correct';
            end
            y = double(y);
            [~, ~, ~, s] = nn4n.internal.call('nn4n_task_score', obj.live(), ...
                nn4n.internal.toText(metric, 'metric'), y, int64(numel(y)), 0);
            s = double(s);
        end

        function set(obj, key, value)
            %SET Set a numeric key (discards the current sample).
            obj.setF64(key, value);
        end

        function v = get(obj, key)
            %GET Read a numeric key.
            v = obj.getF64(key);
        end
    end

    methods (Access = private)
        function buf = raw(obj, key)
            % The row-major buffer of a sample array (no reshaping).
            [~, ~, r, c] = nn4n.internal.call('nn4n_task_shape', obj.live(), key, int64(0), int64(0));
            [~, ~, buf] = nn4n.internal.call('nn4n_task_get_array', obj.live(), key, ...
                zeros(double(r) * double(c), 1), int64(r * c));
        end
    end
end
