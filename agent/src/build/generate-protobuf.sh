#!/usr/bin/env bash
# Generates the Java (lite) of the export formats' official protobuf definitions; run by the agent's build.
#   generate-protobuf.sh PROTOC OUTPUT OTLP_PROTO_DIR PPROF_PROTO_DIR
# PROTOC: protoc from Maven Central, of the protobuf runtime's version. OTLP_PROTO_DIR: the .proto files of the
# opentelemetry-proto jar (profiles v1development, collector, common, resource). PPROF_PROTO_DIR: the folder of
# pprof's profile.proto, as Debian's golang-github-google-pprof-dev installs it (scripts/setup.sh build).
set -euo pipefail
protoc=$1 output=$2 otlp=$3 pprof=$4
if [ ! -r "$pprof/profile.proto" ]; then
  echo "generate-protobuf: pprof's profile.proto is not at $pprof/profile.proto: install Debian's" \
    "golang-github-google-pprof-dev (scripts/setup.sh build does), or build with -Dpprof.proto.directory=DIR" >&2
  exit 1
fi
chmod +x "$protoc"
rm -rf "$output"
mkdir -p "$output"
"$protoc" --java_out=lite:"$output" -I "$otlp" -I "$pprof" profile.proto \
  $(cd "$otlp" && find opentelemetry -name '*.proto' | sort)
