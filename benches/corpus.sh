#!/usr/bin/env bash
# Builds a mixed corpus of N files (default 500) from the fixture archive, for the speed and
# memory figures of BENCHMARKS.md. Files are copied round-robin into session-like folders under
# DEST (default /tmp/preuves-corpus-N), so every format and every broken-file case is present in
# the proportions of the fixtures. Nothing is written inside the repository.
set -euo pipefail
n=${1:-500}
dest=${2:-/tmp/preuves-corpus-$n}
src="$(cd "$(dirname "$0")/.." && pwd)/fixtures/archive"
rm -rf "$dest"
mkdir -p "$dest"
mapfile -d '' files < <(find "$src" -type f -print0 | sort -z)
count=${#files[@]}
i=0
while [ "$i" -lt "$n" ]; do
  f=${files[$((i % count))]}
  rel=${f#"$src"/}
  copy=$((i / count))
  out="$dest/lot-$copy/$rel"
  mkdir -p "$(dirname "$out")"
  cp "$f" "$out"
  i=$((i + 1))
done
echo "$n files from $count fixtures in $dest"
