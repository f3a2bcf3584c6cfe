#!/bin/sh
# The bad-input corpus (style.md §9): for each <case>.expected, runs `asylsim <args>` from inside
# tests/bad, where <args> is the content of <case>.args or, without one, `check <case>.cfg`. A case
# passes when the exit status is 2, stderr equals <case>.expected byte for byte, and no file or
# folder appeared in (or vanished from) tests/bad. Files without a .expected are helpers (bases,
# includes). Prints one PASS/FAIL line per case and "N passed, N failed"; exits 1 on any failure.
#
#   tests/bad/run.sh BUILD/sim/cli/asylsim
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 ASYLSIM" >&2
    exit 2
fi
bin=$1
case "$bin" in
/*) ;;
*) bin="$(pwd)/$bin" ;;
esac
if [ ! -x "$bin" ]; then
    echo "$0: $bin is not an executable" >&2
    exit 2
fi

cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0
for expected in *.expected; do
    name=${expected%.expected}
    if [ -f "$name.args" ]; then
        args=$(cat "$name.args")
    else
        args="check $name.cfg"
    fi
    find . | LC_ALL=C sort >"$tmp/before"
    # Run from here, so file names in messages stay relative; .args are split on blanks, never
    # globbed.
    set -f
    # shellcheck disable=SC2086 # word splitting of args is wanted
    "$bin" $args >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    set +f
    find . | LC_ALL=C sort >"$tmp/after"
    why=""
    if [ "$status" -ne 2 ]; then
        why="exit status $status, not 2"
    fi
    if ! cmp -s "$tmp/stderr" "$expected"; then
        why="${why:+$why; }stderr differs from $expected"
    fi
    if ! cmp -s "$tmp/before" "$tmp/after"; then
        why="${why:+$why; }files appeared or vanished in tests/bad"
    fi
    if [ -z "$why" ]; then
        echo "PASS: $name"
        pass=$((pass + 1))
    else
        echo "FAIL: $name ($why)"
        diff "$expected" "$tmp/stderr" | sed 's/^/    /'
        diff "$tmp/before" "$tmp/after" | sed 's/^/    /'
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
