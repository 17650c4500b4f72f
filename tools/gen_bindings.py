#!/usr/bin/env python3
"""gen_bindings.py: the binding tables of nn4n, generated from include/nn4n.h.

The header is the one source of the ABI: this script parses it once and
writes these files, all committed:

  bindings/python/nn4n/_abi.py                      the ctypes prototype table, status codes
                                                    and integer constants (Python)
  bindings/matlab/+nn4n/+internal/nn4n_proto.m      the loadlibrary prototype file (MATLAB)
  bindings/matlab/+nn4n/+internal/nn4n_constants.m  the header's integer #defines
  bindings/matlab/+nn4n/+internal/errid.m           the error identifier of each status (MATLAB)
  bindings/matlab/mex/nn4n_mex_table.h              the dispatch table of the MEX gateway (Octave)
  capi/status_names.h                               the status names of nn4n_status_name (C)

The status codes are written once, as the header's NN4N_OK / NN4N_ERR_*
#defines; every other list of them (Python's STATUS_NAMES, MATLAB's error ids,
the C names) is generated here. The version is written once too, as
NN4N_VERSION_MAJOR/MINOR/PATCH (the Makefile reads them); --check fails when
pyproject.toml or capi/main.go's default disagrees. tools/gen_shim.py reads the header through
parse_header() below, so the header is parsed by one piece of code.

The first and last list the same functions, in header order, with the same argument types, so
the two halves of nn4n's one call path (calllib in MATLAB, nn4n_mex in Octave)
agree by construction.

Usage:
  gen_bindings.py [--header H] [--outdir D]    write the files
  gen_bindings.py --check                      regenerate in memory and fail
                                                (exit 1, with a diff) if a shipped
                                                file differs
  gen_bindings.py --lint                       only check that the header is in
                                                the loadlibrary-safe subset

The prototype file follows the layout that MATLAB's loadlibrary writes with its
'mfilename' option (a function returning methodinfo, structs, enuminfo and
ThunkLibName; one fcns.name/calltype/LHS/RHS/thunkname record per function),
with calltype 'cdecl' and an empty ThunkLibName. It serves the binding's
experimental calllib path, which has never run in MATLAB: MathWorks documents
that 64-bit MATLAB needs a thunk library with a prototype file, and none is
shipped (the MEX gateway is the default path). The
output is deterministic (no date, no path) so that --check can compare it.

Only the types of nn4n's ABI (DESIGN.md, "C ABI conventions") are accepted;
any other type, a struct, union, enum, bool, function pointer or varargs makes
the script fail: that is the lint.
"""

import argparse
import difflib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_HEADER = os.path.join(REPO, "include", "nn4n.h")
ME = "tools/gen_bindings.py"
PROTO_REL = "bindings/matlab/+nn4n/+internal/nn4n_proto.m"
TABLE_REL = "bindings/matlab/mex/nn4n_mex_table.h"
CONST_REL = "bindings/matlab/+nn4n/+internal/nn4n_constants.m"
ERRID_REL = "bindings/matlab/+nn4n/+internal/errid.m"
PY_REL = "bindings/python/nn4n/_abi.py"
STATUS_C_REL = "capi/status_names.h"

# (C base type, pointer depth) -> (MATLAB prototype type, MEX type code).
# MEX codes: scalar in (I32 I64 U64 F64), string in (CSTR), string buffer out
# (SBUF), read-only array (CPD), in/out arrays (PD PI64 PU64 PI32).
TYPES = {
    ("int32_t", 0): ("int32", "NN4N_T_I32"),
    ("int64_t", 0): ("int64", "NN4N_T_I64"),
    ("uint64_t", 0): ("uint64", "NN4N_T_U64"),
    ("double", 0): ("double", "NN4N_T_F64"),
    ("const char", 1): ("cstring", "NN4N_T_CSTR"),
    ("char", 1): ("cstring", "NN4N_T_SBUF"),
    ("const double", 1): ("doublePtr", "NN4N_T_CPD"),
    ("double", 1): ("doublePtr", "NN4N_T_PD"),
    ("int64_t", 1): ("int64Ptr", "NN4N_T_PI64"),
    ("uint64_t", 1): ("uint64Ptr", "NN4N_T_PU64"),
    ("int32_t", 1): ("int32Ptr", "NN4N_T_PI32"),
}
RETURNS = {
    ("int32_t", 0): ("int32", "NN4N_T_I32", "i32"),
    ("int64_t", 0): ("int64", "NN4N_T_I64", "i64"),
    ("const char", 1): ("cstring", "NN4N_T_CSTR", "cs"),
}
# Functions for C hosts only, left out of the MATLAB interface: float32 I/O
# (MATLAB single arrays are not wired through the MEX gateway). Python's
# table lists them too; float pointers are allowed in these functions only.
C_ONLY = {"nn4n_model_step_f32"}
C_ONLY_TYPES = {("float", 1), ("const float", 1)}
SLOT = {
    "NN4N_T_I32": "i32", "NN4N_T_I64": "i64", "NN4N_T_U64": "u64", "NN4N_T_F64": "f64",
    "NN4N_T_CSTR": "cs", "NN4N_T_SBUF": "s", "NN4N_T_CPD": "cpd", "NN4N_T_PD": "pd",
    "NN4N_T_PI64": "pi64", "NN4N_T_PU64": "pu64", "NN4N_T_PI32": "pi32",
}


