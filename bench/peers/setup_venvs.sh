#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# setup_venvs.sh: the peer benchmark's own Python environments, idempotent.
#
#   build/bench-venvs/torch2  PyTorch 2 from PyPI (used on the CPU)
#   build/bench-venvs/jax     JAX + jaxlib (CPU) + optax
#
# Each venv is built by a pyenv (or PATH) Python >= 3.12 and marked done by a
# stamp holding the pinned versions, so a second run does nothing. Never run
# by `make` or `make test`, only by `make bench-peers` (bench/peers/run.py).
# Environment: PEERS_PYTHON (interpreter to use), PEERS_VENVS (folder).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venvs=${PEERS_VENVS:-$root/build/bench-venvs}

TORCH_PIN="torch==2.15.0"
JAX_PINS="jax==0.12.1 jaxlib==0.12.1 optax==0.2.8 numpy"

find_python() {
	if [ -n "${PEERS_PYTHON:-}" ]; then echo "$PEERS_PYTHON"; return; fi
	for c in "$HOME"/.pyenv/versions/3.12.*/bin/python3 "$HOME"/.pyenv/versions/3.13.*/bin/python3 \
		python3.12 python3.13 python3; do
		if command -v "$c" >/dev/null 2>&1 &&
			"$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
			echo "$c"; return
		fi
	done
	echo "setup_venvs: no Python >= 3.12 found (set PEERS_PYTHON)" >&2
	exit 1
}

py=$(find_python)
mkdir -p "$venvs"

# make_venv NAME STAMP-TEXT: (re)creates the venv when its stamp differs.
make_venv() {
	local dir=$venvs/$1 stamp=$venvs/$1/.peers-stamp
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$2" ]; then
		return 1
	fi
	rm -rf "$dir"
	"$py" -m venv "$dir"
	"$dir/bin/python" -m pip install -q --upgrade pip
	return 0
}

# PyTorch 2. The torch wheel PyPI serves for Linux is the CUDA build: it
# declares the nvidia-*/cuda-* runtime wheels (several GB) and its
# libtorch_global_deps links libcudart, so installing it with --no-deps and
# only its pure-Python deps does not import (tried: "libcudart.so.13: cannot
# open shared object file"). It is installed with everything it declares;
# the CPU code never loads the CUDA libraries after import.
torch_stamp="$TORCH_PIN"
if make_venv torch2 "$torch_stamp"; then
	tp=$venvs/torch2/bin/python
	echo "setup_venvs: installing $TORCH_PIN (with its CUDA runtime wheels, several GB) into $venvs/torch2" >&2
	"$tp" -m pip install -q "$TORCH_PIN" numpy
	"$tp" -c '
import torch
f = torch.compile(lambda a: torch.relu(a) * 2, fullgraph=True)
assert float(f(torch.ones(3)).sum()) == 6.0
' >&2
	echo "$torch_stamp" > "$venvs/torch2/.peers-stamp"
fi

if make_venv jax "$JAX_PINS"; then
	echo "setup_venvs: installing $JAX_PINS into $venvs/jax" >&2
	"$venvs/jax/bin/python" -m pip install -q $JAX_PINS
	"$venvs/jax/bin/python" -c 'import jax, optax; jax.jit(lambda a: a + 1)(1.0)' >&2
	echo "$JAX_PINS" > "$venvs/jax/.peers-stamp"
fi
echo "setup_venvs: $venvs/torch2 and $venvs/jax ready" >&2
