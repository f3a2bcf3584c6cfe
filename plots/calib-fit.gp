# Calibration fit: one panel per target series, the observed value (black, +- its sd) beside the
# fitted scenario's mean and 5-95% band (blue), from fit.csv. Run by asylsim calibrate as
#   gnuplot -e "dir='OUT'; series='a b ...'; nparams=K" calib-fit.gp
# and writes OUT/plots/fit.png and fit.svg.
set datafile separator ','
set grid lc rgb '#dddddd'
set border lc rgb '#555555'
set xtics rotate by 45 right font ',8'
set bars 0.4
f = dir.'/fit.csv'
n = words(series)
cols = ceil(sqrt(n))
rows = ceil(n * 1.0 / cols)
do for [fmt in 'png svg'] {
    if (fmt eq 'svg') {
        set terminal svg size 1600,1100 dynamic font 'Sans,10' background '#ffffff'
    } else {
        set terminal pngcairo size 1600,1100 font 'Sans,10'
    }
    set termoption noenhanced
    set output sprintf('%s/plots/fit.%s', dir, fmt)
    set multiplot layout rows,cols title 'Observed (black, +- sd) and simulated (blue: mean, 5-95%) per target'
    do for [i = 1:n] {
        s = word(series, i)
        # The rows of this series (they are consecutive in fit.csv) and its value range; stats
        # honours the ranges, so they are reset first.
        set xrange [*:*]
        set yrange [*:*]
        stats f skip 1 using (strcol(1) eq s ? $0 : NaN) nooutput
        r0 = STATS_min
        r1 = STATS_max
        stats f skip 1 every ::r0::r1 using ($6 < $3 - $4 ? $6 : $3 - $4) nooutput
        lo = STATS_min
        stats f skip 1 every ::r0::r1 using ($7 > $3 + $4 ? $7 : $3 + $4) nooutput
        hi = STATS_max
        pad = (hi > lo ? hi - lo : 1) * 0.08
        set xrange [r0 - 0.6:r1 + 0.6]
        set yrange [lo - pad:hi + pad]
        set title s
        set key top right font ',8'
        plot f skip 1 every ::r0::r1 using ($0 + r0 - 0.12):5:6:7:xtic(2) with yerrorbars pt 7 ps 0.8 lc rgb '#1b4f9c' title 'simulated', \
             f skip 1 every ::r0::r1 using ($0 + r0 + 0.12):3:4 with yerrorbars pt 5 ps 0.8 lc rgb '#000000' title 'observed'
    }
    unset multiplot
}
