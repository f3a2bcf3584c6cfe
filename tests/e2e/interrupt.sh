#!/bin/sh
# SIGINT and SIGTERM during a run stop it promptly with exit 130 / 143 and leave neither the output
# folder nor its temporary sibling (issue #3 outputs; issue #9 interruption).
# usage: interrupt.sh ASYLSIM SCENARIO
set -u
bin=$1
scn=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
for sig in INT TERM; do
    want=130
    [ "$sig" = TERM ] && want=143
    "$bin" run "$scn" --reps 20000 --seed 3 --threads 2 --quiet --out "$work/out-$sig" &
    pid=$!
    sleep 1
    start=$(date +%s)
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    took=$(($(date +%s) - start))
    if [ "$rc" -eq "$want" ] && [ ! -e "$work/out-$sig" ] &&
        [ -z "$(ls -d "$work"/out-"$sig".tmp-* 2>/dev/null)" ] && [ "$took" -le 5 ]; then
        echo "PASS: SIG$sig: exit $rc, no output, stopped in ${took}s"
        pass=$((pass + 1))
    else
        echo "FAIL: SIG$sig: exit $rc (want $want), took ${took}s, left: $(ls "$work")"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
