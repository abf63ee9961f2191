#!/usr/bin/env bash
# Shards on one machine, one after the other (a long scan cut into resumable pieces: a shard
# already written is skipped when the loop runs again after an interruption).
# Usage: one-machine.sh ROOT N OUT
set -euo pipefail
root=$1; n=$2; out=$3
for k in $(seq 1 "$n"); do
  [ -f "$out/shard-$k/documents.jsonl" ] && continue
  preuves scan "$root" --shard "$k/$n" --out "$out/shard-$k" --quiet
done
preuves merge "$out"/shard-* --out "$out/report"