class LintError(Exception):
    pass


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return text


def lint_text(text):
    """Checks the loadlibrary-safe subset on the comment-free header text."""
    problems = []
    code = strip_comments(text)
    lines = code.split("\n")
    # extern "C" must sit inside #ifdef __cplusplus.
    depth_cpp = 0
    stack = []
    for i, line in enumerate(lines, 1):
        s = line.strip()
        m = re.match(r"#\s*(ifdef|ifndef|if|else|elif|endif)\b(.*)", s)
        if m:
            kw, rest = m.group(1), m.group(2).strip()
            if kw in ("ifdef", "ifndef", "if"):
                cpp = kw == "ifdef" and rest == "__cplusplus" or kw == "if" and "__cplusplus" in rest and "!" not in rest
                stack.append(cpp)
                depth_cpp += cpp
            elif kw == "endif":
                if stack:
                    depth_cpp -= stack.pop()
            elif kw in ("else", "elif") and stack:
                if stack[-1]:
                    depth_cpp -= 1
                    stack[-1] = False
            continue
        if 'extern "C"' in s and depth_cpp == 0:
            problems.append('line %d: extern "C" outside #ifdef __cplusplus' % i)
        if s.startswith("}") and depth_cpp == 0 and s != "}" and not s.startswith("};"):
            pass
    body = "\n".join(l for l in lines if not l.strip().startswith("#"))
    checks = [
        (r"\bunion\b", "union"),
        (r"\bstruct\b", "struct"),
        (r"\benum\b", "enum"),
        (r"\b_?[Bb]ool\b", "bool"),
        (r"\.\.\.", "varargs"),
        (r"\(\s*\*\s*\w*\s*\)\s*\(", "function pointer"),
        (r"\btypedef\b", "typedef (bindings read base types only)"),
        (r"\b_Complex\b|\bcomplex\b", "complex type"),
        (r"\[\s*\d*\s*\]", "array declarator"),
        (r"\blong\b|\bshort\b|\bunsigned\b|\bsize_t\b|\bfloat\b(?!\s*\*)", "platform-sized or float type"),
    ]
    for pattern, what in checks:
        for m in re.finditer(pattern, body):
            line = body.count("\n", 0, m.start()) + 1
            problems.append("line %d: %s is not allowed in nn4n.h" % (line, what))
    # Bit fields: "name : digits;" inside a declaration.
    for m in re.finditer(r"\w\s*:\s*\d+\s*[;,]", body):
        line = body.count("\n", 0, m.start()) + 1
        problems.append("line %d: bit field" % line)
    return problems


def split_type(decl):
    """'const double* input' -> ('const double', 1, 'input')."""
    decl = re.sub(r"\s+", " ", decl.strip())
    m = re.match(r"^(.*?)\s*(\**)\s*(\w+)$", decl.replace(" *", "*").replace("* ", "*"))
    if not m:
        raise LintError("cannot read declaration %r" % decl)
    base, stars, name = m.group(1).strip(), m.group(2), m.group(3)
    while base.endswith("*"):
        stars += "*"
        base = base[:-1].strip()
    return base, len(stars), name


