#!/usr/bin/env bash
# Fetches one Debian kernel of the matrix (kernels.conf) with apt-get download, and unpacks what the guest
# needs into the cache: vmlinuz, the modules for virtio disks, loop devices and ext4 (decompressed), and
# modules.load, the order to insmod them. Prints the directory. Cached: a second call does nothing.
#
#   scripts/kernels/fetch-kernel.sh 6.1      ->  ${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels/6.1.0-56-amd64
set -euo pipefail

name=${1:?usage: fetch-kernel.sh NAME (a name from kernels.conf)}
here=$(cd "$(dirname "$0")" && pwd)
cache=${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels
mkdir -p "$cache/debs"

fail() {
  echo "fetch-kernel: $*" >&2
  exit 1
}

read -r package version series < <(awk -v n="$name" '$1 == n { print $2, $3, $4 }' "$here/kernels.conf")
[ -n "${package:-}" ] || fail "no kernel named '$name' in $here/kernels.conf"

# What the guest needs as modules; a module the kernel has built in is skipped (modules.builtin). ext4 and
# jbd2 ask for "crypto-crc32c" only as a soft dependency, which insmod does not follow: crc32c_generic is
# named here (crc32c-intel would need SSE4.2, which qemu's default CPU model does not have).
wanted=(virtio_pci virtio_blk loop crc32c_generic ext4)

candidate() {
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

has_version() {
  apt-cache madison "$1" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$2"
}

newest_of_series() {
  apt-cache pkgnames linux-image- 2>/dev/null | grep -E "$series" | sort -V | tail -1
}

deb=$(ls "$cache/debs/${package}_${version//:/%3a}_amd64.deb" 2>/dev/null || true)
if [ -z "$deb" ]; then
  if ! has_version "$package" "$version"; then
    # A fresh machine may have stale or no package lists.
    apt-get update -qq >/dev/null 2>&1 || true
  fi
  if ! has_version "$package" "$version"; then
    newest=$(newest_of_series)
    if [ "${BLKFLIGHT_KERNEL_FALLBACK:-}" = newest ] && [ -n "$newest" ]; then
      echo "fetch-kernel: $package $version is not offered any more; BLKFLIGHT_KERNEL_FALLBACK=newest: using $newest $(candidate "$newest")" >&2
      package=$newest
      version=$(candidate "$newest")
    else
      fail "the pinned kernel $package $version is not offered by the apt sources (network down, or superseded on the mirror).${newest:+ The newest of the series there is $newest $(candidate "$newest"): pin it in scripts/kernels/kernels.conf, or set BLKFLIGHT_KERNEL_FALLBACK=newest.}"
    fi
  fi
  deb=$(ls "$cache/debs/${package}_${version//:/%3a}_amd64.deb" 2>/dev/null || true)
  if [ -z "$deb" ]; then
    tmp=$(mktemp -d "$cache/debs/download.XXXXXX")
    # apt checks the package against the signed index; _apt cannot write into root's private cache.
    chmod 755 "$tmp"
    (cd "$tmp" && apt-get download -q "$package=$version" >/dev/null 2>"$tmp/apt.err") ||
      fail "apt-get download $package=$version failed: $(cat "$tmp/apt.err")"
    mv "$tmp"/*.deb "$cache/debs/"
    rm -rf "$tmp"
    deb=$(ls "$cache/debs/${package}_${version//:/%3a}_amd64.deb")
  fi
fi

listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
vmlinuz=$(grep -E '^\./boot/vmlinuz-' <<<"$listing" | head -1)
[ -n "$vmlinuz" ] || fail "$deb has no boot/vmlinuz"
release=${vmlinuz#./boot/vmlinuz-}
out=$cache/$release
if [ -f "$out/complete" ]; then
  echo "$out"
  exit 0
fi

rm -rf "$out" "$out.part"
mkdir -p "$out.part/unpacked" "$out.part/modules"
# One pass: every extraction decompresses the whole package (xz, 70-110 MB).
dpkg-deb -x "$deb" "$out.part/unpacked"

module_path() {
  grep -E "/$1\.ko(\.xz)?$" <<<"$listing" | head -1 || true
}

declare -A loaded=()
order=()
# Depth first: a module's dependencies (the depends= line of its .modinfo) are loaded before it.
add_module() {
  local module=$1 path file depends dep
  [ -z "${loaded[$module]:-}" ] || return 0
  loaded[$module]=1
  path=$(module_path "$module")
  if [ -z "$path" ]; then
    grep -qE "/$module\.ko$" "$out.part/unpacked/lib/modules/$release/modules.builtin" ||
      fail "$release has $module neither as a module nor built in"
    return 0
  fi
  file=$out.part/modules/$module.ko
  case "$path" in
    *.xz) xz -dc "$out.part/unpacked/$path" >"$file" ;;
    *) cp "$out.part/unpacked/$path" "$file" ;;
  esac
  depends=$(objcopy -O binary --only-section=.modinfo "$file" /dev/stdout | tr '\0' '\n' | sed -n 's/^depends=//p')
  for dep in ${depends//,/ }; do
    add_module "$dep"
  done
  order+=("$module")
}
for module in "${wanted[@]}"; do
  add_module "$module"
done

cp "$out.part/unpacked/$vmlinuz" "$out.part/vmlinuz"
cp "$out.part/unpacked/boot/config-$release" "$out.part/config"
printf '%s\n' "${order[@]}" >"$out.part/modules.load"
printf 'package=%s\nversion=%s\nrelease=%s\nsha256=%s\n' "$package" "$version" "$release" \
  "$(sha256sum "$deb" | cut -d' ' -f1)" >"$out.part/package"
rm -rf "$out.part/unpacked"
touch "$out.part/complete"
mv "$out.part" "$out"
echo "$out"
