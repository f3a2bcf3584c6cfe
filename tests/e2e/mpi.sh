#!/bin/sh
# Runs over Open MPI ranks give the single-process output byte for byte (run.log aside), for 2 and
# 3 ranks and 1 or 2 threads per rank, also when there are more ranks than replications, for run,
# compare, calibrate and sensitivity (plots included: gnuplot draws the same bytes from the same
# data); a failure on one rank only fails every rank and leaves no output, and a signal stops
# every rank of a calibration with 128 + its number and no output (issue #8). The calibration and
# sensitivity files are tests/calib/mpi-abc.cfg, mpi-smm.cfg and mpi-sens.cfg.
# Registered only in a -Dmpi=enabled build (tools/ci-mpi), never under the sanitizers
# (LeakSanitizer reports Open MPI's own allocations).
# usage: mpi.sh ASYLSIM SCENARIO [MPIRUN]
set -u
bin=$1
scn=$2
mpirun=${3:-mpirun}
# As root Open MPI wants --allow-run-as-root; --oversubscribe lets 3 ranks share 2 cores.
mpi="$mpirun --allow-run-as-root --oversubscribe"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check() {
    if eval "$2"; then
        echo "PASS: $1"
        pass=$((pass + 1))
    else
        echo "FAIL: $1"
        fail=$((fail + 1))
    fi
}
# same DIR_A DIR_B: the same files (sub-folders such as plots/ included), byte for byte, run.log
# aside; and more than run.log in them.
same() {
    diff -r -x run.log "$1" "$2" >/dev/null && [ -f "$1/indicators.csv" ]
}

"$bin" run "$scn" --reps 9 --seed 11 --threads 1 --quiet --keep-replications --out "$work/one" ||
    exit 1
$mpi -np 2 "$bin" run "$scn" --reps 9 --seed 11 --threads 1 --quiet --keep-replications \
    --out "$work/np2t1" >"$work/np2t1.out" 2>&1
check "mpirun -np 2 --threads 1 exits 0" "[ $? -eq 0 ]"
check "np 2, 1 thread: identical to one process" "same '$work/one' '$work/np2t1'"
$mpi -np 2 "$bin" run "$scn" --reps 9 --seed 11 --threads 2 --quiet --keep-replications \
    --out "$work/np2t2" >"$work/np2t2.out" 2>&1
check "np 2, 2 threads: identical to one process" "same '$work/one' '$work/np2t2'"
$mpi -np 3 "$bin" run "$scn" --reps 9 --seed 11 --threads 1 --quiet --keep-replications \
    --out "$work/np3" >"$work/np3.out" 2>&1
check "np 3: identical to one process" "same '$work/one' '$work/np3'"
check "run.log names the ranks" "grep -q '^ranks: 3' '$work/np3/run.log'"
check "run.log sums the events of every rank" \
    "[ \"\$(grep '^scenario' '$work/one/run.log')\" = \"\$(grep '^scenario' '$work/np3/run.log')\" ]"

"$bin" run "$scn" --reps 2 --seed 3 --threads 1 --quiet --out "$work/one2" || exit 1
$mpi -np 3 "$bin" run "$scn" --reps 2 --seed 3 --quiet --out "$work/np3r2" >"$work/np3r2.out" 2>&1
check "more ranks than replications: identical" "same '$work/one2' '$work/np3r2'"

# compare: a reform layer on the given scenario, paired differences and budget impact.
cat >"$work/reform.cfg" <<EOF
base = "$scn";
procedure = { caseworkers = 30.0; };
EOF
"$bin" compare "$scn" "$work/reform.cfg" --reps 4 --seed 5 --threads 2 --quiet --out "$work/c1" ||
    exit 1
$mpi -np 2 "$bin" compare "$scn" "$work/reform.cfg" --reps 4 --seed 5 --threads 1 --quiet \
    --out "$work/c2" >"$work/c2.out" 2>&1
check "compare, np 2: identical to one process" "same '$work/c1' '$work/c2'"

# Rank 1 alone cannot read its scenario (two programs, one per rank): every rank fails.
$mpi -np 1 "$bin" run "$scn" --reps 4 --quiet --out "$work/bad" : \
    -np 1 "$bin" run "$work/missing.cfg" --reps 4 --quiet --out "$work/bad" >"$work/bad.out" 2>&1
check "a failure on rank 1 fails the job" "[ $? -ne 0 ]"
check "rank 0 names the failing rank" "grep -q 'rank 1: no such file' '$work/bad.out'"
check "and no output folder is left" "[ ! -e '$work/bad' ] && [ -z \"\$(ls -d '$work'/bad.tmp-* 2>/dev/null)\" ]"

