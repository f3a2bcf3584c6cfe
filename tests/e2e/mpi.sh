#!/bin/sh
# Runs over Open MPI ranks give the single-process output byte for byte (run.log aside), for 2 and
# 3 ranks and 1 or 2 threads per rank, also when there are more ranks than replications, for run
# and compare; a failure on one rank only fails every rank and leaves no output (issue #8).
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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
