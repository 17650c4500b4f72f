function sigs = libfunctions(name, opt)
%LIBFUNCTIONS Test stand-in for MATLAB's libfunctions(name, '-full'): the
%signatures calllib shows, "[LHS, ptr args...] fname(RHS...)".
global NN4N_SHIM
if ~libisloaded(name) || ~strcmp(opt, '-full')
    error('shim:libfunctions', 'not loaded');
end
m = NN4N_SHIM.methodinfo;
sigs = cell(numel(m.name), 1);
for k = 1:numel(m.name)
    rhs = m.RHS{k};
    if isempty(rhs), rhs = {}; end
    outs = [{m.LHS{k}}, rhs(~cellfun(@isempty, regexp(rhs, '(Ptr|cstring)$', 'once')))];
    outs = outs(~cellfun(@isempty, outs));
    head = '';
    if numel(outs) > 1
        head = ['[' strjoin(outs, ', ') '] '];
    elseif numel(outs) == 1
        head = [outs{1} ' '];
    end
    sigs{k} = [head m.name{k} '(' strjoin(rhs, ', ') ')'];
end
end
