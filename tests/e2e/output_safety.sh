#!/bin/sh
# Output safety (issue #9): the output folder is replaced as a whole and only when a run has
# finished; a non-empty folder without an earlier asylsim output is refused (exit 2) unless
# --force; a path through a file is refused before the run (exit 2); an unwritable folder and a
# full disk give a clear message naming the folder or file, exit 1, and leave neither the output
# folder nor its temporary sibling, and an earlier output stays as it was. A run that outgrows
# --max-memory stops the same way (exit 1, the memory named, nothing left).
#
# How each failure is provoked, honestly and without special rights where possible:
#   disk full      ASYLSIM_TEST_DEV_FULL=<file> (the hook of sim/output/outdir.c): that output
#                  file's stream is opened on /dev/full, so its writes fail with ENOSPC from the
#                  kernel; every file a run writes is tried in turn.
#   file too large ulimit -f with SIGXFSZ ignored: write(2) fails with EFBIG (no hook, no rights).
#   tiny tmpfs     as root where mount namespaces are allowed: a 64 KiB tmpfs, a real ENOSPC
#                  (SKIP elsewhere).
#   unwritable     not root: a folder without write permission; root (permission bits do not
#                  stop root): a read-only bind mount in a private mount namespace, else a folder
#                  under /sys, where root cannot create folders either.
# usage: output_safety.sh ASYLSIM SCENARIO
set -u
bin=$1
scn=$2
work=$(mktemp -d)
cleanup() {
    chmod -R u+w "$work" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
check_stderr="$work/err"
# No DIR.tmp-* or DIR.old-* sibling left beside folder $1.
no_siblings() {
    [ -z "$(ls -d "$1".tmp-* "$1".old-* 2>/dev/null)" ]
}
run() {
    "$bin" run "$scn" --reps 2 --threads 2 --quiet "$@" 2>"$work/err"
}

# 1. An earlier output is replaced as a whole, and only by a finished run.
out="$work/out"
run --seed 1 --out "$out"
check "first run writes an output folder" "[ \$? -eq 0 ] && [ -f '$out/manifest.txt' ] && [ -f '$out/indicators.csv' ]"
cp -R "$out" "$work/first"
echo "a note the user left" >"$out/notes.txt"
run --seed 2 --out "$out"
check "a folder holding an earlier output is replaced (exit 0)" "[ \$? -eq 0 ]"
check "the replaced folder is the new output only (no merge: the old note is gone)" \
    "[ ! -e '$out/notes.txt' ] && grep -q '^seed: 2\$' '$out/manifest.txt' && no_siblings '$out'"
cp -R "$out" "$work/second"

"$bin" run "$scn" --reps 2000 --seed 3 --threads 2 --quiet --out "$out" 2>"$work/err" &
pid=$!
sleep 1
check "while a run is under way, DIR still holds the earlier output, untouched" \
    "diff -r '$out' '$work/second' >/dev/null && [ -n \"\$(ls -d '$out'.tmp-* 2>/dev/null)\" ]"
kill -s INT "$pid"
wait "$pid"
rc=$?
check "an interrupted run (exit $rc) leaves the earlier output exactly as it was" \
    "[ $rc -eq 130 ] && diff -r '$out' '$work/second' >/dev/null && no_siblings '$out'"

# 2. Any other non-empty folder is refused unless --force; an empty one is fine.
mkdir -p "$work/mine"
echo "precious" >"$work/mine/thesis.tex"
run --out "$work/mine"
rc=$?
check "a non-empty folder without manifest.txt is refused with exit 2" \
    "[ $rc -eq 2 ] && grep -q 'holds no asylsim output' '$work/err'"
check "... and left untouched" \
    "[ \"\$(cat '$work/mine/thesis.tex')\" = precious ] && [ \"\$(ls '$work/mine')\" = thesis.tex ] && no_siblings '$work/mine'"
run --out "$work/mine" --force
check "with --force it is replaced (exit 0)" \
    "[ \$? -eq 0 ] && [ ! -e '$work/mine/thesis.tex' ] && [ -f '$work/mine/manifest.txt' ]"
mkdir -p "$work/empty"
run --out "$work/empty"
check "an empty folder is used without --force" "[ \$? -eq 0 ] && [ -f '$work/empty/manifest.txt' ]"

# 3. Paths that cannot be an output folder: refused before the run, nothing created.
echo "data" >"$work/afile"
run --out "$work/afile"
rc=$?
check "an output path that is a file: exit 2, the file untouched" \
    "[ $rc -eq 2 ] && [ \"\$(cat '$work/afile')\" = data ] && grep -q 'exists and is not a folder' '$work/err'"
run --out "$work/afile/sub/out"
rc=$?
check "an output path through a file: exit 2, named, nothing created" \
    "[ $rc -eq 2 ] && grep -q 'afile is a file, not a folder' '$work/err' && [ -f '$work/afile' ]"

# 4. An unwritable place: exit 1, a message naming the folder, nothing left.
mkdir -p "$work/ro"
cp -R "$work/second" "$work/ro/out"
# shellcheck disable=SC2016 # $1 and $@ are expanded by the inner shells
if [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$work/ro"
    how="a folder without write permission"
    run --out "$work/ro/out"
    rc=$?
    chmod u+w "$work/ro"
elif unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"' sh "$work/ro" \
    2>/dev/null; then
    how="a read-only bind mount"
    unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift &&
        exec "$@"' sh "$work/ro" "$bin" run "$scn" --reps 2 --threads 2 --quiet \
        --out "$work/ro/out" 2>"$work/err"
    rc=$?
else
    how="a folder under /sys (no mount namespace here)"
    "$bin" run "$scn" --reps 2 --threads 2 --quiet --out /sys/asylsim-output-test/out \
        2>"$work/err"
    rc=$?
    check "/sys refused the folder: nothing was created there" "[ ! -e /sys/asylsim-output-test ]"
fi
check "unwritable place ($how): exit 1 and a message saying why" \
    "[ $rc -eq 1 ] && grep -q -E 'cannot create (the output folder|folder)' '$work/err'"
check "... the earlier output in it is untouched and nothing is left beside it" \
    "diff -r '$work/ro/out' '$work/second' >/dev/null && no_siblings '$work/ro/out'"

# 5. A full disk, file by file: exit 1, the file named, no folder, no temporary folder, and an
#    earlier output kept.
"$bin" run "$scn" --reps 2 --threads 2 --quiet --keep-replications --out "$work/all" 2>/dev/null
# The files the run writes through sim/output/outdir.c: every regular file at the top of the
# folder (plots/ holds what gnuplot draws, an external program).
files=$(find "$work/all" -maxdepth 1 -type f -exec basename {} \; | sort)
for f in $files; do
    rm -rf "$work/full"
    ASYLSIM_TEST_DEV_FULL=$f "$bin" run "$scn" --reps 2 --threads 2 --quiet --keep-replications \
        --out "$work/full" 2>"$work/err"
    rc=$?
    check "disk full writing $f: exit 1, '$f: write failed: No space left on device', nothing left" \
        "[ $rc -eq 1 ] && grep -q 'full/$f: .*No space left on device' '$work/err' && [ ! -e '$work/full' ] && no_siblings '$work/full'"
done
ASYLSIM_TEST_DEV_FULL=indicators.csv run --out "$out"
rc=$?
check "disk full over an earlier output: exit 1, the earlier output exactly as it was" \
    "[ $rc -eq 1 ] && diff -r '$out' '$work/second' >/dev/null && no_siblings '$out'"

(
    ulimit -f 8
    trap '' XFSZ
    exec "$bin" run "$scn" --reps 2 --threads 2 --quiet --out "$work/big"
) 2>"$work/err"
rc=$?
check "a file size limit (ulimit -f, EFBIG from write): exit 1, file named, nothing left" \
    "[ $rc -eq 1 ] && grep -q 'big/[a-z_]*\\.[a-z]*: write failed: File too large' '$work/err' && [ ! -e '$work/big' ] && no_siblings '$work/big'"

# shellcheck disable=SC2016 # $1 and $@ are expanded by the inner shells
if [ "$(id -u)" -eq 0 ] && unshare -m sh -c 'mount -t tmpfs -o size=64k none "$1"' sh "$work" \
    2>/dev/null; then
    mkdir -p "$work/tiny"
    unshare -m sh -c 'mount -t tmpfs -o size=64k none "$1" && shift && exec "$@"' sh \
        "$work/tiny" "$bin" run "$scn" --reps 2 --threads 2 --quiet --keep-replications \
        --out "$work/tiny/out" 2>"$work/err"
    rc=$?
    check "a real full disk (64 KiB tmpfs): exit 1, 'No space left on device' with the file named" \
        "[ $rc -eq 1 ] && grep -q 'tiny/out/[a-z_]*\\.[a-z]*: write failed: No space left on device' '$work/err'"
else
    echo "SKIP: a real full disk needs root and a mount namespace (the /dev/full cases cover it)"
fi

# The memory guard (run.h, memory.h): 2 million applicants a year need far more than 64 MiB after
# some months, but their busiest 30 days (about 164,000 persons) fit, so the run starts, prints
# its least and most, and stops once its resident memory passes the limit.
cat >"$work/grow.cfg" <<'CFG'
run = { start = "2015-01-01"; end = "2017-12-31"; reform_start = "2016-01-01"; reps = 1; };
arrivals = { applicants_per_year = 2e6; projection = 2e6; projection_from = "2016-01-01"; };
CFG
"$bin" run "$work/grow.cfg" --threads 1 --max-memory 64M --out "$work/grow" 2>"$work/err"
rc=$?
check "a run that outgrows --max-memory: exit 1, stopped with the limit named, nothing left" \
    "[ $rc -eq 1 ] && grep -q 'this run needs at least about .* at most about .* (if nobody left); it stops if it passes --max-memory 64 MiB' '$work/err' && grep -q \"stopped: the run's memory reached .*, past --max-memory 64 MiB\" '$work/err' && [ ! -e '$work/grow' ] && no_siblings '$work/grow'"
"$bin" run "$scn" --reps 2 --threads 2 --quiet --max-memory 2G --out "$work/fits" 2>"$work/err"
rc=$?
check "a run well inside --max-memory is not stopped" \
    "[ $rc -eq 0 ] && [ -f '$work/fits/manifest.txt' ] && [ ! -s '$work/err' ]"

finish
