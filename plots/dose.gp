# Dose-response of a sweep: the effect and the net cost against the swept setting's value.
load 'common.gp'
set output sprintf('%s/dose_%s.%s', outdir, sweep, fmt)
set multiplot layout 1,2 title sprintf('%s: reform minus baseline against %s (mean and 5-95%%)', sweep, setting)
set xlabel setting
set key left top
set title 'Housed 24 months after status (percentage points)'
set ylabel 'percentage points'
plot sprintf('%s/dose_%s.dat', datadir, sweep) using 1:3:4 with filledcurves lc rgb col[1] title '5-95%', \
     '' using 1:2 with linespoints lw 2 pt 7 lc rgb col[1] title 'mean'
set title 'Net budget cost per year (EUR)'
set ylabel 'EUR per year'
set format y '%.0s %c'
plot sprintf('%s/dose_%s.dat', datadir, sweep) using 1:6:7 with filledcurves lc rgb col[2] title '5-95%', \
     '' using 1:5 with linespoints lw 2 pt 7 lc rgb col[2] title 'mean'
unset multiplot
