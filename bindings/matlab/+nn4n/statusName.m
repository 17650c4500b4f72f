function name = statusName(code)
%STATUSNAME The name of a library status code, e.g. nn4n.statusName(3) is 'NN4N_ERR_SHAPE'.
%   The error identifiers of the binding follow the codes: see nn4n.errorId.
name = nn4n.internal.call('nn4n_status_name', int32(nn4n.internal.toScalar(code, 'code')));
name = name(:).';
end
