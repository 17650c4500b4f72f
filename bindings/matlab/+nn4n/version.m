function [v, abi] = version()
%VERSION The version of the loaded libnn4n.
%   v = nn4n.version() is the library's version string, e.g. '0.1.0'.
%   [v, abi] = nn4n.version() also returns the ABI version (the binding
%   refuses a library whose ABI differs from the header it was made for).
v = nn4n.internal.call('nn4n_version_string');
v = v(:).';
if nargout > 1
    abi = double(nn4n.internal.call('nn4n_abi_version'));
end
end
