#!/usr/bin/env bash
# Installs what blkflight needs on a fresh Debian bookworm machine (run as root). Idempotent: packages
# already present are left alone. Waits for another package manager to finish instead of failing.
# Usage: scripts/setup.sh [build|test]   build: what building and the demo need; test (the default): also
# what the tests need (loop devices, Xvfb for the JMC widgets, qemu for the kernel matrix, chromium for
# the HTML report).
set -euo pipefail

build=(
  clang-19 llvm-19          # BPF programs (clang 14, the default clang, crashed on one here)
  bpftool                   # vmlinux.h from the kernel's BTF, and the BPF skeleton
  libbpf-dev libelf-dev zlib1g-dev make gcc curl   # the JNI library (libbpf itself is built from Debian's source)
  openjdk-17-jdk-headless maven                     # the agent
  golang-github-google-pprof-dev                    # pprof's profile.proto, from which the export's Java is generated
)
tests=(
  e2fsprogs util-linux mount xfsprogs               # loop devices with ext4 and xfs for the integration tests
  xvfb libgtk-3-0                                   # the JMC plugin's widget tests: SWT on GTK in a real X server
  qemu-system-x86 busybox-static cpio xz-utils      # the kernel matrix: Debian's own kernels under emulation
  golang-go                                         # go tool pprof reads the pprof export back (ProfileExportTest)
  chromium                                          # the report's HTML page, loaded and screenshot headless
)

case "${1:-test}" in
  build) packages=("${build[@]}") ;;
  test) packages=("${build[@]}" "${tests[@]}") ;;
  *) echo "setup: unknown profile '$1'; accepted: build (building and the demo) or test (also the tests)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another package manager (unattended upgrades, a provisioning script) may hold dpkg's lock: wait for it.
  lock=(-o DPkg::Lock::Timeout=600)
  apt-get "${lock[@]}" update -qq
  apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -r /sys/kernel/btf/vmlinux ]; then
  echo "setup: warning: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF, so the BPF programs cannot be built or run" >&2
fi
if [ "${1:-test}" = test ] && [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "setup: note: no JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64: the JDK 25 integration tests will fail" >&2
fi
