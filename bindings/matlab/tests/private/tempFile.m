function f = tempFile(ext)
%TEMPFILE A fresh temporary file name with extension ext.
f = [tempname() ext];
end
