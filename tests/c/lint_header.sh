#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint_header.sh HEADER [LIB]: checks that the public header is plain C99
# that every host reads (C, C++, ctypes, MATLAB loadlibrary), and, given
# the library, that every nn4n_ symbol it exports is declared in the header
# and every function the header declares is exported.
set -euo pipefail
hdr=$1
lib=${2:-}
fail=0
err() { echo "lint_header: $*" >&2; fail=1; }

gcc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c "$hdr" || err "gcc -std=c99 -pedantic rejects $hdr"
g++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c++ "$hdr" || err "g++ rejects $hdr"

# The header without comments, directives kept (gcc strips the comments).
code=$(gcc -fpreprocessed -dD -E -P -x c "$hdr" 2>/dev/null | grep -v '^#define' || true)

# Forbidden constructs anywhere in the code.
for word in struct union enum bool _Bool typedef long short unsigned signed size_t; do
	if grep -qw "$word" <<<"$code"; then err "forbidden word '$word' in $hdr"; fi
done
grep -qP '\bfloat\b(?!\s*\*)' <<<"$code" && err "float other than float* in $hdr"
grep -q '\.\.\.' <<<"$code" && err "varargs (...) in $hdr"
grep -qE '\(\s*\*' <<<"$code" && err "function pointer in $hdr"
grep -qE ':\s*[0-9]+\s*;' <<<"$code" && err "bit field in $hdr"

# extern "C" only inside #ifdef __cplusplus.
awk '
	/^#ifdef __cplusplus/ { inside = 1; next }
	/^#endif/ { inside = 0 }
	/extern "C"/ && !inside { bad = 1 }
	END { exit bad }' "$hdr" || err 'extern "C" outside #ifdef __cplusplus'

# Every prototype uses only the allowed types (one awk pass).
report=$(grep -v '^#' <<<"$code" | tr '\n' ' ' | sed 's/extern "C" {//; s/}//g' | tr ';' '\n' | awk '
	/nn4n_/ {
		p = $0
		gsub(/[ \t]+/, " ", p); gsub(/ \*/, "* ", p); sub(/^ /, "", p); sub(/ $/, "", p)
		open = index(p, "(")
		head = substr(p, 1, open - 1); params = substr(p, open + 1, length(p) - open - 1)
		k = split(head, hw, " "); name = hw[k]; sub(/^\**/, "", name)
		ret = substr(head, 1, length(head) - length(hw[k]) - 1)
		if (ret !~ /^(int32_t|int64_t|const char\*)$/) print "bad " name " returns \047" ret "\047"
		n = split(params, ps, ",")
		for (i = 1; i <= n; i++) {
			q = ps[i]; sub(/^ +/, "", q); sub(/ +$/, "", q)
			if (q != "void") sub(/ [a-z_0-9]+$/, "", q)
			if (q !~ /^(int32_t|int64_t|uint64_t|double|const double\*|double\*|const char\*|char\*|int64_t\*|uint64_t\*|int32_t\*|const float\*|float\*|void)$/)
				print "bad " name " has a parameter of type \047" q "\047"
		}
		count++
	}
	END { print "count " count+0 }')
n=$(sed -n 's/^count //p' <<<"$report")
if grep -q '^bad ' <<<"$report"; then err "$(grep '^bad ' <<<"$report" | sed 's/^bad //')"; fi
[ "$n" -gt 50 ] || err "found only $n prototypes: the parser is broken"

if [ -n "$lib" ]; then
	exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep '^nn4n_' | sort -u)
	declared=$(grep -oE '\bnn4n_[a-z0-9_]+\(' <<<"$code" | tr -d '(' | sort -u)
	extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
	missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
	[ -z "$extra" ] || err "exported but not declared in $hdr: $extra"
	[ -z "$missing" ] || err "declared in $hdr but not exported: $missing"
	echo "lint_header: $(wc -l <<<"$declared") functions declared and exported"
fi
echo "lint_header: $n prototypes checked"
exit $fail
