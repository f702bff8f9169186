#!/usr/bin/env bash
# kill -9 of `dira simulate` mid-run, then the same command again: the run resumes from its last
# complete chunks, says what it kept and discarded, finishes under the plan it registered before the
# crash, verifies, and its record files are byte-identical to an uninterrupted run with the same seed
# after their headers (which differ in the plan's SHA-256 only: each run has its own run id).
# Usage: cli_kill_resume.sh DIRA_BINARY TRIALS
set -euo pipefail
dira=$1
trials=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(simulate --trials "$trials" --seed 7 --json)

"$dira" "${args[@]}" --out "$work/clean" > /dev/null

"$dira" "${args[@]}" --out "$work/crashed" > /dev/null 2>&1 &
pid=$!
# Wait until both record files exist and the run is under way, then kill it. (Chunks hold 65,536
# records, more than the simulator makes in the seconds this test may take, so what is on disk is
# the file headers and at most a torn chunk; tests/faults/test_faults.cpp kills runs with small
# chunks to check that complete chunks are kept.)
for _ in $(seq 1 6000); do
  if [[ -s "$work/crashed/alice.records" && -s "$work/crashed/bob.records" ]]; then break; fi
  sleep 0.05
done
sleep "${KILL_AFTER_SECONDS:-1}"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
if [[ -e "$work/crashed/manifest.json" ]]; then
  echo "FAIL: the run finished before it could be killed: raise TRIALS" >&2
  exit 1
fi

plan_before=$(sha256sum < "$work/crashed/plan.json")
"$dira" "${args[@]}" --out "$work/crashed" > /dev/null 2> "$work/resume.err"
[[ "$(sha256sum < "$work/crashed/plan.json")" == "$plan_before" ]] || { echo "FAIL: the resumed run changed its plan" >&2; exit 1; }
grep -q "resuming the unfinished run" "$work/resume.err" || { echo "FAIL: no resume notice" >&2; cat "$work/resume.err" >&2; exit 1; }
cat "$work/resume.err"
"$dira" verify --quiet "$work/crashed"
for side in alice bob; do
  header_bytes=64 # store/record_store.hpp kFileHeaderBytes
  if ! cmp -s <(tail -c +$((header_bytes + 1)) "$work/clean/$side.records") <(tail -c +$((header_bytes + 1)) "$work/crashed/$side.records"); then
    echo "FAIL: $side.records of the resumed run differs from the uninterrupted run's" >&2
    exit 1
  fi
done
grep -q '"records_replayed_and_verified"' "$work/crashed/manifest.json"
echo "PASS: resumed after kill -9, verified, byte-identical to the uninterrupted run"
