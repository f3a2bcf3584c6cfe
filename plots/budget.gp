# Budget by year and line for each scenario: expenditure stacked above zero, tax revenue below.
load 'common.gp'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb '#ffffff'
set boxwidth 0.8
set ylabel 'EUR per year (mean over replications)'
set format y '%.1s %c'
set key outside right top
set xtics rotate by -45
do for [k = 0:nscn-1] {
    f = sprintf('%s/budget_%d.dat', datadir, k)
    stats f skip 1 nooutput
    ncol = STATS_columns
    set output sprintf('%s/budget_%s.%s', outdir, word(names, k + 1), fmt)
    set title sprintf('%s: budget by line and year (revenue below zero)', word(names, k + 1))
    plot for [i = 2:ncol] f using i:xtic(1) title columnheader(i) lc rgb col[(i - 2) % 14 + 1]
}