def parse(text):
    """Returns [(ret_key, name, [(base, depth, argname), ...], c_decl)] in header order."""
    problems = lint_text(text)
    if problems:
        raise LintError("\n".join(problems))
    code = strip_comments(text)
    code = "\n".join(l for l in code.split("\n") if not l.strip().startswith("#"))
    code = code.replace('extern "C" {', " ")
    fns = []
    seen = set()
    for stmt in code.split(";"):
        stmt = re.sub(r"\s+", " ", stmt).strip().strip("{}").strip()
        if not stmt:
            continue
        m = re.match(r"^(.+?)\b(nn4n_\w+)\s*\((.*)\)$", stmt)
        if not m:
            raise LintError("not a function declaration: %r" % stmt)
        rtype, name, params = m.group(1).strip(), m.group(2), m.group(3).strip()
        rbase = rtype.replace("*", " ").strip()
        rbase = re.sub(r"\s+", " ", rbase)
        rkey = (rbase, rtype.count("*"))
        if rkey not in RETURNS:
            raise LintError("%s: return type %r is not in the ABI subset" % (name, rtype))
        args = []
        if params not in ("void", ""):
            for p in params.split(","):
                base, depth, argname = split_type(p)
                if (base, depth) not in TYPES and not (name in C_ONLY and (base, depth) in C_ONLY_TYPES):
                    raise LintError("%s: argument %r has a type outside the ABI subset" % (name, p.strip()))
                args.append((base, depth, argname))
        elif params == "":
            raise LintError("%s: write (void) for an empty parameter list" % name)
        if name in seen:
            raise LintError("%s is declared twice" % name)
        seen.add(name)
        fns.append((rkey, name, args))
    if not fns:
        raise LintError("no nn4n_ function found")
    return fns


def c_decl(rkey, name, args):
    """MATLAB-style one-line rendering of a declaration, for the comments."""
    def t(base, depth):
        return base + (" " + "*" * depth if depth else "")
    ps = " , ".join("%s %s" % (t(b, d), n) for b, d, n in args) or "void"
    return "%s %s ( %s );" % (t(*rkey), name, ps)


def thunk_name(rkey, args):
    def part(mtype):
        if mtype == "cstring":
            return "cstring"
        if mtype.endswith("Ptr"):
            return "voidPtr"
        return mtype
    ret = RETURNS[rkey][0]
    rhs = [TYPES[(b, d)][0] for b, d, _ in args]
    return part(ret) + ("".join(part(x) for x in rhs) if rhs else "void") + "Thunk"


def render_proto(fns, header_rel):
    out = []
    out.append("function [methodinfo,structs,enuminfo,ThunkLibName]=nn4n_proto")
    out.append("%NN4N_PROTO Create structures to define interfaces found in 'libnn4n'.")
    out.append("%   Prototype file for loadlibrary(lib, @nn4n_proto): calltype 'cdecl', no thunk")
    out.append("%   library. For the binding's EXPERIMENTAL calllib path (NN4N_MATLAB_BACKEND=calllib),")
    out.append("%   never run in MATLAB; MathWorks documents that 64-bit MATLAB needs a thunk")
    out.append("%   library with a prototype file. The default path is the MEX gateway.")
    out.append("%")
    out.append("%%   GENERATED by %s from %s." % (ME, header_rel))
    out.append("%   Do not edit: run 'make bindings' (make test fails when this file is stale).")
    out.append("")
    out.append("ival={cell(1,%d)}; %% one cell per function" % len(fns))
    out.append("structs=[];enuminfo=[];fcnNum=1;")
    out.append("fcns=struct('name',ival,'calltype',ival,'LHS',ival,'RHS',ival,'alias',ival,'thunkname', ival);")
    out.append("ThunkLibName='';")
    for rkey, name, args in fns:
        lhs = RETURNS[rkey][0]
        rhs = [TYPES[(b, d)][0] for b, d, _ in args]
        rhs_s = "{" + ", ".join("'%s'" % x for x in rhs) + "}" if rhs else "[]"
        out.append("%% %s" % c_decl(rkey, name, args))
        out.append(
            "fcns.thunkname{fcnNum}='%s';fcns.name{fcnNum}='%s'; fcns.calltype{fcnNum}='cdecl'; "
            "fcns.LHS{fcnNum}='%s'; fcns.RHS{fcnNum}=%s;fcnNum=fcnNum+1;"
            % (thunk_name(rkey, args), name, lhs, rhs_s))
    out.append("methodinfo=fcns;")
    return "\n".join(out) + "\n"


