#!/usr/bin/env bash
# A campaign: each target for RUNS inputs (default 10^6) under atheris, one after another.
# Logs go to fuzz/logs/TARGET.log; the corpus grows in fuzz/corpus/TARGET; crashes land in fuzz/artifacts/.
#   fuzz/campaign.sh [RUNS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
targets=${*:-option message capture}
mkdir -p fuzz/logs
for t in $targets; do
  start=$(date +%s)
  .venv/bin/python -m fuzz.run "$t" --runs "$runs" > "fuzz/logs/$t.log" 2>&1
  rc=$?
  echo "$t: exit $rc after $(( $(date +%s) - start )) s" | tee -a fuzz/logs/campaign.txt
done
