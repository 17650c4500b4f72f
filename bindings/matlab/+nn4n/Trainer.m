classdef Trainer < nn4n.internal.Object
    %TRAINER pycog's training protocol on a network and a task, run in chunks.
    %
    %   tr = nn4n.Trainer(net, task) trains net (an nn4n.CTRNN) on task (an
    %   nn4n.Task) with the Song-Yang objective and pycog's SGD: fresh
    %   minibatches, a validation every valid_every trials, the task's stop
    %   rule, the best parameters kept.
    %   tr = nn4n.Trainer(net, task, Name, Value, ...) options:
    %     'objective'  an nn4n.Objective (copied now) or a kind name
    %     'optimizer'  an nn4n.Optimizer (used by reference) or 'sgd' | 'adam'
    %     protocol keys: 'minibatch', 'valid_every' (10000), 'n_validation',
    %     'max_trials' (1e7), 'min_error' (0 = off), 'patience' (100), 'seed'
    %     'progress'   the display of run (the property tr.progress, settable
    %                  at any time): 'auto' (default) shows nothing for the
    %                  first 2 s of a run call, then a waitbar when a
    %                  graphical display exists (the MATLAB desktop, the
    %                  Octave GUI), else a text line per validation at most
    %                  every 5 s and one at the end (trials made of
    %                  max_trials, validation loss, best loss, time) | true:
    %                  the same from the first validation | 'text' |
    %                  'waitbar' | false: nothing (one library call).
    %   done = tr.run(k) trains until the run ends or k more validations were
    %   made (k <= 0: no limit) and returns true when the run has ended (the
    %   network then holds the best parameters). Call it again to continue:
    %   a chunked run equals an uninterrupted one, and Ctrl-C between chunks
    %   stops cleanly. With a progress display, run works one validation
    %   per library call; the waitbar's Cancel button (or its close box)
    %   stops it after the validation running, without an error (done is
    %   false; run again to continue).
    %   h = tr.history() is one row per validation: [trials updates loss rmse
    %   perf best elapsed]. tr.reason says why the run ended; tr.get(key)
    %   reads finished, converged, trials, updates, n_validations, best_loss,
    %   elapsed. The network and task should have input_baseline =
    %   input_noise = 0 (the task's inputs carry them).
    %
    %   See also nn4n.Task, nn4n.CTRNN/train.

    properties (SetAccess = private)
        net = [];        % the nn4n.CTRNN trained
        task = [];       % the nn4n.Task
        optimizer = [];  % the nn4n.Optimizer used (or [] for the trainer's own SGD)
    end
    properties (Dependent, SetAccess = private)
        reason           % why the run ended ('' while it runs)
    end
    properties
        progress = 'auto'; % the display of run: 'auto' | true | false | 'text' | 'waitbar'
    end

    methods
        function obj = Trainer(net, task, varargin)
            %TRAINER Make a trainer: nn4n.Trainer(net, task, Name, Value, ...).
            obj.Prefix = 'nn4n_trainer';
            if ~isa(net, 'nn4n.CTRNN') || ~isa(task, 'nn4n.Task')
                error('nn4n:invalidArgument', 'nn4n.Trainer: give an nn4n.CTRNN and an nn4n.Task');
            end
            [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.Trainer');
            if isfield(opts, 'progress')
                obj.progress = opts.progress;
            end
            objective = [];
            ownObj = false;
            if isfield(opts, 'objective')
                objective = opts.objective;
                if ~isa(objective, 'nn4n.Objective')
                    objective = nn4n.Objective(nn4n.internal.toText(objective, 'objective'));
                    ownObj = true;
                end
            end
            if isfield(opts, 'optimizer')
                opt = opts.optimizer;
                if ~isa(opt, 'nn4n.Optimizer')
                    opt = nn4n.Optimizer(nn4n.internal.toText(opt, 'optimizer'));
                end
                obj.optimizer = opt;
            end
            oh = uint64(0);
            ph = uint64(0);
            if ~isempty(objective), oh = objective.live(); end
            if ~isempty(obj.optimizer), ph = obj.optimizer.live(); end
            [~, h] = nn4n.internal.call('nn4n_trainer_create', net.live(), task.live(), oh, ph, uint64(0));
            obj.Handle = h;
            obj.net = net;
            obj.task = task;
            if ownObj
                objective.free();
            end
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, {'objective', 'optimizer', 'progress'}))
                    obj.setF64(order{k}, opts.(order{k}));
                end
            end
        end

        function done = run(obj, maxValidations)
            %RUN Train until the end or maxValidations more validations: done = tr.run(k).
            if nargin < 2
                maxValidations = 0;
            end
            prog = nn4n.internal.Progress(obj.progress, 'Trainer', obj.getF64('max_trials'), 'trials');
            if strcmp(prog.Mode, 'off')
                [~, d] = nn4n.internal.call('nn4n_trainer_run', obj.live(), int64(maxValidations), int32(0));
                done = d ~= 0;
                return
            end
            closer = onCleanup(@() prog.close());
            detail = @() obj.progressText();
            done = false;
            made = 0;
            while ~done && (maxValidations <= 0 || made < maxValidations)
                [~, d] = nn4n.internal.call('nn4n_trainer_run', obj.live(), int64(1), int32(0));
                done = d ~= 0;
                made = made + 1;
                if ~done && prog.update(obj.getF64('trials'), detail)
                    break
                end
            end
            prog.finish(obj.getF64('trials'), detail);
        end

        function set.progress(obj, v)
            nn4n.internal.Progress.resolve(v);   % nn4n:invalidArgument for a bad setting
            obj.progress = v;
        end

        function cancel(obj)
            %CANCEL Ask a running (or the next) run to stop before its next update.
            nn4n.internal.call('nn4n_trainer_cancel', obj.live());
        end

        function h = history(obj)
            %HISTORY One row per validation: [trials updates loss rmse perf best elapsed].
            h = nn4n.internal.getMatrix('nn4n_trainer', obj.live(), 'history');
        end

        function set(obj, key, value)
            %SET Set a protocol key (before the run starts).
            obj.setF64(key, value);
        end

        function v = get(obj, key)
            %GET Read a key (finished, converged, trials, updates, best_loss, ...).
            v = obj.getF64(key);
        end

        function v = get.reason(obj)
            v = nn4n.internal.getString('nn4n_trainer_get_str', {obj.live(), 'reason'}, 1);
        end
    end

    methods (Access = private)
        function s = progressText(obj)
            % 'validation k, loss L (best B)' of the last validation, for run's display.
            h = obj.history();
            s = '';
            if ~isempty(h)
                s = sprintf('validation %d, loss %.4g (best %.4g)', size(h, 1), h(end, 3), ...
                    min(h(:, 3)));
            end
        end
    end
end
