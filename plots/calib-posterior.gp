# ABC-SMC posterior marginals: a weighted histogram (25 bins over the particles' range) of each
# parameter of posterior.csv (columns 4 .. 3 + nparams). Run by asylsim calibrate as
#   gnuplot -e "dir='OUT'; nparams=K" calib-posterior.gp
# and writes OUT/plots/posterior.png and posterior.svg.
set datafile separator ','
set grid lc rgb '#dddddd'
set border lc rgb '#555555'
set style fill solid 0.5 border lc rgb '#1b4f9c'
set format x '%.3g'
f = dir.'/posterior.csv'
cols = ceil(sqrt(nparams))
rows = ceil(nparams * 1.0 / cols)
do for [fmt in 'png svg'] {
    if (fmt eq 'svg') {
        set terminal svg size 1600,1100 dynamic font 'Sans,10' background '#ffffff'
    } else {
        set terminal pngcairo size 1600,1100 font 'Sans,10'
    }
    set termoption noenhanced
    set output sprintf('%s/plots/posterior.%s', dir, fmt)
    set multiplot layout rows,cols title 'Posterior marginals (weighted particles of the last population)'
    do for [j = 1:nparams] {
        c = 3 + j
        set xrange [*:*]
        set yrange [*:*]
        stats f skip 1 using c nooutput
        lo = STATS_min
        w = (STATS_max > STATS_min ? STATS_max - STATS_min : 1) / 25.0
        hi = STATS_max
        set xrange [lo - w:hi + w]
        set boxwidth w
        # The parameter's name above the panel (a key inside it hid bars).
        set key tmargin center horizontal font ',10' samplen 1
        set tmargin 2.5
        plot f using (lo + w * (floor((column(c) - lo) / w) + 0.5)):2 smooth frequency with boxes lc rgb '#1b4f9c' title columnhead(c)
        set xrange [*:*]
    }
    unset multiplot
}
