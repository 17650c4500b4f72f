classdef Progress < handle
    %PROGRESS The progress display of net.train and nn4n.Trainer/run (internal).
    %
    %   p = nn4n.internal.Progress(setting, title, total, unit) prepares a
    %   display of a run of total steps (unit: 'updates', 'trials'; total 0 =
    %   unknown).
    %   setting is the 'progress' option:
    %     'auto' (default)  nothing for the first 2 s of the run, then as for true,
    %                       so short calls and tight loops print nothing
    %     true | 'on'       from the first step: a waitbar when a graphical
    %                       display exists, text lines otherwise
    %     'text'            text lines: one at the first step, then at most one
    %                       every 5 s, and one at the end
    %     'waitbar'         a waitbar (with a Cancel button), even without a display
    %     false | 'off'     nothing
    %   A graphical display is the MATLAB desktop (usejava('desktop')), the
    %   Octave GUI (isguirunning), or an Octave with a window system, DISPLAY
    %   set and a figure toolkit other than gnuplot.
    %
    %   stop = p.update(done, detail) shows that done steps are made (detail:
    %   text such as 'loss 0.012', or a function that returns it, called only
    %   when something is shown) and returns true once the user pressed the
    %   waitbar's Cancel button or closed it. p.finish(done, detail) shows the
    %   last line (text, if any line was shown) and closes the waitbar; so
    %   does deleting p (an error or Ctrl-C between chunks closes the waitbar
    %   through the caller's onCleanup).
    %
    %   Not part of the public API.

    properties (SetAccess = private)
        Mode = 'off';     % 'off', 'text' or 'waitbar' (what is shown once shown)
        Shown = false;    % whether anything was shown yet
        Cancelled = false;% the waitbar's Cancel button or close box was used
        Bar = [];         % the waitbar figure
    end
    properties (Access = private)
        Title = '';
        Unit = '';
        Total = 0;
        Delay = 0;        % seconds before anything is shown
        Start = [];       % tic of the start
        LastText = -Inf;  % elapsed seconds at the last text line
        LastBar = -Inf;   % ... at the last waitbar update
    end
    properties (Constant)
        AutoDelay = 2;    % seconds before 'auto' shows anything
        TextEvery = 5;    % seconds between text lines
        BarEvery = 0.2;   % seconds between waitbar redraws
    end

    methods
        function obj = Progress(setting, title, total, unit)
            %PROGRESS A display: nn4n.internal.Progress(setting, title, total, unit).
            obj.Title = title;
            obj.Unit = unit;
            obj.Total = total;
            obj.Start = tic;
            [obj.Mode, auto] = nn4n.internal.Progress.resolve(setting);
            if auto
                obj.Delay = nn4n.internal.Progress.AutoDelay;
            end
        end

        function stop = update(obj, done, detail)
            %UPDATE Show done steps; true when the user cancelled.
            stop = false;
            if strcmp(obj.Mode, 'off')
                return
            end
            t = toc(obj.Start);
            if t < obj.Delay
                return
            end
            if strcmp(obj.Mode, 'waitbar')
                stop = obj.showBar(done, detail, t);
            elseif ~obj.Shown || t - obj.LastText >= nn4n.internal.Progress.TextEvery
                obj.showText(done, detail, t);
            end
        end

        function finish(obj, done, detail)
            %FINISH The closing line (when something was shown); closes the waitbar.
            % text: when a line was shown, or asked for from the start (a
            % call of one chunk then shows this line alone)
            if strcmp(obj.Mode, 'text') && (obj.Shown || obj.Delay == 0)
                obj.showText(done, detail, toc(obj.Start));
            end
            obj.close();
        end

        function close(obj)
            %CLOSE Close the waitbar, if open (safe to call twice).
            if ~isempty(obj.Bar)
                h = obj.Bar;
                obj.Bar = [];
                if ishghandle(h)
                    delete(h);
                end
            end
        end

        function delete(obj)
            %DELETE Closes the waitbar with the display.
            try
                obj.close();
            catch
                % A destructor must not throw (the figure may be gone).
            end
        end
    end

    methods (Access = private)
        function showText(obj, done, detail, t)
            % One line: 'train: 10/30 updates (33 %), loss 0.1, 0.2 s elapsed'.
            if isa(detail, 'function_handle')
                detail = detail();
            end
            if obj.Total > 0
                head = sprintf('%s: %d/%d %s (%.0f %%)', obj.Title, done, obj.Total, obj.Unit, ...
                    100 * done / obj.Total);
            else
                head = sprintf('%s: %d %s', obj.Title, done, obj.Unit);
            end
            if ~isempty(detail)
                head = [head ', ' detail];
            end
            fprintf('%s, %s\n', head, nn4n.internal.Progress.duration(t));
            obj.Shown = true;
            obj.LastText = t;
        end

        function stop = showBar(obj, done, detail, t)
            % Opens or redraws the waitbar; true once cancelled.
            if isempty(obj.Bar)
                if obj.Shown
                    stop = obj.Cancelled;   % closed by the user: stay closed
                    return
                end
                obj.openBar();
            elseif ~ishghandle(obj.Bar)
                obj.Bar = [];
                obj.Cancelled = true;        % the window was destroyed
            end
            if ~isempty(obj.Bar)
                if getappdata(obj.Bar, 'nn4n_cancel')
                    obj.Cancelled = true;
                elseif t - obj.LastBar >= nn4n.internal.Progress.BarEvery || done >= obj.Total
                    frac = 0;
                    if obj.Total > 0
                        frac = min(done / obj.Total, 1);
                    end
                    msg = sprintf('%d/%d %s', done, obj.Total, obj.Unit);
                    if isa(detail, 'function_handle')
                        detail = detail();
                    end
                    if ~isempty(detail)
                        msg = [msg ', ' detail];
                    end
                    waitbar(frac, obj.Bar, sprintf('%s, %s', msg, nn4n.internal.Progress.duration(t)));
                    drawnow();
                    obj.LastBar = t;
                end
            end
            stop = obj.Cancelled;
        end

        function openBar(obj)
            % A waitbar with a Cancel button.
            % The Cancel button and the close box both only raise a flag,
            % read between chunks; the bar is deleted by close().
            cancel = @(src, varargin) setappdata(ancestor(src, 'figure'), 'nn4n_cancel', true);
            h = waitbar(0, sprintf('%s: starting', obj.Title), 'Name', ['nn4n ' obj.Title], ...
                'CreateCancelBtn', cancel);
            setappdata(h, 'nn4n_cancel', false);
            set(h, 'CloseRequestFcn', cancel);
            obj.Bar = h;
            obj.Shown = true;
        end
    end

    methods (Static)
        function [mode, auto] = resolve(setting)
            % The display a 'progress' setting asks for, and whether it waits
            % AutoDelay seconds first.
            auto = false;
            if ischar(setting) || (isstring(setting) && isscalar(setting))
                s = lower(char(setting));
            elseif (islogical(setting) || isnumeric(setting)) && isscalar(setting)
                s = 'off';
                if setting
                    s = 'on';
                end
            else
                error('nn4n:invalidArgument', ['progress must be true, false, ''auto'', ''text'' ' ...
                    'or ''waitbar''']);
            end
            switch s
                case 'off'
                    mode = 'off';
                case {'on', 'auto'}
                    auto = strcmp(s, 'auto');
                    mode = 'text';
                    if nn4n.internal.Progress.hasDisplay()
                        mode = 'waitbar';
                    end
                case {'text', 'waitbar'}
                    mode = s;
                otherwise
                    error('nn4n:invalidArgument', ['progress must be true, false, ''auto'', ''text'' ' ...
                        'or ''waitbar'', got ''%s'''], s);
            end
        end

        function tf = hasDisplay()
            % True when figures can be shown (see the class help).
            persistent cached
            if isempty(cached)
                if exist('OCTAVE_VERSION', 'builtin') ~= 0
                    cached = isguirunning() || (have_window_system() && ~isempty(getenv('DISPLAY')) ...
                        && ~strcmp(graphics_toolkit(), 'gnuplot'));
                else
                    cached = usejava('desktop');
                end
            end
            tf = cached;
        end

        function s = duration(t)
            % Elapsed seconds as text: '4.2 s', '3 min 05 s', '1 h 02 min'.
            if t < 60
                s = sprintf('%.1f s elapsed', t);
            elseif t < 3600
                s = sprintf('%d min %02d s elapsed', floor(t / 60), floor(mod(t, 60)));
            else
                s = sprintf('%d h %02d min elapsed', floor(t / 3600), floor(mod(t, 3600) / 60));
            end
        end
    end
end