def render_table(fns, header_rel):
    maxargs = max(len(a) for _, _, a in fns)
    out = []
    out.append("/* nn4n_mex_table.h: the functions of %s for the MEX gateway nn4n_mex.c." % header_rel)
    out.append(" * GENERATED by %s. Do not edit. */" % ME)
    out.append("#define NN4N_MEX_MAXARGS %d" % maxargs)
    out.append("#define NN4N_MEX_NFUNCS %d" % len(fns))
    out.append("")
    out.append("static const nn4n_mex_fn nn4n_mex_fns[NN4N_MEX_NFUNCS] = {")
    for rkey, name, args in fns:
        codes = ", ".join(TYPES[(b, d)][1] for b, d, _ in args) or "0"
        out.append('    {"%s", %s, %d, {%s}},' % (name, RETURNS[rkey][1], len(args), codes))
    out.append("};")
    out.append("")
    out.append("static void nn4n_mex_invoke(int k, const nn4n_mex_slot *a, nn4n_mex_slot *r)")
    out.append("{")
    out.append("    switch (k) {")
    for k, (rkey, name, args) in enumerate(fns):
        call = ", ".join("a[%d].%s" % (i, SLOT[TYPES[(b, d)][1]]) for i, (b, d, _) in enumerate(args))
        out.append("    case %d: r->%s = %s(%s); break;" % (k, RETURNS[rkey][2], name, call))
    out.append("    default: break;")
    out.append("    }")
    out.append("}")
    return "\n".join(out) + "\n"


def constants(text):
    """The integer-literal #defines of the header, in order."""
    out = []
    for m in re.finditer(r"^\s*#\s*define\s+NN4N_(\w+)\s+(-?\d+)\s*$", text, flags=re.M):
        out.append((m.group(1), int(m.group(2))))
    return out


def render_constants(consts, header_rel):
    out = []
    out.append("function c = nn4n_constants()")
    out.append("%NN4N_CONSTANTS The integer constants of nn4n.h (NN4N_ prefix dropped), as a struct.")
    out.append("%   c.ABI_VERSION is the ABI this binding was generated for; c.ERR_SHAPE etc.")
    out.append("%   are the status codes.")
    out.append("%")
    out.append("%%   GENERATED by %s from %s. Do not edit." % (ME, header_rel))
    out.append("c = struct();")
    for name, value in consts:
        out.append("c.%s = %d;" % (name, value))
    out.append("end")
    return "\n".join(out) + "\n"


def statuses(consts):
    """[(code, NAME)] of the NN4N_OK and NN4N_ERR_* codes, by code."""
    return sorted((v, "NN4N_" + n) for n, v in consts if n == "OK" or n.startswith("ERR_"))


def errid(name):
    """NN4N_ERR_BUFFER_TOO_SMALL -> nn4n:bufferTooSmall."""
    words = name[len("NN4N_ERR_"):].lower().split("_")
    return "nn4n:" + words[0] + "".join(w.capitalize() for w in words[1:])


def render_errid(consts, header_rel):
    errs = [(v, n) for v, n in statuses(consts) if v > 0]
    ids = [errid(n) for _, n in errs]
    for k, (v, _) in enumerate(errs, 1):
        if v != k:
            raise LintError("status codes must be 1, 2, ... without gaps (code %d)" % v)
    out = ["function id = errid(status)",
           "%ERRID The error identifier of an nn4n status code (internal).",
           "%   id = nn4n.internal.errid(status) is " + ", ".join("'%s' (%d)" % (i, v) for (v, _), i in zip(errs, ids)) + ",",
           "%   and 'nn4n:unknownStatus' for any other code.",
           "%",
           "%%   GENERATED by %s from %s. Do not edit." % (ME, header_rel),
           "ids = {" + ", ...\n       ".join(", ".join("'%s'" % i for i in ids[k:k + 4]) for k in range(0, len(ids), 4)) + "};",
           "if status >= 1 && status <= numel(ids) && status == fix(status)",
           "    id = ids{status};",
           "else",
           "    id = 'nn4n:unknownStatus';",
           "end",
           "end"]
    return "\n".join(out) + "\n"


def render_status_c(consts, header_rel):
    out = ["/* status_names.h: the name of every status code of %s, for" % header_rel,
           " * nn4n_status_name (lasterr.c). GENERATED by %s. Do not edit. */" % ME,
           "static const char* const status_names[] = {"]
    for v, n in statuses(consts):
        out.append("\t[%d] = \"%s\"," % (v, n))
    out.append("};")
    return "\n".join(out) + "\n"


