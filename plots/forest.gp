# Forest plot: each reform's effect (mean and 5-95%) on the persons granted status from the reform
# start, 24 months after status, and its net cost per year.
load 'common.gp'
if (fmt eq 'svg') {
    set terminal svg size 1400,900 dynamic font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1400,900 font 'Sans,11'
}
set termoption noenhanced
set output sprintf('%s/forest.%s', outdir, fmt)
set multiplot title 'Reform minus baseline: mean and 5-95% interval over paired replications'
set yrange [-0.6:nref - 0.4]
set ytics () font ',10'
do for [k = 0:nref-1] { set ytics add (word(refs, k + 1) k) }
set grid x
set grid noytics
set xzeroaxis
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#000000' lw 1
set key outside bottom center horizontal
set xtics auto format '%g'
set lmargin at screen 0.33
set rmargin at screen 0.64
set tmargin at screen 0.92
set bmargin at screen 0.16
set title '24 months after status (percentage points)'
set xlabel 'percentage points'
plot sprintf('%s/forest.dat', datadir) using 2:($0 - 0.22):3:4 with xerrorbars pt 7 lc rgb col[1] title 'housed', \
     '' using 5:($0):6:7 with xerrorbars pt 5 lc rgb col[2] title 'employed', \
     '' using 8:($0 + 0.22):9:10 with xerrorbars pt 9 lc rgb col[3] title 'in Latvia'
set lmargin at screen 0.70
set rmargin at screen 0.97
set title 'Net budget cost per year'
set xlabel 'EUR per year'
set format x '%.1s %c'
set xtics auto rotate by -30
set ytics ()
do for [k = 0:nref-1] { set ytics add ('' k) }
plot sprintf('%s/forest.dat', datadir) using 11:($0):12:13 with xerrorbars pt 7 lc rgb col[5] title 'net cost (expenditure - tax revenue)'
unset multiplot
