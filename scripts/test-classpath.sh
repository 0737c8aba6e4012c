#!/usr/bin/env bash
# Builds the agent without running the tests and prints the class path (absolute) on which its test classes
# run: the benchmarks, the soak and the fixture recorder use it.
#   classpath=$(scripts/test-classpath.sh)
# One reactor build: the class path names the model module's own jar, and nothing is installed into the local
# Maven repository (where an old copy would hide a broken build).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
mvn -B -ntp -q -pl agent -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
echo "$repo/agent/target/test-classes:$repo/agent/target/classes:$(cat agent/target/test.classpath)"
