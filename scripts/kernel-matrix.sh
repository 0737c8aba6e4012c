#!/usr/bin/env bash
# The kernel matrix for humans: builds the agent, then boots each Debian kernel of
# scripts/kernels/kernels.conf under qemu and checks what the agent recorded there (KernelMatrixIT, which
# `mvn verify` runs too). The first run fetches the kernels and builds the guest's runtime into
# ${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels; later runs reuse them.
#
#   scripts/kernel-matrix.sh            every kernel
#   scripts/kernel-matrix.sh 6.1        only the kernels named (comma separated)
#
# Each guest's console, recordings and logs stay in agent/target/kernels/NAME/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# One reactor run (nothing installed into the local Maven repository): build, no unit tests, only the kernel matrix.
mvn -B -ntp -pl agent -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KernelMatrixIT ${1:+-Dblkflight.kernels=$1}
