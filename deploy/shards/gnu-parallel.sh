#!/usr/bin/env bash
# Shards over several hosts with GNU parallel. Every host sees the archive at the same path
# (a shared, read-only mount) and writes its shard to a shared folder; the merge runs here.
# Usage: gnu-parallel.sh ROOT N OUT host1,host2,...
set -euo pipefail
root=$1; n=$2; out=$3; hosts=$4
seq 1 "$n" | parallel -S "$hosts" --jobs 1 \
  "preuves scan '$root' --shard {}/$n --out '$out/shard-{}' --quiet"
preuves merge "$out"/shard-* --out "$out/report"
