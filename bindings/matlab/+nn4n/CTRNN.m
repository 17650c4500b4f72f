classdef CTRNN < nn4n.internal.Object
    %CTRNN A continuous-time E/I recurrent network (Song, Yang & Wang 2016) in libnn4n.
    %
    %   net = nn4n.CTRNN([I N O]) makes a network with I inputs, N hidden units
    %   and O outputs with nn4n's defaults (ReLU, alpha = dt/tau = 10/100,
    %   uniform weights, Dale mode 'rectify', no masks), seed 0.
    %   net = nn4n.CTRNN([I N O], Name, Value, ...) sets options:
    %     'activation'  'relu' (default) | 'tanh' | 'sigmoid' | 'retanh' | 'softplus' | 'linear'
    %     'head'        output nonlinearity: 'linear' (default) | 'sigmoid' | 'softmax'
    %     'dt', 'tau'   alpha = dt./tau (nn4n's defaults dt 10, tau 100); tau may be N-by-1
    %     'alpha'       alpha directly (scalar or N-by-1), instead of dt/tau
    %     'learn_alpha' train alpha (false)
    %     'dale'        'rectify' (pycog, default) | 'abs' (PsychRNN) | 'clip' (nn4n)
    %     'preact_noise' (alias 'pre_noise'), 'rec_noise' (pycog, sqrt(2*alpha) scaled),
    %     'postact_noise' (alias 'post_noise')     noise standard deviations (0)
    %     'input_baseline', 'input_noise', 'input_alpha'   pycog's input model
    %     'weights'     init scheme 'uniform' (default) | 'normal' | 'zero' | 'pycog', or
    %                   {W_in, W_rec, W_out}, each a scheme name or a matrix
    %     'biases'      'none' (default: zero, not trained) | 'zero' (trained) | vector,
    %                   or {b_in, b_rec, b_out} of those
    %     'sparsity_masks', 'ei_masks', 'plasticity_masks'   {M_in, M_rec, M_out}
    %                   ([] = none); each the size of its weight (post, pre)
    %     'init_state' (alias 'x0') scalar or N-by-1;  'train_x0' (false)
    %     'spectral_radius', 'balance'   initialisation rescaling and E/I balance
    %     'precision'   'float64' (default) | 'float32' (compute precision)
    %     'seed'        generator seed (0): same seed, same results
    %     'training'    true (default: noise on) | false (deterministic runs)
    %   net = nn4n.CTRNN(structure, Name, Value, ...) takes dimensions, sparsity
    %   and sign masks from an nn4n.MultiArea, nn4n.MultiAreaEI, nn4n.RandomInput,
    %   nn4n.MultiIO or nn4n.Structure, before the weights are drawn.
    %   net = nn4n.CTRNN.load(file) reads a model saved by net.save(file) (.npz).
    %   In a MAT file a network is saved by value (saveobj/loadobj): in
    %   MATLAB save('f.mat', 'net') and load('f.mat') give an equal network
    %   with a new handle (not run in MATLAB here); in GNU Octave save
    %   s = saveobj(net) and call net = nn4n.CTRNN.loadobj(s) after load
    %   (see the help of saveobj).
    %
    %   Shapes. Weights are (post, pre) matrices as in the equations: w_in is
    %   N-by-I, w_rec N-by-N, w_out O-by-N; masks have their weight's size.
    %   Sequences are MATLAB arrays of size [I T B] (inputs), [O T B] (outputs,
    %   targets, masks) and [N T B] (rates, states): MATLAB is column-major,
    %   so an [I T B] array has exactly the memory of the row-major B-by-T-by-I
    %   array the library expects, and sequences cross with no copy or
    %   transpose. A single trial is [I T] (B = 1).
    %
    %   Properties (read and set; weights in MATLAB's natural orientation):
    %     w_in w_rec w_out            raw (trained) weights
    %     w_in_eff w_rec_eff w_out_eff  effective weights (read-only; Dale applied)
    %     b_in b_rec b_out alpha x0   vectors (columns)
    %     mask_in mask_rec mask_out   sparsity masks (ones when absent; set [] to remove)
    %     sign_in sign_rec sign_out   Dale sign masks ([] when absent)
    %     plasticity_in plasticity_rec plasticity_out   gradient scales in [0, 1]
    %     activation head dale precision init            named settings
    %     learn_alpha pre_noise rec_noise post_noise input_baseline input_noise
    %     input_alpha train_x0 train_bias_in train_bias_rec train_bias_out
    %     spectral_radius balance seed training          numeric settings
    %     n_in n_hid n_out dims                          dimensions (read-only)
    %
    %   Methods: forward, backward, step, train, gradients, loss, save, load (static),
    %   saveobj, loadobj (static), reinitialize, spectralRadius, terms, cancel, free.
    %   train shows its progress on long calls (waitbar or text, option
    %   'progress'; see the help of train).
    %
    %   Errors carry the library's message and an identifier per status:
    %   nn4n:invalidArgument nn4n:nullPointer nn4n:shape nn4n:invalidHandle
    %   nn4n:unknownKey nn4n:notFinite nn4n:io nn4n:format nn4n:cancelled
    %   nn4n:internal nn4n:bufferTooSmall nn4n:state nn4n:numeric.
    %
    %   Example:
    %     net = nn4n.CTRNN([2 64 1], 'activation', 'tanh', 'seed', 1);
    %     u = randn(2, 100, 8);            % [I T B]
    %     [y, r] = net.forward(u);         % y: [1 100 8], r: [64 100 8]
    %
    %   See also nn4n.MultiAreaEI, nn4n.Objective, nn4n.Optimizer, nn4n.Task.

    properties (Dependent, SetAccess = private)
        n_in        % number of inputs I
        n_hid       % number of hidden units N
        n_out       % number of outputs O
        dims        % [I N O]
        w_in_eff    % effective input weights (N-by-I), read-only
        w_rec_eff   % effective recurrent weights (N-by-N), read-only
        w_out_eff   % effective readout weights (O-by-N), read-only
    end
    properties (Dependent)
        w_in            % raw input weights, N-by-I (post, pre)
        w_rec           % raw recurrent weights, N-by-N (post, pre)
        w_out           % raw readout weights, O-by-N (post, pre)
        b_in            % input bias, N-by-1
        b_rec           % recurrent bias, N-by-1
        b_out           % output bias, O-by-1
        alpha           % dt/tau per unit, N-by-1 (a scalar sets every unit)
        x0              % initial state, N-by-1 (a scalar sets every unit)
        mask_in         % sparsity mask of w_in (0/1)
        mask_rec        % sparsity mask of w_rec (0/1)
        mask_out        % sparsity mask of w_out (0/1)
        sign_in         % Dale sign mask of w_in (+1/-1/0, [] when absent)
        sign_rec        % Dale sign mask of w_rec (or one sign per presynaptic unit when set)
        sign_out        % Dale sign mask of w_out
        plasticity_in   % gradient scale of w_in, in [0, 1]
        plasticity_rec  % gradient scale of w_rec, in [0, 1]
        plasticity_out  % gradient scale of w_out, in [0, 1]
    end
    properties (Access = private, Hidden, Transient)
        Opt = [];       % the nn4n.Optimizer that train keeps between calls,
        OptKind = '';   % its kind
        OptSig = {};    % and the optimizer keys last set on it
        Obj = [];       % the nn4n.Objective that train/gradients/loss keep ...
        ObjSig = {};    % ... while the kind and the objective keys stay the same
        Dims = [];      % [I N O], fixed for the life of the handle
        TermNames = ''; % the library's term names (tab-separated) of the last terms() call ...
        TermFields = {};% ... and their struct field names
        SinceCheck = 0; % updates since train's last dead-network check
        TrainCache = [];% what a train call with the same options reuses (see train)
        Pending = [];   % the saveobj struct of a network loadobj could not rebuild
    end
    properties (Dependent, Hidden)
        Saved           % saveobj(net), for Octave's save (see saveobj)
    end

    methods
        function obj = CTRNN(spec, varargin)
            %CTRNN Make a network; see "help nn4n.CTRNN" for the options.
            %   net = nn4n.CTRNN([I N O], Name, Value, ...)
            %   net = nn4n.CTRNN(structure, Name, Value, ...)
            obj.Prefix = 'nn4n_model';
            if nargin == 0
                error('nn4n:invalidArgument', 'nn4n.CTRNN: give the dimensions [I N O] or a structure');
            end
            if isa(spec, 'nn4n.internal.HandleWrap')
                obj.Handle = spec.Handle;   % nn4n.CTRNN.load, loadobj
                if obj.Handle ~= 0
                    obj.Dims = obj.dims;
                end
                return
            end
            [opts, order] = nn4n.internal.parseOptions(varargin, 'nn4n.CTRNN');
            known = {'activation', 'head', 'dt', 'tau', 'alpha', 'learn_alpha', 'dale', ...
                'preact_noise', 'pre_noise', 'rec_noise', 'postact_noise', 'post_noise', ...
                'input_baseline', 'input_noise', 'input_alpha', 'weights', 'init', 'biases', ...
                'train_bias_in', 'train_bias_rec', 'train_bias_out', 'sparsity_masks', ...
                'ei_masks', 'plasticity_masks', 'init_state', 'x0', 'train_x0', ...
                'spectral_radius', 'balance', 'precision', 'seed', 'training'};
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, known))
                    error('nn4n:unknownKey', 'nn4n.CTRNN: unknown option "%s" (known: %s)', ...
                        order{k}, strjoin(known, ', '));
                end
            end
            prec = int32(0);
            if isfield(opts, 'precision')
                prec = nn4n.CTRNN.precisionCode(opts.precision);
            end
            seed = uint64(0);
            if isfield(opts, 'seed')
                s = nn4n.internal.toScalar(opts.seed, 'seed');
                if s < 0 || s ~= fix(s) || s >= 2^53
                    error('nn4n:invalidArgument', 'nn4n.CTRNN: seed must be an integer in [0, 2^53)');
                end
                seed = uint64(s);
            end
            if isa(spec, 'nn4n.Structure')
                [~, h] = nn4n.internal.call('nn4n_model_create_from_structure', spec.live(), prec, seed, uint64(0));
            else
                if ~isnumeric(spec) || ~isreal(spec) || issparse(spec) || numel(spec) ~= 3 || any(~isfinite(spec)) || any(spec ~= fix(spec)) || any(spec < 0)
                    error('nn4n:invalidArgument', 'nn4n.CTRNN: dims must be [I N O], non-negative integers');
                end
                [~, h] = nn4n.internal.call('nn4n_model_create', int64(spec(1)), int64(spec(2)), ...
                    int64(spec(3)), prec, seed, uint64(0));
            end
            obj.Handle = h;
            % Known from the start, so that reading dims changes nothing
            % (Octave's save converts an object twice and needs both equal).
            obj.Dims = obj.dims;
            obj.configure(opts);
        end


        function [y, r, x] = forward(obj, u, varargin)
            %FORWARD Run the network over a batch of sequences.
            %   [y, r, x] = net.forward(u) runs the trials of u, an [I T B] array
            %   (inputs by steps by trials; [I T] for one trial), from the model's
            %   initial state x0, and returns the outputs y [O T B], and, when
            %   asked for, the rates r [N T B] and states x [N T B]. MATLAB's
            %   column-major [I T B] array is the row-major B-by-T-by-I array of
            %   the C ABI, so u, y, r and x cross with no copy or transpose.
            %   [...] = net.forward(u, 'x0', X0) starts from X0, N-by-1 (every
            %   trial) or N-by-B (one column per trial).
            %   For a model without inputs (I = 0) pass zeros(0, T, B).
            %   Noise follows net.training. Errors: nn4n:shape (u or X0 of the
            %   wrong size), nn4n:notFinite (NaN or Inf in u or X0).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'forward');
            obj.onlyKeys(order, {'x0'}, 'forward');
            d = obj.dims;
            [u, T, B] = obj.sequence(u, d(1), 'u', 'I');
            x0 = [];
            if isfield(opts, 'x0') && ~isempty(opts.x0)
                x0 = double(opts.x0);
                if ~(isequal(size(x0), [d(2) 1]) || isequal(size(x0), [d(2) B]))
                    error('nn4n:shape', 'forward: x0 is %s, want %d-by-1 or %d-by-%d (N-by-B)', ...
                        mat2str(size(x0)), d(2), d(2), B);
                end
            end
            yb = zeros(d(3), T, B);
            rb = [];
            xb = [];
            if nargout >= 2
                rb = zeros(d(2), T, B);
            end
            if nargout >= 3
                xb = zeros(d(2), T, B);
            end
            [~, ~, ~, y, r, x] = nn4n.internal.call('nn4n_model_forward', obj.live(), u, ...
                int64(numel(u)), int64(B), int64(T), x0, int64(numel(x0)), yb, int64(numel(yb)), ...
                rb, int64(numel(rb)), xb, int64(numel(xb)));
            y = reshape(y, d(3), T, B);
            if nargout >= 2
                r = reshape(r, d(2), T, B);
            end
            if nargout >= 3
                x = reshape(x, d(2), T, B);
            end
        end

        function [x, r, y] = step(obj, x, u)
            %STEP Advance B independent states by one time step (simulators).
            %   [x, r, y] = net.step(x, u) reads x as x_{t-1}, N-by-B (one column
            %   per state), and the inputs u, I-by-B, and returns x_t (N-by-B),
            %   r_t = f(x_t) (N-by-B) and y_t (O-by-B). Start from net.x0 to
            %   reproduce forward step by step. Columns are states: an N-by-B
            %   MATLAB matrix is the row-major B-by-N array of the ABI (no copy).
            %   u may be omitted when I = 0. Noise follows net.training.
            %   Errors: nn4n:shape, nn4n:notFinite.
            d = obj.dims;
            x = double(x);
            if size(x, 1) ~= d(2) || ndims(x) > 2 || isempty(x)
                error('nn4n:shape', 'step: x is %s, want %d-by-B (N-by-B)', mat2str(size(x)), d(2));
            end
            B = size(x, 2);
            if nargin < 3
                u = [];
            end
            u = double(u);
            if d(1) == 0 && isempty(u)
                u = [];
            elseif ~isequal(size(u), [d(1) B])
                error('nn4n:shape', 'step: u is %s, want %d-by-%d (I-by-B)', mat2str(size(u)), d(1), B);
            end
            rb = [];
            yb = [];
            if nargout >= 2
                rb = zeros(d(2), B);
            end
            if nargout >= 3
                yb = zeros(d(3), B);
            end
            [~, x, ~, r, y] = nn4n.internal.call('nn4n_model_step', obj.live(), int64(B), x, ...
                int64(numel(x)), u, int64(numel(u)), rb, int64(numel(rb)), yb, int64(numel(yb)));
            x = reshape(x, d(2), B);
            if nargout >= 2
                r = reshape(r, d(2), B);
            end
            if nargout >= 3
                y = reshape(y, d(3), B);
            end
        end


        function info = train(obj, u, target, varargin)
            %TRAIN Optimiser steps on one batch.
            %   info = net.train(u, target) makes one update on the batch u
            %   [I T B] with targets [O T B], with the Song-Yang objective and Adam.
            %   info = net.train(u, target, Name, Value, ...) options:
            %     'updates'    number of updates on this batch (1)
            %     'mask'       error mask [O T B] (default: every entry counts)
            %     'labels'     class labels [T B], 1..O, 0 = ignore the step (for
            %                  softmax cross-entropy; then target may be [])
            %     'objective'  kind 'songyang' (default) | 'rnnloss' | a criterion
            %                  name | an nn4n.Objective
            %     'optimizer'  'adam' (default) | 'sgd' | an nn4n.Optimizer. The
            %                  network keeps its optimizer (and Adam's moments)
            %                  between calls while the kind stays the same.
            %     'reset'      true: forget the kept optimizer's state first
            %     'chunk'      updates per library call (10), so Ctrl-C is seen
            %     'progress'   'auto' (default) | true | false | 'text' | 'waitbar':
            %                  the progress display, see below
            %     optimizer keys: 'lr' 'max_norm' 'guard' 'beta1' 'beta2' 'eps'
            %                  'weight_decay'
            %     any other name: an objective key (e.g. 'lambda_omega', 2,
            %                  'lambda2_r', 0.1, 'head', 'softmax_ce'), see
            %                  help nn4n.Objective.
            %   info has fields updates (made), loss (the total of the last
            %   update) and terms (a struct of every term of the last update,
            %   with grad_norm). Every constraint (masks, Dale) is re-applied
            %   after each update. Sequences are [I T B] / [O T B] MATLAB arrays,
            %   the ABI's row-major B-by-T-by-I layout (no copy). When after
            %   training the output on the batch (noise off) varies less than
            %   5 % of the target's standard deviation, the network is dead
            %   (the units the readout reads have collapsed to rate ~0, and
            %   the rectifier passes no gradient): train warns with the id
            %   'nn4n:deadNetwork', naming the readout units' mean rate. The
            %   check (one forward pass) runs at the end of a call once 100 or
            %   more updates were made since the last check, so a loop of
            %   one-update calls pays for it once per 100 updates.
            %   The objective train makes (kind and keys) is kept between
            %   calls while they stay the same, as the optimizer is.
            %   Progress: a call of more than one chunk shows its progress
            %   (updates made, loss, time elapsed) after each chunk:
            %     'progress'   'auto' (default): nothing for the first 2 s, then
            %                  a waitbar when a graphical display exists (the
            %                  MATLAB desktop, the Octave GUI), text lines
            %                  otherwise (at most one per 5 s, and one at the
            %                  end), so short calls and loops of small calls
            %                  print nothing | true: the same from the first
            %                  chunk | 'text' | 'waitbar' | false: nothing.
            %   The waitbar's Cancel button (or its close box) stops training
            %   after the chunk running, without an error: info.updates then
            %   says how many updates were made. The waitbar is closed when
            %   train returns, fails or is interrupted.

            % A loop of train calls with the same options takes the fast
            % path: the options, the objective, the optimizer and the term
            % names of the last such call are reused (TrainCache, written by
            % rememberTrain), and the gateway's '@train' checks the batch,
            % trains and reads the term values in one call. In Octave each
            % function call, property read and comparison costs microseconds
            % (README, "Speed against Python"). Anything else takes the full
            % path below.
            c = obj.TrainCache;
            if ~isempty(c)
                % One cs-list assignment: a struct field read costs ~2 us in
                % Octave, twenty of them more than this whole statement.
                [nargs, inum, ichar, vchar, vnum, I, O, imask, oneCall, h, oh, ph, n64, nterms, fields, ...
                    total, values, n, chunk, setting] = c{:};
                fast = numel(varargin) == nargs;
                if fast
                    x = [varargin{inum}];
                    fast = all(strcmp(varargin(ichar), vchar)) && (isnumeric(x) || islogical(x)) ...
                        && numel(x) == numel(vnum) && all(x == vnum);
                end
                mask = [];
                if fast && imask > 0
                    mask = varargin{imask};
                end
                if fast && oneCall
                    % The gateway's '@train' checks the batch ([I T B], [O T B],
                    % real double), makes the updates and reads the term values
                    % in one call; st = -1: not such a batch, the full path
                    % below says what is wrong.
                    [st, done, values, count] = nn4n.internal.nn4n_mex('@train', h, oh, ph, u, target, ...
                        mask, I, O, n64, values);
                    if st == 0
                        if count == nterms
                            info = struct('updates', done, 'loss', values(total), 'terms', ...
                                cell2struct(num2cell(values(1:nterms)), fields, 1));
                        else
                            info = obj.trainInfo(done);
                        end
                        % The dead-network check (see afterTrain), written out.
                        since = obj.SinceCheck + done;
                        if since >= 100
                            since = 0;
                            obj.warnIfDead(u, target, done);
                        end
                        obj.SinceCheck = since;
                        return
                    elseif st ~= -1
                        nn4n.internal.raise(double(st), 'nn4n_model_train');
                    end
                elseif fast
                    % More than one chunk, or a progress setting: checked here.
                    su = size(u);
                    sy = size(target);
                    if isa(u, 'double') && isa(target, 'double') && isreal(u) && isreal(target) ...
                            && numel(su) <= 3 && numel(sy) == numel(su) && all(su) && su(1) == I ...
                            && all(sy == [O su(2:end)]) && (isempty(mask) || (isa(mask, 'double') ...
                            && isreal(mask) && ndims(mask) == numel(sy) && all(size(mask) == sy)))
                        B = 1;
                        if numel(su) == 3
                            B = su(3);
                        end
                        a = {u, int64(numel(u)), target, int64(numel(target)), mask, int64(numel(mask)), [], ...
                            int64(0), int64(B), int64(su(2))};
                        done = obj.trainChunks(h, oh, ph, a, n, chunk, setting);
                        info = obj.trainInfo(done);
                        obj.afterTrain(u, target, done);
                        return
                    end
                end
            end
            [opts, order] = nn4n.internal.parseOptions(varargin, 'train');
            [objective, rest] = obj.objectiveFrom(opts, order, true);
            optimizer = obj.optimizerFrom(opts, rest);
            n = 1;
            if isfield(opts, 'updates')
                n = nn4n.internal.toScalar(opts.updates, 'updates');
            end
            chunk = 10;
            if isfield(opts, 'chunk')
                chunk = max(1, nn4n.internal.toScalar(opts.chunk, 'chunk'));
            end
            if n < 1 || n ~= fix(n)
                error('nn4n:invalidArgument', 'train: updates must be a positive integer');
            end
            setting = 'auto';
            if isfield(opts, 'progress')
                setting = opts.progress;
                nn4n.internal.Progress.resolve(setting);   % errors now, not after training
            end
            a = obj.batchArgs(u, target, opts, 'train');
            h = obj.live();
            oh = objective.live();
            ph = optimizer.live();
            done = obj.trainChunks(h, oh, ph, a, n, chunk, setting);
            info = obj.trainInfo(done);
            obj.rememberTrain(varargin, h, n, chunk, oh, ph, setting);
            obj.afterTrain(u, target, done);
        end

        function info = trainInfo(obj, done)
            % train's result after done updates: the last terms and their total.
            t = obj.terms();
            info = struct('updates', done, 'loss', NaN, 'terms', t);
            if isfield(t, 'total')
                info.loss = t.total;
            end
        end

        function afterTrain(obj, u, target, done)
            % The dead-network check, once per 100 updates (see train).
            since = obj.SinceCheck + done;
            if since >= 100 && ~isempty(target)
                since = 0;
                obj.warnIfDead(u, target, done);
            end
            obj.SinceCheck = since;
        end

        function done = trainChunks(obj, h, oh, ph, a, n, chunk, setting)
            % train's updates in chunks of at most chunk, with the progress
            % display of the 'progress' setting; a cancelled waitbar stops
            % after the chunk running.
            prog = nn4n.internal.Progress(setting, 'train', n, 'updates');
            closer = onCleanup(@() prog.close());
            detail = @() obj.lossText();
            done = 0;
            while done < n
                k = min(chunk, n - done);
                [~, ~, ~, ~, ~, did] = nn4n.internal.call('nn4n_model_train', h, oh, ph, a{:}, ...
                    int64(k), int64(0));
                done = done + double(did);
                if done < n && prog.update(done, detail)
                    break
                end
            end
            prog.finish(done, detail);
        end

        function s = lossText(obj)
            % 'loss X' of the last update, for the progress display.
            t = obj.terms();
            s = '';
            if isfield(t, 'total')
                s = sprintf('loss %.4g', t.total);
            end
        end

        function rememberTrain(obj, args, h, n, chunk, oh, ph, setting)
            % Keeps what a train call with the same options reuses (see
            % train), when the path is the MEX gateway and every option is a
            % name with a char or a real numeric scalar value ('mask' may be
            % an array: it is data, read each call). Calls with 'labels',
            % 'reset', objects or a structure of options are never kept.
            obj.TrainCache = [];
            nargs = numel(args);
            if mod(nargs, 2) ~= 0 || ~nn4n.internal.call() || numel(obj.TermFields) > 64 ...
                    || ~nn4n.CTRNN.gatewayTrains()
                return
            end
            ichar = [];
            vchar = {};
            inum = [];
            imask = 0;
            for k = 1:2:nargs
                name = args{k};
                if ~ischar(name) || size(name, 1) ~= 1 || any(strcmpi(name, {'labels', 'reset'}))
                    return
                end
                ichar(end + 1) = k; %#ok<AGROW>
                vchar{end + 1} = name; %#ok<AGROW>
                v = args{k + 1};
                if strcmpi(name, 'mask')
                    imask = k + 1;
                elseif ischar(v) && size(v, 1) <= 1
                    ichar(end + 1) = k + 1; %#ok<AGROW>
                    vchar{end + 1} = v; %#ok<AGROW>
                elseif (isnumeric(v) || islogical(v)) && isscalar(v) && isreal(v) && ~isnan(v)
                    inum(end + 1) = k + 1; %#ok<AGROW>
                else
                    return
                end
            end
            vnum = double([args{inum}]);
            d = obj.dims;
            total = find(strcmp(obj.TermFields, 'total'), 1);
            if isempty(total) || d(1) == 0 || d(3) == 0
                return   % the fast path reads the loss and wants [I T B] / [O T B] batches
            end
            oneCall = n <= chunk && ischar(setting) && strcmp(setting, 'auto');
            % The order of train's cs-list assignment.
            obj.TrainCache = {nargs, inum, ichar, vchar, vnum, d(1), d(3), imask, oneCall, h, oh, ph, ...
                int64(n), numel(obj.TermFields), obj.TermFields(:), total, zeros(64, 1), n, chunk, setting};
        end

        function warnIfDead(obj, u, target, done)
            %WARNIFDEAD train's dead-network check (see help train).
            sd = std(double(target(:)));
            if sd == 0
                return
            end
            was = obj.training;
            obj.training = false;
            y = obj.forward(u);
            if std(y(:)) >= 0.05 * sd
                obj.training = was;
                return
            end
            [y, r] = obj.forward(u);
            obj.training = was;
            read = any(obj.w_out_eff ~= 0, 1);
            r = reshape(r, size(r, 1), []);
            warning('nn4n:deadNetwork', ['train: after %d updates the output is nearly constant ' ...
                '(std %.3g against the target''s %.3g): the network is dead; the %d units the ' ...
                'readout reads have mean rate %.3g (the other units %.3g), and at rate 0 the ' ...
                'rectifier passes no gradient. Lower ''lr'' (e.g. 1e-3) or reinitialise.'], ...
                done, std(y(:)), sd, nnz(read), mean(mean(r(read, :))), mean(mean(r(~read, :))));
        end

        function [g, terms] = gradients(obj, u, target, varargin)
            %GRADIENTS Exact BPTT gradients of an objective on a batch.
            %   g = net.gradients(u, target) runs the batch u [I T B] forward,
            %   evaluates the Song-Yang objective against target [O T B] and
            %   back-propagates through time. g has one field per trained
            %   parameter, in the parameter's orientation: w_in (N-by-I), w_rec
            %   (N-by-N), w_out (O-by-N), and b_in, b_rec, b_out, alpha, x0 when
            %   they are trained; each scaled by its plasticity and sparsity
            %   masks. Parameters do not change.
            %   [g, terms] = ... also returns the objective's terms (a struct;
            %   terms.total is the loss).
            %   Options: 'mask', 'labels', 'objective' and objective keys, as in
            %   train. Sequences are MATLAB [I T B] / [O T B] arrays, the ABI's
            %   row-major B-by-T-by-I / B-by-T-by-O arrays (no copy).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'gradients');
            objective = obj.objectiveFrom(opts, order, false);
            a = obj.batchArgs(u, target, opts, 'gradients');
            nn4n.internal.call('nn4n_model_gradient', obj.live(), objective.live(), a{:});
            g = obj.storedGradients();
            terms = obj.terms();
        end

        function [g, gu, gx0, y] = backward(obj, u, varargin)
            %BACKWARD Vector-Jacobian product of a forward pass (exact BPTT).
            %   [g, gu, gx0, y] = net.backward(u, 'grad_outputs', GY) runs the
            %   batch u [I T B] forward, as net.forward(u) would (same noise
            %   when net.seed is set before both), and back-propagates the
            %   upstream gradients of l = sum(GY.*y) + sum(GR.*r) + sum(GX.*x):
            %     'grad_outputs'  GY, [O T B] dl/dy
            %     'grad_rates'    GR, [N T B] dl/dr
            %     'grad_states'   GX, [N T B] dl/dx   (each optional: zero)
            %     'x0'            X0, N-by-1 or N-by-B initial states, as in forward
            %   It returns g, the gradients of l with respect to every trained
            %   parameter (fields as in net.gradients: w_in, w_rec, w_out, and b_in,
            %   b_rec, b_out, alpha, x0 when they are trained, scaled by their
            %   plasticity and sparsity masks), gu = dl/du [I T B], gx0 = dl/dx0
            %   N-by-B (one column per trial's initial state) and the outputs y
            %   [O T B] of the pass. One forward and one backward pass through
            %   nn4n_model_backward, in the model's precision; parameters do not
            %   change. Sequences are MATLAB [I T B] / [O T B] / [N T B] arrays, the
            %   ABI's row-major B-by-T-by-I ... arrays (no copy or transpose).
            %   Errors: nn4n:shape (an array of the wrong size),
            %   nn4n:notFinite (NaN or Inf), nn4n:unknownKey (an unknown option).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'backward');
            obj.onlyKeys(order, {'grad_outputs', 'grad_rates', 'grad_states', 'x0'}, 'backward');
            d = obj.dims;
            [u, T, B] = obj.sequence(u, d(1), 'u', 'I');
            want = struct('x0', [], 'grad_outputs', [d(3) T B], 'grad_rates', [d(2) T B], ...
                'grad_states', [d(2) T B]);
            names = fieldnames(want);
            a = struct();
            for k = 1:numel(names)
                a.(names{k}) = [];
                if ~isfield(opts, names{k}) || isempty(opts.(names{k}))
                    continue
                end
                v = opts.(names{k});
                if ~(isnumeric(v) || islogical(v)) || ~isreal(v)
                    error('nn4n:shape', 'backward: %s must be a real array', names{k});
                end
                v = double(v);
                if strcmp(names{k}, 'x0')
                    if ~(isequal(size(v), [d(2) 1]) || isequal(size(v), [d(2) B]))
                        error('nn4n:shape', 'backward: x0 is %s, want %d-by-1 or %d-by-%d (N-by-B)', ...
                            mat2str(size(v)), d(2), d(2), B);
                    end
                elseif ~isequal(size(v, 1), want.(names{k})(1)) || size(v, 2) ~= T || size(v, 3) ~= B ...
                        || ndims(v) > 3
                    error('nn4n:shape', 'backward: %s is %s, want [%d %d %d] (like u: T = %d, B = %d)', ...
                        names{k}, mat2str(size(v)), want.(names{k}), T, B);
                end
                a.(names{k}) = v;
            end
            if isempty(u)
                u = [];
            end
            yb = zeros(d(3), T, B);
            gub = zeros(d(1), T, B);
            gxb = zeros(d(2), B);
            [~, ~, ~, ~, ~, ~, y, gu, gx0] = nn4n.internal.call('nn4n_model_backward', obj.live(), u, ...
                int64(numel(u)), int64(B), int64(T), a.x0, int64(numel(a.x0)), ...
                a.grad_outputs, int64(numel(a.grad_outputs)), a.grad_rates, int64(numel(a.grad_rates)), ...
                a.grad_states, int64(numel(a.grad_states)), yb, int64(numel(yb)), ...
                gub, int64(numel(gub)), gxb, int64(numel(gxb)));
            g = obj.storedGradients();
            y = reshape(y, d(3), T, B);
            gu = reshape(gu, d(1), T, B);
            gx0 = reshape(gx0, d(2), B);
        end

        function [total, terms, y] = loss(obj, u, target, varargin)
            %LOSS Evaluate an objective on a batch without back-propagating.
            %   [total, terms, y] = net.loss(u, target, Name, Value, ...) returns
            %   the objective's total, its terms (struct) and the outputs y
            %   [O T B]. Options as in gradients. Sequences are MATLAB [I T B] /
            %   [O T B] arrays, the ABI's row-major B-by-T-by-X arrays (no copy).
            [opts, order] = nn4n.internal.parseOptions(varargin, 'loss');
            objective = obj.objectiveFrom(opts, order, false);
            a = obj.batchArgs(u, target, opts, 'loss');
            d = obj.dims;
            T = double(a{end});
            B = double(a{end - 1});
            yb = zeros(d(3), T, B);
            % Outputs: status, then input, target, mask, labels, outputs.
            [~, ~, ~, ~, ~, y] = nn4n.internal.call('nn4n_model_loss', obj.live(), objective.live(), ...
                a{:}, yb, int64(numel(yb)));
            y = reshape(y, d(3), T, B);
            terms = obj.terms();
            total = terms.total;
        end

        function t = terms(obj)
            %TERMS The terms of the last train, gradients or loss call, as a struct.
            %   t = net.terms() has one field per term (t.total is the objective;
            %   train adds grad_norm, and omega with the Omega regulariser).
            % One library call (nn4n_model_terms) for every name and value;
            % names are < 64 bytes, so 64 terms fit in 4096 bytes.
            [~, names, values, n] = nn4n.internal.call('nn4n_model_terms', obj.live(), blanks(4095), ...
                int64(4096), zeros(64, 1), int64(64), int64(0));
            names = strtrim(names(:).');
            if ~strcmp(names, obj.TermNames)
                list = strsplit(names, sprintf('\t'));
                if isempty(names)
                    list = {};
                end
                fields = regexprep(list, '[^A-Za-z0-9_]', '_');
                for k = 1:numel(fields)
                    if isempty(fields{k}) || ~isletter(fields{k}(1))
                        fields{k} = ['t_' fields{k}];
                    end
                end
                obj.TermNames = names;
                obj.TermFields = fields;
            end
            n = double(n);
            if n == 0
                t = struct();
            else
                t = cell2struct(num2cell(double(values(1:n))), obj.TermFields(1:n), 1);
            end
        end

        function cancel(obj)
            %CANCEL Ask a running (or the next) train call of this network to stop.
            nn4n.internal.call('nn4n_model_cancel', obj.live());
        end


        function reinitialize(obj)
            %REINITIALIZE Draw every weight afresh from the settings and masks.
            %   net.reinitialize() restarts the generator from net.seed; biases
            %   are reset to 0 and alpha, x0 to their settings.
            nn4n.internal.call('nn4n_model_reinitialize', obj.live());
        end

        function rho = spectralRadius(obj)
            %SPECTRALRADIUS The spectral radius of the effective recurrent weights.
            [~, rho] = nn4n.internal.call('nn4n_model_spectral_radius', obj.live(), 0);
            rho = double(rho);
        end

        function save(obj, file)
            %SAVE Write the network to an .npz file (numpy.load reads it).
            %   net.save(file) writes every weight, effective weight, bias,
            %   alpha, x0, present mask and the configuration, atomically. The
            %   same file is read by nn4n.CTRNN.load, Python's nn4n and C.
            %   Errors: nn4n:io.
            nn4n.internal.call('nn4n_model_save', obj.live(), nn4n.internal.toText(file, 'file'));
        end

        function s = saveobj(obj)
            %SAVEOBJ The network by value, for save: s = saveobj(net).
            %   MATLAB calls it when a network is saved with save (a MAT
            %   file): s is a struct holding the bytes of the .npz file that
            %   net.save writes (every weight, bias, mask and setting, and the
            %   generator's state), and load makes an equal network, with a new
            %   library handle, through nn4n.CTRNN.loadobj. The optimizer's
            %   state (Adam's moments) and the kept objective are not saved.
            %   s has fields nn4n ('CTRNN'), format (1), version (the library's)
            %   and npz (uint8 column; empty for a freed network, which loads as
            %   a freed network).
            %   GNU Octave 7 does not call saveobj or loadobj: there,
            %     s = saveobj(net);  save('-v7', 'f.mat', 's')
            %     load('f.mat');     net = nn4n.CTRNN.loadobj(s)
            %   or save('-v7', 'f.mat', 'net'), which stores the network as a
            %   struct, and net = nn4n.CTRNN.loadobj(net) after load.
            %   Errors: nn4n:io (the temporary file cannot be written).
            if obj.Handle == 0
                s = obj.Pending;
                if isempty(s)
                    s = nn4n.CTRNN.savedStruct(zeros(0, 1, 'uint8'));
                end
                return
            end
            f = [tempname() '.npz'];
            cleaner = onCleanup(@() nn4n.CTRNN.removeFile(f));
            obj.save(f);
            fid = fopen(f, 'r');
            if fid < 0
                error('nn4n:io', 'saveobj: cannot read back the temporary file %s', f);
            end
            bytes = fread(fid, Inf, 'uint8=>uint8');
            fclose(fid);
            s = nn4n.CTRNN.savedStruct(bytes);
        end

        function v = get.Saved(obj)
            v = obj.saveobj();
        end

        function disp(obj)
            %DISP Show the dimensions and the main settings.
            if obj.Handle == 0
                fprintf('  nn4n.CTRNN (freed)\n');
                return
            end
            d = obj.dims;
            fprintf('  nn4n.CTRNN [I N O] = [%d %d %d]: %s, head %s, Dale %s, %s, mean alpha %g, seed %d\n', ...
                d(1), d(2), d(3), obj.activation, obj.head, obj.dale, obj.precision, ...
                obj.getF64('alpha'), obj.seed);
        end


        function v = get.n_in(obj), v = obj.getF64('inputs'); end
        function v = get.n_hid(obj), v = obj.getF64('units'); end
        function v = get.n_out(obj), v = obj.getF64('outputs'); end
        function v = get.dims(obj)
            if isempty(obj.Dims) || obj.Handle == 0
                % A freed network asks the library, which raises nn4n:invalidHandle.
                obj.Dims = [obj.getF64('inputs'), obj.getF64('units'), obj.getF64('outputs')];
            end
            v = obj.Dims;
        end
        function v = get.w_in_eff(obj), v = obj.array('w_in_eff'); end
        function v = get.w_rec_eff(obj), v = obj.array('w_rec_eff'); end
        function v = get.w_out_eff(obj), v = obj.array('w_out_eff'); end
        function v = get.w_in(obj), v = obj.array('w_in'); end
        function set.w_in(obj, v), obj.setArray('w_in', v); end
        function v = get.w_rec(obj), v = obj.array('w_rec'); end
        function set.w_rec(obj, v), obj.setArray('w_rec', v); end
        function v = get.w_out(obj), v = obj.array('w_out'); end
        function set.w_out(obj, v), obj.setArray('w_out', v); end
        function v = get.b_in(obj), v = obj.array('b_in'); end
        function set.b_in(obj, v), obj.setArray('b_in', v); end
        function v = get.b_rec(obj), v = obj.array('b_rec'); end
        function set.b_rec(obj, v), obj.setArray('b_rec', v); end
        function v = get.b_out(obj), v = obj.array('b_out'); end
        function set.b_out(obj, v), obj.setArray('b_out', v); end
        function v = get.alpha(obj), v = obj.array('alpha'); end
        function set.alpha(obj, v), obj.setUnitValue('alpha', v); end
        function v = get.x0(obj), v = obj.array('x0'); end
        function set.x0(obj, v), obj.setUnitValue('x0', v); end
        function v = get.mask_in(obj), v = obj.array('mask_in'); end
        function set.mask_in(obj, v), obj.setArray('mask_in', v); end
        function v = get.mask_rec(obj), v = obj.array('mask_rec'); end
        function set.mask_rec(obj, v), obj.setArray('mask_rec', v); end
        function v = get.mask_out(obj), v = obj.array('mask_out'); end
        function set.mask_out(obj, v), obj.setArray('mask_out', v); end
        function v = get.sign_in(obj), v = obj.array('sign_in'); end
        function set.sign_in(obj, v), obj.setArray('sign_in', v); end
        function v = get.sign_rec(obj), v = obj.array('sign_rec'); end
        function set.sign_rec(obj, v), obj.setArray('sign_rec', v); end
        function v = get.sign_out(obj), v = obj.array('sign_out'); end
        function set.sign_out(obj, v), obj.setArray('sign_out', v); end
        function v = get.plasticity_in(obj), v = obj.array('plasticity_in'); end
        function set.plasticity_in(obj, v), obj.setArray('plasticity_in', v); end
        function v = get.plasticity_rec(obj), v = obj.array('plasticity_rec'); end
        function set.plasticity_rec(obj, v), obj.setArray('plasticity_rec', v); end
        function v = get.plasticity_out(obj), v = obj.array('plasticity_out'); end
        function set.plasticity_out(obj, v), obj.setArray('plasticity_out', v); end
    end

    % BEGIN settings: generated by tools/gen_matlab_keys.py from nn4n_model_key_info; do not edit
    properties (Dependent, SetAccess = private)
        inputs           % number of inputs I (fixed at creation)
        units            % number of recurrent units N (fixed at creation)
        outputs          % number of outputs O (fixed at creation)
    end
    properties (Dependent)
        activation       % recurrent nonlinearity f (relu, tanh, sigmoid, retanh, softplus, linear)
        head             % output nonlinearity g (linear, sigmoid, softmax)
        dale             % how signed weights are kept to their sign (rectify, abs, clip)
        precision        % arithmetic of the engine (float64, float32)
        init             % weight initialisation scheme, used at the next reinitialize (uniform, normal, zero, pycog)
        learn_alpha      % logical: train α, kept in [AlphaMin, 1]
        pre_noise        % pre-activation noise σ_pre (nn4n)
        rec_noise        % recurrent noise σ_rec (pycog)
        post_noise       % post-activation noise σ_post (nn4n)
        input_baseline   % input baseline u0 (pycog input model)
        input_noise      % input noise σ_in (pycog input model, training mode only)
        input_alpha      % dt/τ_in of the input model; 0 means the mean initial α
        train_x0         % logical: train the initial state
        train_bias_in    % logical: train the input bias
        train_bias_rec   % logical: train the recurrent bias
        train_bias_out   % logical: train the readout bias
        spectral_radius  % spectral radius of the initial effective W_rec; 0 keeps the draw
        balance          % logical: E/I balance at initialisation
        seed             % seed of the model's generator; setting it reseeds
        bptt_checkpoint  % 0: BPTT keeps every step; k ≥ 1: it keeps every k-th state and recomputes the steps between, ~(T/k + 5k)·B·N values instead of ~4·T·B·N for one more forward pass (k ≈ √(T/5) is least; rounded up to a block of a few steps; objectives that read rates or states keep every step)
        carry_state      % logical: 1: each gradient or train pass (nn4n_model_gradient, nn4n_model_train, a trainer's updates) starts trial b where trial b of the previous one ended (truncated BPTT over continuous streams: the gradient stops at the chunk boundary; forward, loss and backward passes neither use nor move the streams); the first pass starts from x0, and writing the setting starts new streams
        training         % logical: training mode: input noise is drawn
    end
    methods
        function v = get.inputs(obj), v = obj.getF64('inputs'); end
        function v = get.units(obj), v = obj.getF64('units'); end
        function v = get.outputs(obj), v = obj.getF64('outputs'); end
        function v = get.activation(obj), v = obj.getStr('activation'); end
        function set.activation(obj, v), obj.setStr('activation', v); end
        function v = get.head(obj), v = obj.getStr('head'); end
        function set.head(obj, v), obj.setStr('head', v); end
        function v = get.dale(obj), v = obj.getStr('dale'); end
        function set.dale(obj, v), obj.setStr('dale', v); end
        function v = get.precision(obj), v = obj.getStr('precision'); end
        function set.precision(obj, v), obj.setStr('precision', v); end
        function v = get.init(obj), v = obj.getStr('init'); end
        function set.init(obj, v), obj.setStr('init', v); end
        function v = get.learn_alpha(obj), v = obj.getF64('learn_alpha') ~= 0; end
        function set.learn_alpha(obj, v), obj.setF64('learn_alpha', v); end
        function v = get.pre_noise(obj), v = obj.getF64('pre_noise'); end
        function set.pre_noise(obj, v), obj.setF64('pre_noise', v); end
        function v = get.rec_noise(obj), v = obj.getF64('rec_noise'); end
        function set.rec_noise(obj, v), obj.setF64('rec_noise', v); end
        function v = get.post_noise(obj), v = obj.getF64('post_noise'); end
        function set.post_noise(obj, v), obj.setF64('post_noise', v); end
        function v = get.input_baseline(obj), v = obj.getF64('input_baseline'); end
        function set.input_baseline(obj, v), obj.setF64('input_baseline', v); end
        function v = get.input_noise(obj), v = obj.getF64('input_noise'); end
        function set.input_noise(obj, v), obj.setF64('input_noise', v); end
        function v = get.input_alpha(obj), v = obj.getF64('input_alpha'); end
        function set.input_alpha(obj, v), obj.setF64('input_alpha', v); end
        function v = get.train_x0(obj), v = obj.getF64('train_x0') ~= 0; end
        function set.train_x0(obj, v), obj.setF64('train_x0', v); end
        function v = get.train_bias_in(obj), v = obj.getF64('train_bias_in') ~= 0; end
        function set.train_bias_in(obj, v), obj.setF64('train_bias_in', v); end
        function v = get.train_bias_rec(obj), v = obj.getF64('train_bias_rec') ~= 0; end
        function set.train_bias_rec(obj, v), obj.setF64('train_bias_rec', v); end
        function v = get.train_bias_out(obj), v = obj.getF64('train_bias_out') ~= 0; end
        function set.train_bias_out(obj, v), obj.setF64('train_bias_out', v); end
        function v = get.spectral_radius(obj), v = obj.getF64('spectral_radius'); end
        function set.spectral_radius(obj, v), obj.setF64('spectral_radius', v); end
        function v = get.balance(obj), v = obj.getF64('balance') ~= 0; end
        function set.balance(obj, v), obj.setF64('balance', v); end
        function v = get.seed(obj), v = obj.getF64('seed'); end
        function set.seed(obj, v), obj.setF64('seed', v); end
        function v = get.bptt_checkpoint(obj), v = obj.getF64('bptt_checkpoint'); end
        function set.bptt_checkpoint(obj, v), obj.setF64('bptt_checkpoint', v); end
        function v = get.carry_state(obj), v = obj.getF64('carry_state') ~= 0; end
        function set.carry_state(obj, v), obj.setF64('carry_state', v); end
        function v = get.training(obj), v = obj.getF64('training') ~= 0; end
        function set.training(obj, v), obj.setF64('training', v); end
    end
    % END settings

    methods (Static)
        function net = loadobj(s)
            %LOADOBJ A network from what saveobj gave: net = nn4n.CTRNN.loadobj(s).
            %   MATLAB's load calls it with the struct that saveobj stored; in
            %   GNU Octave call it yourself (see saveobj), with that struct or
            %   with the struct Octave's load gives for a network saved with
            %   save('-v7', ...). net is a new network (a new handle) equal to
            %   the saved one: same weights, masks, settings and generator
            %   state, so forward gives the same outputs bit for bit.
            %   A freed network loads as a freed one. When the network cannot
            %   be rebuilt (the library cannot be loaded, the bytes are not a
            %   valid .npz), loadobj warns (nn4n:loadobj) and returns a freed
            %   network that keeps the saved bytes: its calls raise
            %   nn4n:invalidHandle, nothing crashes, and saving it again
            %   keeps the bytes.
            if isa(s, 'nn4n.CTRNN')
                net = s;
                return
            end
            if isstruct(s) && isscalar(s) && isfield(s, 'Saved') && ~isfield(s, 'npz')
                s = s.Saved;   % Octave's save of the object: its properties as a struct
            end
            if ~isstruct(s) || ~isscalar(s) || ~isfield(s, 'npz') || ~isfield(s, 'nn4n') ...
                    || ~strcmp(s.nn4n, 'CTRNN')
                error('nn4n:invalidArgument', ['nn4n.CTRNN.loadobj: not a network saved by saveobj ' ...
                    '(a struct with fields nn4n = ''CTRNN'' and npz)']);
            end
            net = nn4n.CTRNN(nn4n.internal.HandleWrap(uint64(0)));
            if isempty(s.npz)
                return   % a freed network
            end
            try
                f = [tempname() '.npz'];
                cleaner = onCleanup(@() nn4n.CTRNN.removeFile(f));
                fid = fopen(f, 'w');
                if fid < 0
                    error('nn4n:io', 'cannot write the temporary file %s', f);
                end
                fwrite(fid, s.npz, 'uint8');
                fclose(fid);
                [~, ~, h] = nn4n.internal.call('nn4n_model_load', f, uint64(0));
                net = nn4n.CTRNN(nn4n.internal.HandleWrap(h));
            catch err
                warning('nn4n:loadobj', ['nn4n.CTRNN.loadobj: the saved network could not be rebuilt ' ...
                    '(%s: %s); it is loaded as a freed network that keeps the saved bytes'], ...
                    err.identifier, err.message);
                net.Pending = s;
            end
        end

        function net = load(file)
            %LOAD Read a network saved by net.save (an .npz file).
            %   net = nn4n.CTRNN.load(file) reads and validates the file (also
            %   one written by Python's nn4n or the C ABI). Errors: nn4n:io (a
            %   missing or unreadable file), nn4n:format (truncated, corrupt or
            %   inconsistent).
            [~, ~, h] = nn4n.internal.call('nn4n_model_load', nn4n.internal.toText(file, 'file'), uint64(0));
            net = nn4n.CTRNN(nn4n.internal.HandleWrap(h));
        end
    end

    methods (Access = private)
        function configure(obj, o)
            % Options in an order that makes sense: enumerations, then masks and
            % the initialisation, then explicit arrays, then the other settings.
            for key = {'activation', 'head', 'dale'}
                if isfield(o, key{1})
                    obj.setStr(key{1}, o.(key{1}));
                end
            end
            reinit = false;
            scheme = '';
            if isfield(o, 'init')
                scheme = o.init;
            end
            weights = {[], [], []};
            if isfield(o, 'weights')
                if ischar(o.weights) || (isstring(o.weights) && isscalar(o.weights))
                    scheme = o.weights;
                elseif iscell(o.weights) && numel(o.weights) == 3
                    for k = 1:3
                        w = o.weights{k};
                        if ischar(w) || (isstring(w) && isscalar(w))
                            if ~isempty(scheme) && ~strcmpi(char(w), char(scheme))
                                error('nn4n:invalidArgument', ['nn4n.CTRNN: one initialisation ' ...
                                    'scheme for every weight, got %s and %s'], char(scheme), char(w));
                            end
                            scheme = w;
                        else
                            weights{k} = w;
                        end
                    end
                else
                    error('nn4n:invalidArgument', ['nn4n.CTRNN: weights must be a scheme name or ' ...
                        '{W_in, W_rec, W_out}']);
                end
            end
            if ~isempty(scheme)
                obj.setStr('init', scheme);
                reinit = true;
            end
            for key = {'spectral_radius', 'balance'}
                if isfield(o, key{1})
                    obj.setF64(key{1}, o.(key{1}));
                    reinit = true;
                end
            end
            maskKinds = {'sparsity_masks', 'mask'; 'ei_masks', 'sign'; 'plasticity_masks', 'plasticity'};
            layers = {'in', 'rec', 'out'};
            for m = 1:size(maskKinds, 1)
                if isfield(o, maskKinds{m, 1})
                    v = o.(maskKinds{m, 1});
                    if isempty(v)
                        continue
                    end
                    if ~iscell(v) || numel(v) ~= 3
                        error('nn4n:invalidArgument', 'nn4n.CTRNN: %s must be {M_in, M_rec, M_out}', ...
                            maskKinds{m, 1});
                    end
                    for k = 1:3
                        if ~isempty(v{k})
                            obj.setArray([maskKinds{m, 2} '_' layers{k}], v{k});
                            reinit = reinit || m < 3;
                        end
                    end
                end
            end
            if reinit
                obj.reinitialize();
            end
            for k = 1:3
                if ~isempty(weights{k})
                    obj.setArray(['w_' layers{k}], weights{k});
                end
            end
            if isfield(o, 'biases')
                b = o.biases;
                if ~iscell(b)
                    b = {b, b, b};
                elseif numel(b) ~= 3
                    error('nn4n:invalidArgument', 'nn4n.CTRNN: biases must be one value or {b_in, b_rec, b_out}');
                end
                for k = 1:3
                    v = b{k};
                    flag = ['train_bias_' layers{k}];
                    if isempty(v) || (ischar(v) && strcmpi(v, 'none'))
                        obj.setF64(flag, 0);
                    elseif ischar(v) && strcmpi(v, 'zero')
                        obj.setF64(flag, 1);
                    elseif isnumeric(v)
                        obj.setArray(['b_' layers{k}], v);
                        obj.setF64(flag, 1);
                    else
                        error('nn4n:invalidArgument', ['nn4n.CTRNN: a bias is ''none'', ''zero'' ' ...
                            'or a vector (the library has no random bias initialisation)']);
                    end
                end
            end
            hasAlpha = isfield(o, 'alpha');
            if hasAlpha && (isfield(o, 'dt') || isfield(o, 'tau'))
                error('nn4n:invalidArgument', 'nn4n.CTRNN: give alpha or dt/tau, not both');
            end
            if isfield(o, 'dt') || isfield(o, 'tau')
                dt = 10;
                tau = 100;
                if isfield(o, 'dt'), dt = double(o.dt); end
                if isfield(o, 'tau'), tau = double(o.tau); end
                obj.setUnitValue('alpha', dt ./ tau);
            elseif hasAlpha
                obj.setUnitValue('alpha', o.alpha);
            end
            if isfield(o, 'init_state') && isfield(o, 'x0')
                error('nn4n:invalidArgument', 'nn4n.CTRNN: give init_state or x0, not both');
            end
            for key = {'init_state', 'x0'}
                if isfield(o, key{1})
                    obj.setUnitValue('x0', o.(key{1}));
                end
            end
            aliases = {'preact_noise', 'pre_noise'; 'postact_noise', 'post_noise'};
            for k = 1:size(aliases, 1)
                if isfield(o, aliases{k, 1}) && isfield(o, aliases{k, 2})
                    error('nn4n:invalidArgument', 'nn4n.CTRNN: give %s or %s, not both', aliases{k, :});
                end
                if isfield(o, aliases{k, 1})
                    obj.setF64(aliases{k, 2}, o.(aliases{k, 1}));
                end
            end
            for key = {'learn_alpha', 'pre_noise', 'rec_noise', 'post_noise', 'input_baseline', ...
                    'input_noise', 'input_alpha', 'train_x0', 'train_bias_in', 'train_bias_rec', ...
                    'train_bias_out', 'training'}
                if isfield(o, key{1})
                    obj.setF64(key{1}, o.(key{1}));
                end
            end
        end

        function M = array(obj, key)
            % A model array in MATLAB's orientation (see nn4n.internal.getMatrix).
            M = nn4n.internal.getMatrix('nn4n_model', obj.live(), key);
        end

        function setArray(obj, key, M)
            % Checks the MATLAB shape (the library only sees a length, so a
            % transposed matrix with the same count would pass unnoticed).
            if isempty(M)
                nn4n.internal.call('nn4n_model_set_array', obj.live(), key, [], int64(0));
                return
            end
            parts = regexp(key, '^(w|mask|sign|plasticity)_(in|rec|out)$', 'tokens', 'once');
            if ~isempty(parts)
                [~, ~, r, c] = nn4n.internal.call('nn4n_model_shape', obj.live(), ['w_' parts{2}], ...
                    int64(0), int64(0));
                want = double([r c]);
                perUnit = strcmp(parts{1}, 'sign') && isvector(M) && numel(M) == want(2) && ...
                    ~(want(1) == 1 && isequal(size(M), want));
                if ~isequal(size(M), want) && ~perUnit
                    error('nn4n:shape', '%s is %s, want %d-by-%d (post, pre)%s', key, ...
                        mat2str(size(M)), want(1), want(2), ...
                        nn4n.CTRNN.ifElse(strcmp(parts{1}, 'sign'), ' or one sign per presynaptic unit', ''));
                end
            elseif ~isvector(M)
                error('nn4n:shape', '%s must be a vector, got %s', key, mat2str(size(M)));
            end
            v = nn4n.internal.rowMajor(M);
            nn4n.internal.call('nn4n_model_set_array', obj.live(), key, v, int64(numel(v)));
        end

        function setUnitValue(obj, key, v)
            % alpha and x0: a scalar sets every unit (set_f64), a vector each one.
            if isscalar(v)
                obj.setF64(key, v);
            else
                obj.setArray(key, v);
            end
        end

        function g = storedGradients(obj)
            % The gradients of the last gradient/backward call, one field per
            % trained parameter, in the parameter's orientation.
            keys = {'w_in', 'w_rec', 'w_out'};
            flags = {'train_bias_in', 'b_in'; 'train_bias_rec', 'b_rec'; 'train_bias_out', 'b_out'; ...
                'learn_alpha', 'alpha'; 'train_x0', 'x0'};
            for k = 1:size(flags, 1)
                if obj.getF64(flags{k, 1}) ~= 0
                    keys{end + 1} = flags{k, 2}; %#ok<AGROW>
                end
            end
            g = struct();
            for k = 1:numel(keys)
                [~, ~, r, c] = nn4n.internal.call('nn4n_model_shape', obj.live(), keys{k}, int64(0), int64(0));
                [~, ~, buf] = nn4n.internal.call('nn4n_model_get_grad', obj.live(), keys{k}, ...
                    zeros(double(c), double(r)), int64(r * c));
                g.(keys{k}) = reshape(buf, double(c), double(r)).';
            end
        end

        function onlyKeys(~, order, allowed, where)
            % nn4n:unknownKey for an option name not in allowed.
            for k = 1:numel(order)
                if ~any(strcmp(order{k}, allowed))
                    error('nn4n:unknownKey', '%s: unknown option "%s" (known: %s)', where, order{k}, ...
                        strjoin(allowed, ', '));
                end
            end
        end

        function [u, T, B] = sequence(~, u, I, name, dimName)
            % An [I T B] array (or [I T]) as double, with its T and B.
            if ~(isnumeric(u) || islogical(u)) || ~isreal(u) || ndims(u) > 3
                error('nn4n:shape', '%s must be a real [%s T B] array', name, dimName);
            end
            u = double(u);
            if size(u, 1) ~= I
                error('nn4n:shape', '%s is %s, want %s-by-T-by-B with %s = %d ([%s T B], batch last)', ...
                    name, mat2str(size(u)), dimName, dimName, I, dimName);
            end
            T = size(u, 2);
            B = size(u, 3);
            if T < 1 || B < 1
                error('nn4n:shape', '%s is %s: T and B must be at least 1', name, mat2str(size(u)));
            end
        end

        function a = batchArgs(obj, u, target, opts, where)
            % The (input, target, mask, labels, batch, steps) arguments of the
            % gradient, loss and train calls, checked against [I T B] / [O T B].
            d = obj.dims;
            [u, T, B] = obj.sequence(u, d(1), 'u', 'I');
            if isempty(u)
                u = [];
            end
            target = double(target);
            if ~isempty(target) && ~isequal(nn4n.internal.size3(target), [d(3) T B])
                error('nn4n:shape', '%s: target is %s, want [%d %d %d] ([O T B])', where, ...
                    mat2str(size(target)), d(3), T, B);
            end
            mask = [];
            if isfield(opts, 'mask') && ~isempty(opts.mask)
                mask = double(opts.mask);
                if ~isequal(nn4n.internal.size3(mask), [d(3) T B])
                    error('nn4n:shape', '%s: mask is %s, want [%d %d %d] ([O T B])', where, ...
                        mat2str(size(mask)), d(3), T, B);
                end
            end
            labels = [];
            if isfield(opts, 'labels') && ~isempty(opts.labels)
                labels = double(opts.labels);
                if ~isequal(size(labels, 1), T) || size(labels, 2) ~= B || ndims(labels) > 2
                    error('nn4n:shape', '%s: labels is %s, want [%d %d] ([T B])', where, ...
                        mat2str(size(labels)), T, B);
                end
                labels(isnan(labels)) = 0;
                labels = labels - 1;   % 1-based classes, 0 = ignore -> 0-based, -1
            end
            a = {u, int64(numel(u)), target, int64(numel(target)), mask, int64(numel(mask)), ...
                labels, int64(numel(labels)), int64(B), int64(T)};
        end

        function [objective, rest] = objectiveFrom(obj, opts, order, withOptimizer)
            % The objective of a train/gradients/loss call: an nn4n.Objective
            % given with 'objective', or a new one of the kind given (default
            % 'songyang') with the call's objective keys, kept by the network
            % (never freed by the call). rest: the optimizer keys.
            fixed = {'mask', 'labels', 'objective'};
            optKeys = {};
            if withOptimizer
                fixed = [fixed, {'optimizer', 'updates', 'reset', 'chunk', 'progress'}];
                optKeys = {'lr', 'max_norm', 'guard', 'beta1', 'beta2', 'eps', 'weight_decay'};
            end
            rest = {};
            objKeys = {};
            for k = 1:numel(order)
                key = order{k};
                if any(strcmp(key, fixed))
                    continue
                elseif any(strcmp(key, optKeys))
                    rest(end + 1, :) = {key, opts.(key)}; %#ok<AGROW>
                else
                    objKeys(end + 1, :) = {key, opts.(strrep(key, '.', '__'))}; %#ok<AGROW>
                end
            end
            kind = 'songyang';
            if isfield(opts, 'objective')
                kind = opts.objective;
            end
            obj.touch();
            if isa(kind, 'nn4n.Objective')
                objective = kind;
                for k = 1:size(objKeys, 1)
                    objective.set(objKeys{k, 1}, objKeys{k, 2});
                end
            else
                % Kept between calls while the kind and the keys given are
                % the same (an objective holds only its settings).
                kind = nn4n.internal.toText(kind, 'objective');
                sig = [{kind}, reshape(objKeys.', 1, [])];
                if ~isempty(obj.Obj) && obj.Obj.isvalidHandle() && nn4n.CTRNN.sameOptions(obj.ObjSig, sig)
                    objective = obj.Obj;
                else
                    pairs = reshape(objKeys.', 1, []);
                    objective = nn4n.Objective(kind, pairs{:});
                    old = obj.Obj;
                    obj.Obj = objective;
                    obj.ObjSig = sig;
                    obj.TrainCache = [];
                    if ~isempty(old)
                        old.free();
                    end
                end
            end
            if ~withOptimizer
                rest = {};
            end
        end

        function optimizer = optimizerFrom(obj, opts, rest)
            % The optimizer of a train call: the one given, or the kept one of the kind.
            kind = 'adam';
            if isfield(opts, 'optimizer')
                kind = opts.optimizer;
            end
            kept = ~isa(kind, 'nn4n.Optimizer');
            if ~kept
                optimizer = kind;
            else
                kind = nn4n.internal.toText(kind, 'optimizer');
                if isempty(obj.Opt) || ~obj.Opt.isvalidHandle() || ~strcmpi(obj.OptKind, kind)
                    obj.Opt = nn4n.Optimizer(kind);
                    obj.OptKind = kind;
                    obj.OptSig = {};
                    obj.TrainCache = [];
                end
                optimizer = obj.Opt;
            end
            if isfield(opts, 'reset') && opts.reset
                optimizer.reset();
            end
            sig = reshape(rest.', 1, []);
            if kept && nn4n.CTRNN.sameOptions(sig, obj.OptSig)
                return   % the kept optimizer already has these settings
            end
            for k = 1:size(rest, 1)
                optimizer.set(rest{k, 1}, rest{k, 2});
            end
            if kept
                obj.OptSig = sig;
            end
        end

        function touch(obj)
            % Fails with nn4n:invalidHandle on a freed network before any work.
            if obj.Handle == 0
                obj.getF64('units');
            end
        end
    end

    methods (Static, Access = private)
        function tf = gatewayTrains()
            % Whether the MEX gateway has the '@train' entry of train's fast
            % path (a gateway built before it has not: no fast path then).
            persistent known
            if isempty(known)
                try
                    known = nn4n.internal.nn4n_mex('@train') == 1;
                catch
                    known = false;
                end
            end
            tf = known;
        end

        function s = savedStruct(bytes)
            % The struct of saveobj around the bytes of an .npz file.
            s = struct('nn4n', 'CTRNN', 'format', 1, 'version', nn4n.CTRNN.versionText(), ...
                'npz', bytes(:));
        end

        function v = versionText()
            % The library's version, or '' when it cannot be loaded.
            try
                v = nn4n.version();
            catch
                v = '';
            end
        end

        function removeFile(f)
            % Deletes a temporary file if it exists.
            if exist(f, 'file')
                delete(f);
            end
        end

        function code = precisionCode(p)
            % NN4N_FLOAT64 (0) or NN4N_FLOAT32 (1) for a precision name.
            switch lower(nn4n.CTRNN.precisionName(p))
                case 'float64'
                    code = int32(0);
                otherwise
                    code = int32(1);
            end
        end

        function name = precisionName(p)
            % 'float64' or 'float32' for a name, an alias or a code.
            if isnumeric(p) && isscalar(p) && (p == 0 || p == 1)
                names = {'float64', 'float32'};
                name = names{p + 1};
                return
            end
            p = lower(nn4n.internal.toText(p, 'precision'));
            switch p
                case {'float64', 'double'}
                    name = 'float64';
                case {'float32', 'single'}
                    name = 'float32';
                otherwise
                    error('nn4n:invalidArgument', 'precision must be ''float64'' or ''float32'', got ''%s''', p);
            end
        end


        function tf = sameOptions(a, b)
            % Whether two name-value cells are equal: names and char values
            % by strcmp, numbers by class, size and value (NaN never
            % equal), anything else by isequal. Octave's isequal on a cell
            % costs ~0.3 ms, more than a training update of a small network.
            tf = numel(a) == numel(b);
            k = 1;
            while tf && k <= numel(a)
                x = a{k};
                y = b{k};
                if ischar(x)
                    tf = ischar(y) && strcmp(x, y);
                elseif isnumeric(x) && isscalar(x)
                    tf = isnumeric(y) && isscalar(y) && strcmp(class(x), class(y)) && x == y;
                else
                    tf = isequal(x, y);
                end
                k = k + 1;
            end
        end

        function v = ifElse(c, a, b)
            % a if c, else b.
            if c
                v = a;
            else
                v = b;
            end
        end
    end
end

