#!/bin/sh
# SIGINT and SIGTERM stop a run within a second with exit 130 / 143 and leave neither the output
# folder nor its temporary sibling (issue #3 outputs; issue #9 interruption): while the
# replications run, and while the output files are being written (the signal is sent as soon as
# the first file appears in the temporary folder; the writers poll the stop at every 64 KiB, so a
# long --keep-replications write stops too). Times are measured in milliseconds from the signal
# to the exit; a slow stop is retried once, so that a loaded machine does not fail the test but a
# stop that is always slow does.
# usage: interrupt.sh ASYLSIM SCENARIO
set -u
bin=$1
scn=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ms() {
    date +%s%N | cut -c1-13
}

# A long horizon with few persons: fast to simulate, and a replications.csv of some 40 MB, so
# the write phase lasts long enough to be hit.
cat >"$work/long.cfg" <<'CFG'
run = { start = "2015-01-01"; end = "2114-12-31"; reform_start = "2026-01-01"; };
arrivals = { applicants_per_year = 10.0; projection = 10.0; };
CFG

# The run phase uses 2000 replications: long enough to be under way after a second, small enough
# for the memory estimate on a small machine (its results take some 150 MiB) and for a quick
# free() under meson's MALLOC_PERTURB_, which fills every freed byte.

# One attempt: starts a run, waits for the moment ($2: "run" = 1 s into the replications,
# "write" = the first output file exists), sends signal $1, and sets rc, took and left.
attempt() {
    sig=$1
    out="$work/out-$sig-$2"
    if [ "$2" = run ]; then
        "$bin" run "$scn" --reps 2000 --seed 3 --threads 2 --quiet --out "$out" 2>/dev/null &
        pid=$!
        sleep 1
    else
        "$bin" run "$work/long.cfg" --reps 60 --seed 3 --threads 2 --quiet --keep-replications \
            --out "$out" 2>/dev/null &
        pid=$!
        n=0
        while [ -z "$(ls "$out".tmp-*/ 2>/dev/null)" ] && [ "$n" -lt 6000 ] && kill -0 "$pid" 2>/dev/null; do
            sleep 0.01
            n=$((n + 1))
        done
    fi
    start=$(ms)
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    took=$(($(ms) - start))
    left=$(find "$work" -maxdepth 1 -name "out-$sig-$2*" -exec basename {} \; | tr '\n' ' ')
}

for phase in run write; do
    for sig in INT TERM; do
        want=130
        [ "$sig" = TERM ] && want=143
        tries=0
        while :; do
            tries=$((tries + 1))
            attempt "$sig" "$phase"
            # Retry a slow stop once; retry (twice) a write-phase race the run won (exit 0).
            if [ "$rc" -eq "$want" ] && [ "$took" -gt 1000 ] && [ "$tries" -lt 2 ]; then
                rm -rf "$work"/out-*
                continue
            fi
            if [ "$rc" -eq 0 ] && [ "$phase" = write ] && [ "$tries" -lt 3 ]; then
                rm -rf "$work"/out-*
                continue
            fi
            break
        done
        what="SIG$sig while the $( [ "$phase" = run ] && echo "replications run" || echo "outputs are written")"
        if [ "$rc" -eq "$want" ] && [ -z "$left" ] && [ "$took" -le 1000 ]; then
            echo "PASS: $what: exit $rc, nothing left, stopped in ${took} ms"
            pass=$((pass + 1))
        else
            echo "FAIL: $what: exit $rc (want $want), ${took} ms (at most 1000), left: ${left:-nothing}"
            fail=$((fail + 1))
        fi
        rm -rf "$work"/out-*
    done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
