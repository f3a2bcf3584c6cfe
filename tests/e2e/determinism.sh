#!/bin/sh
# The same seed gives byte-identical indicators.csv and manifest.txt with 1 and 2 threads and twice
# in a row; another seed gives a different indicators.csv (issue #3, "Done when").
# usage: determinism.sh ASYLSIM SCENARIO
set -u
bin=$1
scn=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"
"$bin" run "$scn" --reps 24 --seed 7 --threads 1 --quiet --out "$work/t1" || exit 1
"$bin" run "$scn" --reps 24 --seed 7 --threads 2 --quiet --out "$work/t2" || exit 1
"$bin" run "$scn" --reps 24 --seed 7 --threads 2 --quiet --out "$work/t2b" || exit 1
"$bin" run "$scn" --reps 24 --seed 8 --threads 2 --quiet --out "$work/s8" || exit 1
for f in indicators.csv manifest.txt; do
    check "$f identical with 1 and 2 threads" "cmp -s '$work/t1/$f' '$work/t2/$f'"
    check "$f identical twice in a row" "cmp -s '$work/t2/$f' '$work/t2b/$f'"
done
check "seed 8 gives a different indicators.csv" "! cmp -s '$work/t1/indicators.csv' '$work/s8/indicators.csv'"
check "header of indicators.csv" \
    "[ \"\$(head -1 '$work/t1/indicators.csv')\" = 'scenario,indicator,period,mean,p05,p50,p95' ]"
check "no temporary folder left" "[ -z \"\$(ls -d '$work'/*.tmp-* 2>/dev/null)\" ]"
check "run.log exists and names the threads" "grep -q '^threads: 2' '$work/t2/run.log'"
check "manifest names no thread count" "! grep -qi thread '$work/t2/manifest.txt'"
finish
