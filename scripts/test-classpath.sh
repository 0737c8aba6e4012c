#!/usr/bin/env bash
# Builds and installs everything without running the tests, and prints the class path (absolute) on which
# the agent's test classes run: the benchmarks, the soak and the fixture recorder use it.
#   classpath=$(scripts/test-classpath.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
mvn -B -ntp -q install -DskipTests >&2
mvn -B -ntp -q dependency:build-classpath -pl agent -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
echo "$repo/agent/target/test-classes:$repo/agent/target/classes:$repo/model/target/classes:$(cat agent/target/test.classpath)"
