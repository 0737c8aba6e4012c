#!/usr/bin/env bash
# Builds the guest's base layer, the part of the initramfs that does not change with blkflight's code:
# busybox, a jlinked JDK 17 runtime (with its class-data-sharing archive, for a faster start under
# emulation), e2fsprogs' mkfs.ext4 and filefrag, and the host's glibc, libstdc++, libgcc_s, libz and
# libelf with the dynamic loader. Prints the path of the uncompressed cpio archive. Cached under
# ${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels, keyed by this script and the host's packages.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels
jdk=${BLKFLIGHT_GUEST_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
# What the agent and the workload need (jdeps), plus jdk.management: the DiagnosticCommand MBean whose
# thread dump names the Java threads that existed before the agent. jdk.unsupported: the workload's
# O_DIRECT (com.sun.nio.file.ExtendedOpenOption).
modules=java.base,java.instrument,java.management,jdk.management,jdk.jfr,jdk.unsupported
programs=(/sbin/mke2fs /usr/sbin/filefrag)
libraries=(/lib/x86_64-linux-gnu/libelf.so.1 /lib/x86_64-linux-gnu/libz.so.1)

fail() {
  echo "build-base: $*" >&2
  exit 1
}

[ -x "$jdk/bin/jlink" ] || fail "no jlink in $jdk: install openjdk-17-jdk-headless (scripts/setup.sh)"
[ -d "$jdk/jmods" ] || fail "no jmods in $jdk: jlink needs them (openjdk-17-jdk-headless has them)"
busybox=$(command -v busybox) || fail "busybox is missing: install busybox-static (scripts/setup.sh)"
! ldd "$busybox" >/dev/null 2>&1 || fail "$busybox is dynamically linked: install busybox-static (scripts/setup.sh)"

key=$( {
  cat "$0"
  cat "$jdk/release"
  dpkg-query -W -f='${Package} ${Version}\n' libc6 libstdc++6 libgcc-s1 zlib1g libelf1 e2fsprogs busybox-static 2>/dev/null
} | sha256sum | cut -c1-16)
out=$cache/base-$key.cpio
if [ -f "$out" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache"
stage=$(mktemp -d "$cache/base-$key.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root"/{bin,sbin,usr/sbin,etc,proc,sys,dev,tmp,mnt,opt,results,modules,lib64}

"$jdk/bin/jlink" --add-modules "$modules" --output "$root/opt/jdk" \
  --strip-debug --no-man-pages --no-header-files
# The default CDS archive is tied to this runtime image; generated here, the guest JVM starts ~2x faster.
"$root/opt/jdk/bin/java" -Xshare:dump -XX:SharedArchiveFile="$root/opt/jdk/lib/server/classes.jsa" >/dev/null

cp "$(readlink -f "$busybox")" "$root/bin/busybox"
for p in "${programs[@]}"; do
  cp "$(readlink -f "$p")" "$root$p"
done
ln -s mke2fs "$root/sbin/mkfs.ext4"
cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

# Every shared library of the runtime, the programs and the agent's native library, by ldd, at the path
# the guest's loader looks for it (the host's, resolved through symlinks).
elves=("${programs[@]}" "${libraries[@]}" "$root/opt/jdk/bin/java")
while IFS= read -r f; do
  elves+=("$f")
done < <(find "$root/opt/jdk" -name '*.so')
declare -A copied=()
for elf in "${elves[@]}"; do
  while read -r lib; do
    [ -n "$lib" ] && [ -z "${copied[$lib]:-}" ] || continue
    copied[$lib]=1
    case "$lib" in "$root"/*) continue ;; esac
    mkdir -p "$root$(dirname "$lib")"
    cp "$(readlink -f "$lib")" "$root$lib"
  done < <(ldd "$elf" 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }'; printf '%s\n' "${libraries[@]}")
done
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || fail "the dynamic loader was not found by ldd"

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) >"$stage/base.cpio"
mv "$stage/base.cpio" "$out"
echo "$out"