def parse_header(path=DEFAULT_HEADER):
    """The functions and integer constants of the header at path.

    Returns (fns, consts): fns as parse() gives them, with the C-only
    functions, and consts as constants() gives them. The one header parser of
    nn4n's tools (gen_shim.py uses it too)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return parse(text), constants(text)


def py_type(base, depth):
    return base + "*" * depth


def render_python(fns, consts, header_rel):
    out = ['"""The C ABI of libnn4n as data: every function, status code and constant of %s.' % header_rel,
           "",
           "GENERATED by %s from %s. Do not edit: change the header and run" % (ME, header_rel),
           "`make bindings` (`make check` fails when this file is stale).",
           '"""',
           "",
           "# (name, return type, parameter types), in header order, with the C types",
           "# as the header spells them.",
           "PROTOTYPES = ["]
    for rkey, name, args in fns:
        out.append("    (%r, %r, [%s])," % (name, py_type(*rkey), ", ".join(repr(py_type(b, d)) for b, d, _ in args)))
    out.append("]")
    out.append("")
    out.append("# The parameter names, for messages and documentation.")
    out.append("PARAM_NAMES = {")
    for rkey, name, args in fns:
        out.append("    %r: (%s)," % (name, "".join(repr(n) + ", " for _, _, n in args)))
    out.append("}")
    out.append("")
    out.append("# status code -> name (nn4n_status_name).")
    out.append("STATUS_NAMES = {")
    for v, n in statuses(consts):
        out.append("    %d: %r," % (v, n))
    out.append("}")
    out.append("")
    out.append("# The integer #defines of the header, NN4N_ prefix dropped.")
    out.append("CONSTANTS = {")
    for n, v in consts:
        out.append("    %r: %d," % (n, v))
    out.append("}")
    out.append("")
    out.append("ABI_VERSION = CONSTANTS['ABI_VERSION']")
    return "\n".join(out) + "\n"


def generate(header):
    fns, consts = parse_header(header)
    rel = "include/nn4n.h"
    mfns = [f for f in fns if f[1] not in C_ONLY]
    return {PROTO_REL: render_proto(mfns, rel), CONST_REL: render_constants(consts, rel),
            TABLE_REL: render_table(mfns, rel), ERRID_REL: render_errid(consts, rel),
            PY_REL: render_python(fns, consts, rel), STATUS_C_REL: render_status_c(consts, rel)}, fns


# Files that repeat the version for tools that cannot read the header (pip,
# go build without the Makefile's -ldflags): --check fails when they differ.
VERSION_COPIES = [
    ("bindings/python/pyproject.toml", r'^version = "([0-9.]+)"$'),
    ("capi/main.go", r'^var version = "([0-9.]+)"$'),
]


def check_versions(consts, outdir):
    """Problems with the copies of the header's NN4N_VERSION_MAJOR.MINOR.PATCH."""
    c = dict(consts)
    want = "%d.%d.%d" % (c["VERSION_MAJOR"], c["VERSION_MINOR"], c["VERSION_PATCH"])
    problems = []
    for rel, pattern in VERSION_COPIES:
        with open(os.path.join(outdir, rel), encoding="utf-8") as f:
            m = re.search(pattern, f.read(), flags=re.M)
        if not m or m.group(1) != want:
            problems.append("%s: version %s, include/nn4n.h says %s" % (rel, m.group(1) if m else "missing", want))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", default=DEFAULT_HEADER)
    ap.add_argument("--outdir", default=REPO, help="the repository root")
    ap.add_argument("--check", action="store_true", help="fail if the shipped files are stale")
    ap.add_argument("--lint", action="store_true", help="only lint the header")
    opt = ap.parse_args()
    try:
        files, fns = generate(opt.header)
    except LintError as e:
        print("gen_bindings: %s: not in the ABI subset:\n%s" % (opt.header, e), file=sys.stderr)
        return 1
    if opt.lint:
        print("gen_bindings: %s: %d functions, in the ABI subset" % (opt.header, len(fns)))
        return 0
    status = 0
    for problem in check_versions(parse_header(opt.header)[1], opt.outdir):
        print("gen_bindings: " + problem, file=sys.stderr)
        status = 1
    for rel, text in files.items():
        path = os.path.join(opt.outdir, rel)
        if opt.check:
            try:
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            except OSError:
                old = ""
            if old != text:
                status = 1
                print("gen_bindings: %s is stale; run 'make bindings'" % path, file=sys.stderr)
                sys.stderr.writelines(difflib.unified_diff(
                    old.splitlines(True), text.splitlines(True), "shipped/" + rel, "generated/" + rel))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, path)
    if opt.check and status == 0:
        print("gen_bindings: %d functions; %d generated files are up to date" % (len(fns), len(files)))
    return status


if __name__ == "__main__":
    sys.exit(main())
