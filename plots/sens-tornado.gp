# Tornado plots of a sensitivity study: per output, the 15 largest one-at-a-time swings of
# tornado.csv, the bar running from the unchanged scenario's value to the value with the
# parameter at its lower (blue) or upper (red) bound. Run by asylsim sensitivity as
#   gnuplot -e "dir='OUT'; outputs='a b ...'" sens-tornado.gp
# and writes OUT/plots/tornado-<output>.png and .svg.
set datafile separator ','
set grid x lc rgb '#dddddd'
set border lc rgb '#555555'
set yrange [15.7:0.3]
set ytics font ',9'
set format x '%.4g'
set key bottom right
set style fill solid 0.6 noborder
f = dir.'/tornado.csv'
top = 15
do for [fmt in 'png svg'] {
    if (fmt eq 'svg') {
        set terminal svg size 1200,800 dynamic font 'Sans,11' background '#ffffff'
    } else {
        set terminal pngcairo size 1200,800 font 'Sans,11'
    }
    set termoption noenhanced
    do for [i = 1:words(outputs)] {
        o = word(outputs, i)
        set output sprintf('%s/plots/tornado-%s.%s', dir, o, fmt)
        set title sprintf('%s: one parameter at a time at its lower and upper bound', o)
        # ytic() labels every row read, plotted or not: rows of other outputs (and below the top)
        # are put at y = 1000 + row, off the plot, so that their labels cannot take this output's
        # ranks.
        plot f skip 1 using (strcol(1) eq o && $2 <= top ? ($4 + $5) / 2 : NaN):(strcol(1) eq o && $2 <= top ? $2 : 1000 + $0):(abs($5 - $4) / 2):(0.35):ytic(3) with boxxyerror lc rgb '#1b4f9c' title 'lower bound', \
             f skip 1 using (strcol(1) eq o && $2 <= top ? ($4 + $6) / 2 : NaN):2:(abs($6 - $4) / 2):(0.35) with boxxyerror lc rgb '#d1495b' title 'upper bound'
    }
}
