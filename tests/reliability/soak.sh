#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# soak.sh: `make soak`, the long reliability run (not part of make test).
# Each Go fuzz target for FUZZ_MINUTES (default 10), then a mixed-load soak
# from Python for SOAK_MINUTES (default 30) with RSS and fd counts sampled
# (flat within 2 % / 0 fds required), then the kill -9 loop with KILLS
# (default 2000). Figures go to build/soak/.
set -uo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
OUT=build/soak
mkdir -p $OUT
fz=${FUZZ_MINUTES:-10}
rc=0
for t in "./capi FuzzModelLoad" "./capi FuzzSetters" "./internal/npz FuzzReadBytes"; do
	set -- $t
	echo "== fuzz $2 (${fz} min)"
	$GO test -run '^$' -fuzz "^$2\$" -fuzztime "${fz}m" "$1" 2>&1 | tail -n 3 | tee $OUT/fuzz-$2.log || rc=1
	grep -q '^ok' $OUT/fuzz-$2.log || rc=1
done
echo "== mixed-load soak (${SOAK_MINUTES:-30} min)"
.venv/bin/python tests/reliability/soak.py "${SOAK_MINUTES:-30}" $OUT/py || rc=1
echo "== kill -9 loop (${KILLS:-2000})"
KILLS=${KILLS:-2000} ./tests/reliability/run.sh | tail -n 14 || rc=1
exit $rc