# calibrate and sensitivity: every rank runs the method and gets every simulation's results, so
# the ranks take the same decisions; rank 0 writes. Outputs: every file but run.log.
calib=$(cd "$(dirname "$0")/../calib" && pwd)
# same_as DIR_A DIR_B FILE: as same, FILE standing for indicators.csv.
same_as() {
    diff -r -x run.log "$1" "$2" >/dev/null && [ -f "$1/$3" ]
}
"$bin" calibrate "$calib/mpi-abc.cfg" --threads 1 --quiet --out "$work/cal1" || exit 1
"$bin" sensitivity "$calib/recovery.cfg" --params "$calib/mpi-sens.cfg" --threads 1 --quiet \
    --out "$work/sen1" || exit 1
for np_t in 2:1 2:2 3:1; do
    np=${np_t%:*}
    t=${np_t#*:}
    $mpi -np "$np" "$bin" calibrate "$calib/mpi-abc.cfg" --threads "$t" --quiet \
        --out "$work/cal$np$t" >"$work/cal$np$t.out" 2>&1
    check "calibrate, np $np, $t thread(s): exits 0" "[ $? -eq 0 ]"
    check "calibrate, np $np, $t thread(s): identical to one process" \
        "same_as '$work/cal1' '$work/cal$np$t' posterior.csv"
    $mpi -np "$np" "$bin" sensitivity "$calib/recovery.cfg" --params "$calib/mpi-sens.cfg" \
        --threads "$t" --quiet --out "$work/sen$np$t" >"$work/sen$np$t.out" 2>&1
    check "sensitivity, np $np, $t thread(s): exits 0" "[ $? -eq 0 ]"
    check "sensitivity, np $np, $t thread(s): identical to one process" \
        "same_as '$work/sen1' '$work/sen$np$t' sensitivity.csv"
done
check "calibrate's run.log names the ranks" "grep -q '^ranks: 3' '$work/cal31/run.log'"
# The simulated method of moments: one candidate's replications per call, then the Jacobian.
"$bin" calibrate "$calib/mpi-smm.cfg" --threads 1 --quiet --out "$work/smm1" || exit 1
for np_t in 2:1 3:2; do
    np=${np_t%:*}
    t=${np_t#*:}
    $mpi -np "$np" "$bin" calibrate "$calib/mpi-smm.cfg" --threads "$t" --quiet \
        --out "$work/smm$np$t" >"$work/smm$np$t.out" 2>&1
    check "calibrate (SMM), np $np, $t thread(s): identical to one process" \
        "same_as '$work/smm1' '$work/smm$np$t' estimates.csv"
done

# Rank 1 alone cannot read its calibration file: every rank fails before any run, no output.
$mpi -np 1 "$bin" calibrate "$calib/mpi-abc.cfg" --quiet --out "$work/badc" : \
    -np 1 "$bin" calibrate "$work/missing.cfg" --quiet --out "$work/badc" >"$work/badc.out" 2>&1
check "calibrate: a failure on rank 1 fails the job" "[ $? -ne 0 ]"
check "calibrate: rank 0 names the failing rank" "grep -q 'rank 1: ' '$work/badc.out'"
check "calibrate: no output folder is left" \
    "[ ! -e '$work/badc' ] && [ -z \"\$(ls -d '$work'/badc.tmp-* 2>/dev/null)\" ]"

# SIGINT to every rank of a long calibration (mpirun itself, signalled, exits 1 whatever the ranks
# do, so the ranks are signalled): the job exits 130 and leaves no output.
if command -v pgrep >/dev/null 2>&1; then
    sed -e "s|^base = .*|base = \"$calib/recovery.cfg\";|" \
        -e "s|^targets = .*|targets = \"$calib/mpi-targets.csv\";|" \
        -e 's/populations = 2; particles = 12;/populations = 5; particles = 5000;/' \
        "$calib/mpi-abc.cfg" >"$work/long-abc.cfg"
    $mpi -np 2 "$bin" calibrate "$work/long-abc.cfg" --threads 1 --quiet --out "$work/int" \
        >"$work/int.out" 2>&1 &
    job=$!
    sleep 2
    # shellcheck disable=SC2046 # one word per rank
    kill -s INT $(pgrep -P "$job") 2>/dev/null
    wait "$job"
    rc=$?
    check "calibrate, np 2, SIGINT to the ranks: exit 130" "[ $rc -eq 130 ]"
    check "calibrate, np 2, SIGINT: nothing left" \
        "[ ! -e '$work/int' ] && [ -z \"\$(ls -d '$work'/int.tmp-* 2>/dev/null)\" ]"
else
    echo "SKIP: calibrate under SIGINT (no pgrep)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
