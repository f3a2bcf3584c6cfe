#!/bin/sh
# Extreme but valid inputs (issue #9): each scenario of tests/extreme/ runs to the end (exit 0) and
# every number in every output CSV is finite: no nan, no inf, no empty or malformed number, and
# p05 <= p50 <= p95 in every row of indicators.csv. A few scenarios also pin what must follow from
# them (nobody arrives, nobody is granted, one period, 1 200 periods).
# usage: extreme.sh ASYLSIM EXTREME_DIR
set -u
bin=$1
dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

# Prints the problems of CSV file $1: non-finite or malformed numbers (any field that starts like
# a number must be one), and quantiles out of order in indicators.csv.
csv_problems() {
    awk -F, -v file="$(basename "$1")" '
        NR == 1 {
            for (i = 1; i <= NF; i++) col[$i] = i
            next
        }
        {
            for (i = 1; i <= NF; i++) {
                f = $i
                if (f ~ /^[-+]?([Nn][Aa][Nn]|[Ii][Nn][Ff])/) {
                    printf "%s:%d: field %d is %s\n", file, NR, i, f
                } else if (f ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9](-[0-9][0-9])?$/) {
                    continue # a period or a date
                } else if (f ~ /^[-+.0-9]/ && f !~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/) {
                    printf "%s:%d: field %d is not a number: %s\n", file, NR, i, f
                } else if (f == "") {
                    printf "%s:%d: field %d is empty\n", file, NR, i
                }
            }
            if (("p05" in col) && ("p50" in col) && ("p95" in col)) {
                a = $(col["p05"]) + 0; b = $(col["p50"]) + 0; c = $(col["p95"]) + 0
                if (a > b || b > c) {
                    printf "%s:%d: quantiles out of order: %s %s %s\n", file, NR, a, b, c
                }
            }
        }' "$1"
}

# The sum of column "mean" over the rows of indicator $2 in indicators.csv of folder $1.
ind_sum() {
    awk -F, -v ind="$2" 'NR > 1 && $2 == ind { s += $4 } END { printf "%.17g\n", s }' \
        "$1/indicators.csv"
}

# The number of distinct periods in indicators.csv of folder $1.
n_periods() {
    awk -F, 'NR > 1 { p[$3] = 1 } END { n = 0; for (k in p) n++; print n }' "$1/indicators.csv"
}

for cfg in "$dir"/*.cfg; do
    name=$(basename "$cfg" .cfg)
    out="$work/$name"
    "$bin" run "$cfg" --reps 3 --seed 11 --threads 2 --quiet --out "$out" 2>"$work/$name.err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        bad "$name: exit $rc: $(head -c 300 "$work/$name.err")"
        continue
    fi
    if [ ! -s "$out/indicators.csv" ] || [ ! -s "$out/manifest.txt" ]; then
        bad "$name: indicators.csv or manifest.txt missing"
        continue
    fi
    problems=""
    n_csv=0
    for csv in "$out"/*.csv; do
        n_csv=$((n_csv + 1))
        problems="$problems$(csv_problems "$csv" | head -5)"
    done
    rows=$(($(wc -l <"$out/indicators.csv") - 1))
    if [ -z "$problems" ] && [ "$rows" -gt 0 ]; then
        ok "$name: exit 0, $n_csv CSV files, every number finite ($rows indicator rows)"
    else
        bad "$name: $problems"
    fi

    # What must follow from the scenario.
    case "$name" in
    zero-arrivals)
        s=$(ind_sum "$out" arrivals)
        if [ "$s" = 0 ]; then ok "$name: no arrivals"; else bad "$name: arrivals sum to $s"; fi
        ;;
    all-negative)
        s=$(ind_sum "$out" decisions_refugee)
        t=$(ind_sum "$out" decisions_alternative)
        u=$(ind_sum "$out" decisions_negative)
        if [ "$s" = 0 ] && [ "$t" = 0 ] && [ "$u" != 0 ]; then
            ok "$name: no positive first decision, $u negative (mean, summed over months)"
        else
            bad "$name: refugee $s, alternative $t, negative $u"
        fi
        ;;
    zero-caseworkers)
        s=$(ind_sum "$out" decisions_negative)
        t=$(ind_sum "$out" decisions_refugee)
        last=$(awk -F, 'NR > 1 && $2 == "pending" { v = $4 } END { print v + 0 }' "$out/indicators.csv")
        if [ "$s" = 0 ] && [ "$t" = 0 ] && awk -v v="$last" 'BEGIN { exit !(v > 0) }'; then
            ok "$name: no decision, $last pending at the end"
        else
            bad "$name: negative $s, refugee $t, pending at the end $last"
        fi
        ;;
    one-day)
        n=$(n_periods "$out")
        if [ "$n" = 1 ]; then ok "$name: one period"; else bad "$name: $n periods"; fi
        ;;
    century)
        n=$(n_periods "$out")
        if [ "$n" = 1200 ]; then ok "$name: 1200 periods"; else bad "$name: $n periods"; fi
        ;;
    esac
done
if [ -n "$(ls -d "$work"/*.tmp-* 2>/dev/null)" ]; then
    bad "temporary folders left"
fi
finish
