#!/usr/bin/env bash
# Installs what building and testing blkflight needs on a fresh Debian bookworm machine (run as root).
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  clang-19 llvm-19          # BPF programs (clang 14, the default clang, crashed on one here)
  bpftool                   # vmlinux.h from the kernel's BTF, and the BPF skeleton
  libbpf-dev libelf-dev zlib1g-dev make gcc curl   # the JNI library (libbpf itself is built from Debian's source)
  openjdk-17-jdk-headless maven                     # the agent
  e2fsprogs util-linux mount                        # loop devices with ext4 for the integration tests
  xvfb libgtk-3-0                                   # the JMC plugin's widget tests: SWT on GTK in a real X server
  qemu-system-x86 busybox-static cpio xz-utils      # the kernel matrix: Debian's own kernels under emulation
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -r /sys/kernel/btf/vmlinux ]; then
  echo "setup: warning: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF, so the BPF programs cannot be built or run" >&2
fi
if [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "setup: note: no JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64: the JDK 25 integration tests will fail" >&2
fi
