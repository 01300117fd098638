#!/usr/bin/env bash
# Fails unless a Java 17+ runtime is on the PATH (Spark 3.5 needs it); says how to get one.
set -euo pipefail
if ! command -v java >/dev/null; then
  echo "spark-setup: no java on the PATH; install Java 17+ (Debian: apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
if [ -z "$v" ] || [ "$v" -lt 17 ]; then
  echo "spark-setup: java ${v:-?} found, Spark needs 17+ (Debian: apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
