# Shared by the end-to-end scripts of tests/e2e (sourced, not run): PASS/FAIL lines, their counts,
# and the closing "N passed, N failed" line whose exit status is the script's.
#   check NAME COMMAND   evaluates COMMAND (a shell string): PASS if it succeeds, FAIL otherwise;
#                        on FAIL, the first lines of $check_stderr are shown if that file is set
#   ok NAME / bad NAME   a PASS or a FAIL decided by the caller
#   finish               prints the counts; fails if anything failed or nothing passed
pass=0
fail=0
check_stderr=""
ok() {
    echo "PASS: $1"
    pass=$((pass + 1))
}
bad() {
    echo "FAIL: $1"
    fail=$((fail + 1))
}
check() {
    if eval "$2"; then
        ok "$1"
    else
        bad "$1"
        if [ -n "$check_stderr" ] && [ -s "$check_stderr" ]; then
            sed 's/^/    stderr: /' "$check_stderr" | head -3
        fi
    fi
}
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
