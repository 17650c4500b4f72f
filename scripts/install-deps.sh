#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install-deps.sh installs the Debian packages nn4n needs to build and test.
# It is idempotent: packages already present are not touched, and the
# package lists are refreshed only when something is missing.
set -euo pipefail

packages=(libopenblas-dev pkg-config gcc g++ make python3-venv python3-pip python3-torch python3-matplotlib python3-scipy python3-numpy octave octave-dev valgrind)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
