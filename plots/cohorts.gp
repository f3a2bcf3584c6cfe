# Cohort curves: shares of the cohort (cohort_title says which), by months since status, one line
# per scenario.
load 'common.gp'
if (fmt eq 'svg') {
    set terminal svg size 1500,900 dynamic font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1500,900 font 'Sans,11'
}
set termoption noenhanced
set xlabel 'months since status'
set yrange [0:1]
set ytics ('0%%' 0, '20%%' 0.2, '40%%' 0.4, '60%%' 0.6, '80%%' 0.8, '100%%' 1)
set output sprintf('%s/cohorts.%s', outdir, fmt)
set multiplot title sprintf('%s: shares by months since status (means over replications)', cohort_title)
titles = "'Housed (of those present)' 'Employed (of adults present)' 'Still in Latvia (of the cohort)' 'At A2 or above (of adults present)'"
xl = '0.05 0.39 0.05 0.39'
yb = '0.55 0.55 0.08 0.08'
do for [j = 1:4] {
    set lmargin at screen word(xl, j) + 0
    set rmargin at screen word(xl, j) + 0.28
    set bmargin at screen word(yb, j) + 0
    set tmargin at screen word(yb, j) + 0.33
    set title word(titles, j)
    if (j == 1) {
        # Left-aligned in the column right of the panels, clear of them even with long sweep names.
        set key at screen 0.69, screen 0.88 left top Left reverse font ',9' spacing 1.1 nobox
    } else {
        unset key
    }
    plot for [k = 0:nscn-1] sprintf('%s/cohorts.dat', datadir) index k using 1:(column(j + 1)) with lines lw 2 lc rgb col[k % 14 + 1] title word(names, k + 1)
}
unset multiplot
