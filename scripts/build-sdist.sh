#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build-sdist.sh: the source distribution of the Python binding (docs/PACKAGING.md).
#
#   scripts/build-sdist.sh            → build/dist/nn4n-<ver>.tar.gz
#
# The sdist is the Python package (bindings/python) plus, under native/, the
# Go sources of every package ./capi needs (from `go list -deps`), their
# modules vendored (native/vendor, so the build needs no network), the
# header and scripts/link-lib.sh. `pip install nn4n-<ver>.tar.gz` then links
# libnn4n.so with the system's Go, C compiler and OpenBLAS through the same
# recipe as `make lib` (bindings/python/setup.py), and says which is missing.
# Only files tracked by git are taken. Tools: setuptools and wheel, pinned,
# in build/sdist-venv. Environment: PYTHON (default /usr/bin/python3), GO.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GO=${GO:-go}
PYTHON=${PYTHON:-/usr/bin/python3}
VENV=build/sdist-venv
PINS=(setuptools==84.2.1 wheel==0.48.0)
S=build/sdist
command -v "$GO" >/dev/null || { echo "build-sdist: Go ($GO) not found: it lists and vendors the Go sources" >&2; exit 1; }

if [ ! -f "$VENV/.pins" ] || [ "$(cat "$VENV/.pins")" != "${PINS[*]}" ]; then
	rm -rf "$VENV"
	"$PYTHON" -m venv "$VENV"
	"$VENV/bin/python" -m pip install -q --only-binary=:all: "${PINS[@]}"
	echo "${PINS[*]}" > "$VENV/.pins"
fi

rm -rf "$S" && mkdir -p "$S/src/native"
# The Python package: what git tracks of bindings/python, without the tests.
git ls-files bindings/python | grep -v '^bindings/python/tests/' | grep -v '/requirements-dev.txt$' |
	while IFS= read -r f; do
		d=$S/src/${f#bindings/python/}
		mkdir -p "$(dirname "$d")" && cp "$f" "$d"
	done
# The Go packages of the library (non-test files of each package directory).
mapfile -t PKGS < <("$GO" list -deps -f '{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}' ./capi)
[ "${#PKGS[@]}" -gt 0 ] || { echo "build-sdist: go list found no packages" >&2; exit 1; }
{
	for d in "${PKGS[@]}"; do
		rel=${d#"$ROOT"/}
		git ls-files "$rel" | awk -v r="$rel/" 'index($0, r) == 1 && substr($0, length(r) + 1) !~ /\// && $0 !~ /_test\.go$/'
	done
	git ls-files capi/shim go.mod go.sum include/nn4n.h scripts/link-lib.sh LICENSE
} | sort -u | while IFS= read -r f; do
	mkdir -p "$S/src/native/$(dirname "$f")" && cp -p "$f" "$S/src/native/$f"
done
cp LICENSE "$S/src/LICENSE"
# The modules, vendored (go mod vendor reads the whole module's imports, so
# it runs here and its output is moved in).
"$GO" mod vendor -o "$S/src/native/vendor"
printf '%s\n' 'graft native' 'include LICENSE' 'global-exclude *.so __pycache__ *.py[co]' > "$S/src/MANIFEST.in"

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1700000000)}
mkdir -p build/dist
rm -f build/dist/nn4n-*.tar.gz
(cd "$S/src" && "$ROOT/$VENV/bin/python" -c '
import sys
from setuptools import build_meta
print(build_meta.build_sdist(sys.argv[1]))' "$ROOT/build/dist")
ls -l build/dist/nn4n-*.tar.gz
