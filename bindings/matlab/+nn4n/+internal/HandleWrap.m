classdef HandleWrap
    %HANDLEWRAP A library handle passed to a class constructor (internal).
    %   nn4n.CTRNN(nn4n.internal.HandleWrap(h)) wraps a handle that the
    %   library has just issued (nn4n_model_load), taking ownership of it.
    properties
        Handle = uint64(0);
    end
    methods
        function obj = HandleWrap(h)
            %HANDLEWRAP Wrap handle h (uint64).
            obj.Handle = uint64(h);
        end
    end
end
