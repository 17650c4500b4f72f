classdef Object < handle
    %OBJECT Base of the nn4n classes that own a library handle (internal).
    %   Holds the uint64 handle of one library object and the prefix of its
    %   functions (nn4n_model, nn4n_objective, ...). free() and delete() free
    %   the native object once; afterwards the handle is 0 and every call
    %   raises nn4n:invalidHandle (the library's own check), never a crash.

    % Transient: a handle means nothing in another session (the library
    % numbers handles afresh), so an object saved in a .mat file loads as a
    % freed one (nn4n:invalidHandle) instead of aliasing a live object.
    % nn4n.CTRNN saves itself by value instead (saveobj/loadobj: the bytes
    % of its .npz file).
    properties (SetAccess = protected, Hidden, Transient)
        Handle = uint64(0);   % the library handle (uint64; 0 once freed)
    end
    properties (Access = protected, Hidden)
        Prefix = '';          % 'nn4n_model', 'nn4n_structure', ...
    end
    properties (Access = protected, Hidden, Transient)
        FreedHandle = uint64(0);
    end

    methods
        function free(obj)
            %FREE Free the native object now (also done by delete).
            %   obj.free() releases the library object. Later calls on obj raise
            %   nn4n:invalidHandle. Calling free twice does nothing.
            h = obj.Handle;
            if h ~= 0
                obj.Handle = uint64(0);
                obj.FreedHandle = h;
                nn4n.internal.call([obj.Prefix '_free'], h);
            end
        end

        function delete(obj)
            %DELETE Free the native object when the MATLAB object is destroyed.
            try
                obj.free();
            catch
                % A destructor must not throw; the handle may be gone already.
            end
        end

        function tf = isvalidHandle(obj)
            %ISVALIDHANDLE True while the native object has not been freed.
            tf = obj.Handle ~= 0;
        end

        function k = keys(obj)
            %KEYS Every setting of the object, as the library describes it.
            %   k = obj.keys() is a struct array with fields name, type ('f64',
            %   'flag' (an f64 that is 0 or 1), 'str' or 'enum'), access ('rw' or 'ro'), default (text), doc (one
            %   line), lo and hi (the bounds of a numeric key; -Inf and Inf when
            %   unbounded), read from prefix_key_count and prefix_key_info.
            [~, n] = nn4n.internal.call([obj.Prefix '_key_count'], obj.live(), int64(0));
            k = struct('name', {}, 'type', {}, 'access', {}, 'default', {}, 'doc', {}, 'lo', {}, 'hi', {});
            fn = [obj.Prefix '_key_info'];
            for i = 1:double(n)
                [~, ~, need] = nn4n.internal.call(fn, obj.live(), int64(i - 1), '', int64(0), int64(0), 0, 0);
                [~, text, ~, lo, hi] = nn4n.internal.call(fn, obj.live(), int64(i - 1), ...
                    blanks(max(double(need), 1) - 1), int64(max(double(need), 1)), int64(0), 0, 0);
                f = regexp(text(:).', '\t', 'split');
                f(end + 1:5) = {''};
                k(end + 1) = struct('name', f{1}, 'type', f{2}, 'access', f{3}, 'default', f{4}, ...
                    'doc', strjoin(f(5:end), sprintf('\t')), 'lo', double(lo), 'hi', double(hi)); %#ok<AGROW>
            end
        end
    end

    methods (Hidden)
        function h = live(obj)
            % The handle to pass to the library: the freed value after free(),
            % so that the library reports it as freed (nn4n:invalidHandle).
            h = obj.Handle;
            if h == 0
                h = obj.FreedHandle;
            end
        end
    end

    methods (Access = protected, Hidden)

        function v = getF64(obj, key)
            % A numeric setting (prefix_get_f64).
            [~, ~, v] = nn4n.internal.call([obj.Prefix '_get_f64'], obj.live(), key, 0);
            v = double(v);
        end

        function setF64(obj, key, value)
            % Set a numeric setting (prefix_set_f64); logicals become 0/1.
            nn4n.internal.call([obj.Prefix '_set_f64'], obj.live(), key, ...
                nn4n.internal.toScalar(value, key));
        end

        function s = getStr(obj, key)
            % A text setting (prefix_get_str, string-output protocol).
            s = nn4n.internal.getString([obj.Prefix '_get_str'], {obj.live(), key}, 1);
        end

        function setStr(obj, key, value)
            % Set a text setting (prefix_set_str).
            nn4n.internal.call([obj.Prefix '_set_str'], obj.live(), key, ...
                nn4n.internal.toText(value, key));
        end

        function setAny(obj, key, value)
            % Text goes to _set_str, a number or logical to _set_f64.
            if ischar(value) || (isstring(value) && isscalar(value))
                obj.setStr(key, value);
            else
                obj.setF64(key, value);
            end
        end
    end
end
