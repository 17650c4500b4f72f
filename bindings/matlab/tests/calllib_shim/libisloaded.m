function tf = libisloaded(name)
%LIBISLOADED Test stand-in for MATLAB's libisloaded.
global NN4N_SHIM
tf = ~isempty(NN4N_SHIM) && strcmp(NN4N_SHIM.alias, name);
end
