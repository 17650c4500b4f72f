classdef Task < nn4n.internal.Object
    %TASK A cognitive task of Song et al. (2016) as a seeded batch generator.
    %
    %   task = nn4n.Task(name) makes the task with dt = 20 ms; names:
    %   'rdm_dense', 'rdm_nodale', 'rdm_fixed', 'rdm_varstim', 'rdm_rt',
    %   'mante', 'mante_areas', 'multisensory', 'romo', 'sinewave', and
    %   multitasks 'multi:<name>,<name>,...' (choice tasks behind one rule
    %   input each, after the widest task's inputs; see include/nn4n.h).
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
    %   b = task.sampleConditions(C, 'seed', s) makes one trial per row of a
    %   B-by-14 conditions table C (the layout of b.conditions; columns named
    %   by nn4n.Task.conditionColumns()), e.g. a psychometric set or a 0 %
    %   coherence; b is as for sample.
    %   score = task.score(y, metric) scores outputs y [O T B] of the current
    %   sample: 'percent_correct', 'min_condition_percent_correct' or 'rmse'.
    %   p = task.psychometric(y, 'choice', c) is the psychometric curve of
    %   outputs y [O T B] of the current sample: how often output c (1-based)
    %   was chosen, per stimulus, with a cumulative-Gaussian fit.
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
            b = obj.current();
        end

        function b = sampleConditions(obj, conditions, varargin)
            %SAMPLECONDITIONS One trial per row of a conditions table: b = task.sampleConditions(C, 'seed', s).
            %   C is B-by-14 (B >= 1), the layout of b.conditions of task.sample;
            %   nn4n.Task.conditionColumns() names the columns. Columns 2
            %   (choice) and 14 (steps) are ignored: the task sets them. A row
            %   with catch = 1 is a catch trial; columns the task does not use
            %   must be 0. Use it for a psychometric set or for conditions
            %   outside the training set (a 0 % coherence, say). The same seed
            %   (default 0) gives the same noise and durations. Returns b as
            %   task.sample does (input, target, mask [X T B], conditions,
            %   steps), its rows in the order of C.
            %   Errors: nn4n:shape (C is not B-by-14), nn4n:notFinite (NaN or
            %   Inf in C), nn4n:invalidArgument (a row the task cannot make,
            %   named by its row number in C).
            %
            %   Example: rdm_dense at -12.8, 0 and +12.8 % coherence
            %     col = @(name) find(strcmp(nn4n.Task.conditionColumns(), name));
            %     C = zeros(3, 14);
            %     C(:, col('coherence')) = [12.8; 0; 12.8];
            %     C(:, col('sign')) = [-1; 1; 1];
            %     b = task.sampleConditions(C, 'seed', 1);
            [opts, order] = nn4n.internal.parseOptions(varargin, 'sampleConditions');
            for k = 1:numel(order)
                if ~strcmp(order{k}, 'seed')
                    error('nn4n:unknownKey', 'sampleConditions: unknown option "%s" (known: seed)', order{k});
                end
            end
            seed = 0;
            if isfield(opts, 'seed'), seed = nn4n.internal.toScalar(opts.seed, 'seed'); end
            ncol = numel(nn4n.Task.conditionColumns());
            if ~(isnumeric(conditions) || islogical(conditions)) || ~isreal(conditions)
                error('nn4n:invalidArgument', 'sampleConditions: conditions must be a real numeric B-by-%d matrix', ncol);
            end
            if ndims(conditions) > 2 || size(conditions, 2) ~= ncol || size(conditions, 1) < 1
                error('nn4n:shape', 'sampleConditions: conditions is %s, want B-by-%d with B >= 1 (one row per trial)', ...
                    mat2str(size(conditions)), ncol);
            end
            [r, c] = find(~isfinite(double(conditions)), 1);
            if ~isempty(r)
                error('nn4n:notFinite', 'sampleConditions: conditions(%d, %d) = %g is not finite', ...
                    r, c, conditions(r, c));
            end
            table = nn4n.internal.rowMajor(conditions);
            try
                nn4n.internal.call('nn4n_task_sample_conditions', obj.live(), table, int64(numel(table)), uint64(seed));
            catch err
                if ~strcmp(err.identifier, 'nn4n:invalidArgument')
                    rethrow(err);
                end
                error(struct('identifier', err.identifier, 'message', nn4n.Task.oneBased(err.message)));
            end
            b = obj.current();
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

        function p = psychometric(obj, y, varargin)
            %PSYCHOMETRIC The psychometric curve of outputs y [O T B] of the current sample.
            %   p = task.psychometric(y) groups the current sample's non-catch
            %   trials by stimulus - the signed coherence (rdm, mante: in %) or
            %   the frequency (multisensory: Hz; romo: f1 - f2) - and counts how
            %   often output 1 was chosen (the argmax over outputs at each
            %   trial's last step). y is the [O T B] array of the sample (e.g.
            %   net.forward(b.input)). p has fields
            %     x    P-by-1 stimuli, increasing
            %     n    P-by-1 number of trials at each stimulus
            %     k    P-by-1 number of them that chose output 'choice'
            %     fit  the maximum-likelihood cumulative Gaussian
            %          k/n ~ normcdf((x - mu) / sigma): a struct with fields
            %          mu, sigma, mu_se, sigma_se (standard errors)
            %   Options:
            %     'choice'  the output counted, 1..O (default 1; note that
            %               column 2 of b.conditions is the library's 0-based
            %               correct output). For rdm, output 1 is the choice
            %               that positive coherence favours.
            %     'fit'     false: leave out the fit (p has no field fit).
            %   Errors: nn4n:state (no sample yet), nn4n:shape (y is not the
            %   sample's [O T B]), nn4n:invalidArgument (a choice outside 1..O,
            %   the sinewave task, no non-catch trial), nn4n:numeric (no fit
            %   exists: choices that separate perfectly or that fall with the
            %   stimulus; use 'fit', false for the counts alone).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'psychometric');
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, {'choice', 'fit'}))
                    error('nn4n:unknownKey', 'psychometric: unknown option "%s" (known: choice, fit)', order{k});
                end
            end
            choice = 1;
            wantFit = true;
            if isfield(opts, 'choice'), choice = nn4n.internal.toScalar(opts.choice, 'choice'); end
            if isfield(opts, 'fit'), wantFit = nn4n.internal.toScalar(opts.fit, 'fit') ~= 0; end
            O = obj.getF64('outputs');
            if choice ~= fix(choice) || choice < 1 || choice > O
                error('nn4n:invalidArgument', 'psychometric: choice must be an output number in 1..%d, got %g', O, choice);
            end
            if ~(isnumeric(y) || islogical(y)) || ~isreal(y)
                error('nn4n:invalidArgument', 'psychometric: y must be a real numeric [O T B] array');
            end
            [~, ~, B] = nn4n.internal.call('nn4n_task_shape', obj.live(), 'conditions', int64(0), int64(0));
            want = [O, obj.getF64('steps'), double(B)];
            if ~isequal(nn4n.internal.size3(y), want)
                error('nn4n:shape', 'psychometric: y is %s, want %s ([O T B] of the current sample)', ...
                    mat2str(size(y)), mat2str(want));
            end
            y = double(y);
            c = int64(choice - 1);
            [~, ~, ~, P] = nn4n.internal.call('nn4n_task_psychometric', obj.live(), y, int64(numel(y)), c, ...
                [], int64(0), int64(0), [], int64(0));
            P = double(P);
            table = zeros(3, P);   % the library's row-major P-by-3 table
            if wantFit
                [~, ~, table, ~, f] = nn4n.internal.call('nn4n_task_psychometric', obj.live(), y, int64(numel(y)), ...
                    c, table, int64(3 * P), int64(0), zeros(4, 1), int64(4));
            else
                [~, ~, table] = nn4n.internal.call('nn4n_task_psychometric', obj.live(), y, int64(numel(y)), ...
                    c, table, int64(3 * P), int64(0), [], int64(0));
            end
            table = reshape(table, 3, P);
            p = struct('x', table(1, :).', 'n', table(2, :).', 'k', table(3, :).');
            if wantFit
                p.fit = struct('mu', f(1), 'sigma', f(2), 'mu_se', f(3), 'sigma_se', f(4));
            end
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

    methods (Static)
        function names = conditionColumns()
            %CONDITIONCOLUMNS The names of the 14 columns of a conditions table.
            %   names = nn4n.Task.conditionColumns() is a 1-by-14 cellstr:
            %   catch (0/1), choice (the correct output, 0-based, -1 none),
            %   coherence (%), sign (+1/-1, 0 unused), context (0 none, 1
            %   motion, 2 colour), coh_motion, coh_colour, sign_motion,
            %   sign_colour (mante), modality (0 none, 1 v, 2 a, 3 va), freq
            %   (multisensory), f1, f2 (romo, Hz), steps (the trial's unpadded
            %   length). Column j of b.conditions is names{j}, e.g.
            %   b.conditions(:, strcmp(names, 'coherence')).
            names = {'catch', 'choice', 'coherence', 'sign', 'context', 'coh_motion', ...
                'coh_colour', 'sign_motion', 'sign_colour', 'modality', 'freq', 'f1', 'f2', 'steps'};
        end
    end

    methods (Static, Access = private)
        function msg = oneBased(msg)
            % The library's message about a conditions table with its 0-based
            % row ("row", "condition") and column numbers made 1-based.
            [tok, rest] = regexp(msg, '(row|condition|column) (\d+)', 'tokens', 'split');
            out = rest{1};
            for k = 1:numel(tok)
                out = sprintf('%s%s %d%s', out, tok{k}{1}, str2double(tok{k}{2}) + 1, rest{k + 1});
            end
            msg = sprintf('%s (rows and columns of conditions numbered from 1)', out);
        end
    end

    methods (Access = private)
        function b = current(obj)
            % The current sample as the struct of sample / sampleConditions.
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

        function buf = raw(obj, key)
            % The row-major buffer of a sample array (no reshaping).
            [~, ~, r, c] = nn4n.internal.call('nn4n_task_shape', obj.live(), key, int64(0), int64(0));
            [~, ~, buf] = nn4n.internal.call('nn4n_task_get_array', obj.live(), key, ...
                zeros(double(r) * double(c), 1), int64(r * c));
        end
    end
end
