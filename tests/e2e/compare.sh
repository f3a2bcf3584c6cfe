#!/bin/sh
# asylsim compare end to end (issue #6): each file's header, every reform present, a sweep expanded
# into one variant per value, exactly zero differences for a reform that changes nothing and for
# every month before run.reform_start, yearly mean totals equal to the sum of their lines, the
# annotation layout, budget_impact.xlsx against the CSVs it copies (built with libxlsxwriter) or
# its one-line notice (built without), and a run without gnuplot that still writes every CSV and
# summary.md.
# usage: compare.sh ASYLSIM FIXTURES_DIR XLSX(yes|no)
set -u
bin=$1
fx=$2
xlsx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"
out=$work/out
"$bin" compare "$fx/short-base.cfg" "$fx/reform-guarantee.cfg" "$fx/reform-identical.cfg" \
    "$fx/reform-sweep.cfg" --threads 2 --quiet --out "$out" >"$work/stdout" 2>"$work/stderr"
rc=$?
check "compare exits 0" "[ $rc -eq 0 ]"
for f in indicators.csv budget.csv cohorts.csv compare.csv compare_cohorts.csv budget_impact.csv \
    budget_annotation.csv budget_annotation.md summary.md manifest.txt; do
    check "$f written" "[ -s '$out/$f' ]"
