#!/usr/bin/env bash
# A Slurm job array: task K of N reads shard K. Submit with
#   sbatch --array=1-8 slurm-array.sh /archives/2026 /scratch/preuves
# then, once the array is done (e.g. sbatch --dependency=afterok:<jobid>):
#   preuves merge /scratch/preuves/shard-* --out /scratch/preuves/report
#SBATCH --job-name=preuves-shard
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
set -euo pipefail
root=$1; out=$2
n=${SLURM_ARRAY_TASK_COUNT:?run as an array job}
k=$SLURM_ARRAY_TASK_ID
preuves scan "$root" --shard "$k/$n" --jobs "${SLURM_CPUS_PER_TASK:-2}" \
  --cache "$out/cache-$k" --out "$out/shard-$k" --quiet