done
check "compare.csv header" "[ \"\$(head -1 '$out/compare.csv')\" = 'reform,indicator,period,mean_diff,p05,p50,p95' ]"
check "compare_cohorts.csv header" "[ \"\$(head -1 '$out/compare_cohorts.csv')\" = 'reform,months_since_status,indicator,mean_diff,p05,p50,p95' ]"
check "budget_impact.csv header" "[ \"\$(head -1 '$out/budget_impact.csv')\" = 'reform,year,line,payer,mean_diff,p05,p50,p95' ]"
check "budget.csv header" "[ \"\$(head -1 '$out/budget.csv')\" = 'scenario,year,line,payer,mean,p05,p50,p95' ]"
check "cohorts.csv header" "[ \"\$(head -1 '$out/cohorts.csv')\" = 'scenario,months_since_status,indicator,mean,p05,p50,p95' ]"
reforms=$(tail -n +2 "$out/compare.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')
check "every reform appears (got: $reforms)" "[ \"\$(echo $reforms | wc -w)\" -eq 5 ]"
check "the sweep expands into one variant per value" \
    "for v in 139 200 278; do grep -q \"^reform-sweep@benefits.monthly_adult_eur=\$v,\" '$out/compare.csv' || exit 1; done"
check "budget_impact has every reform" "[ \"\$(tail -n +2 '$out/budget_impact.csv' | cut -d, -f1 | sort -u | wc -l)\" -eq 5 ]"
check "an identical reform gives exactly zero differences" \
    "awk -F, '\$1 == \"reform-identical\" && (\$4 != \"0\" || \$5 != \"0\" || \$6 != \"0\" || \$7 != \"0\") { bad = 1 } END { exit bad }' '$out/compare.csv' '$out/compare_cohorts.csv'"
check "an identical reform costs exactly nothing" \
    "awk -F, '\$1 == \"reform-identical\" && (\$5 != \"0\" || \$6 != \"0\" || \$7 != \"0\" || \$8 != \"0\") { bad = 1 } END { exit bad }' '$out/budget_impact.csv'"
check "no difference before run.reform_start (every month to 2025-12, every reform)" \
    "awk -F, 'NR > 1 && \$3 ~ /-/ && \$3 < \"2026-01\" && (\$4 != \"0\" || \$5 != \"0\" || \$6 != \"0\" || \$7 != \"0\") { bad = 1 } END { exit bad }' '$out/compare.csv'"
check "no budget difference before run.reform_start" \
    "awk -F, 'NR > 1 && \$2 !~ /-/ && \$2 < 2026 && (\$5 != \"0\" || \$6 != \"0\" || \$7 != \"0\" || \$8 != \"0\") { bad = 1 } END { exit bad }' '$out/budget_impact.csv'"
check "the reform changes something after its start" \
    "awk -F, '\$1 == \"reform-guarantee\" && \$2 == \"housed\" && \$3 == \"2027\" && \$4 + 0 > 0 { ok = 1 } END { exit !ok }' '$out/compare.csv'"
check "each year's mean total is the sum of its lines" \
    "awk -F, 'NR > 1 { k = \$1 \",\" \$2; if (\$3 == \"total\") tot[k] = \$5; else sum[k] += \$5; n[k]++ } END { for (k in tot) if ((tot[k] - sum[k]) ^ 2 > (0.01 * n[k]) ^ 2) { print k, tot[k], sum[k]; bad = 1 } exit bad }' '$out/budget_impact.csv'"
check "a span row from the reform start to the horizon" "grep -q '^reform-guarantee,2026-2027,total,total,' '$out/budget_impact.csv'"
check "the annotation has years n..n+3 and the three items" \
    "grep -q '| n = 2026 | n+1 | n+2 | n+3 |' '$out/budget_annotation.md' && grep -q '3. Financial impact' '$out/budget_annotation.md'"
check "summary.md has the headline and the reproducibility line" \
    "grep -q '## Headline' '$out/summary.md' && grep -q 'seed 11, 6 replications' '$out/summary.md'"
"$bin" compare "$fx/short-base.cfg" "$fx/reform-identical.cfg" --reps 2 --out "$work/small" \
    >/dev/null 2>"$work/small.err"
if [ "$xlsx" = yes ]; then
    check "budget_impact.xlsx holds the budget tables as numbers (tests/e2e/xlsx_check.py)" \
        "/usr/bin/python3 '$(dirname "$0")/xlsx_check.py' '$out'"
    check "budget_impact.xlsx is listed in summary.md" "grep -q 'budget_impact.xlsx' '$out/summary.md'"
    check "no notice about the spreadsheet" "! grep -q 'xlsx' '$work/small.err'"
    check "no scratch file left next to the spreadsheet" "[ -z \"\$(ls -A '$out' | grep part)\" ]"
    ASYLSIM_TEST_DEV_FULL=budget_impact.xlsx "$bin" compare "$fx/short-base.cfg" \
        "$fx/reform-identical.cfg" --reps 2 --quiet --out "$work/xfull" 2>"$work/xfull.err"
    rc=$?
    check "disk full writing budget_impact.xlsx: exit 1, named, nothing left" \
        "[ $rc -eq 1 ] && grep -q 'budget_impact.xlsx: write failed' '$work/xfull.err' && [ ! -e '$work/xfull' ]"
else
    check "without libxlsxwriter: no budget_impact.xlsx" "[ ! -e '$out/budget_impact.xlsx' ]"
    check "without libxlsxwriter: one notice saying why" \
        "[ \"\$(grep -c 'budget_impact.xlsx not written: built without libxlsxwriter' '$work/small.err')\" -eq 1 ]"
fi
if command -v gnuplot >/dev/null; then
    check "plots drawn as PNG and SVG" "[ -s '$out/plots/forest.png' ] && [ -s '$out/plots/forest.svg' ] && [ -s '$out/plots/dose_reform-sweep.png' ]"
fi
# Without gnuplot: every CSV and summary.md, one notice, exit 0.
mkdir -p "$work/bin"
for tool in sh mkdir rm cat; do ln -sf "$(command -v $tool)" "$work/bin/$tool"; done
PATH=$work/bin "$bin" compare "$fx/short-base.cfg" "$fx/reform-identical.cfg" --reps 2 \
    --out "$work/nognu" >/dev/null 2>"$work/nognu.err"
rc=$?
check "without gnuplot: exit 0" "[ $rc -eq 0 ]"
check "without gnuplot: CSVs and summary.md" "[ -s '$work/nognu/compare.csv' ] && [ -s '$work/nognu/summary.md' ]"
check "without gnuplot: one notice saying why" "[ \"\$(grep -c 'gnuplot is not installed' '$work/nognu.err')\" -eq 1 ]"
check "without gnuplot: summary.md says plots were skipped" "grep -q 'skipped: gnuplot is not installed' '$work/nognu/summary.md'"
finish
