# Cost-effectiveness: extra persons housed 24 months after status against the net cost per year,
# one numbered point per reform (mean, with 5-95% bars), the numbers listed in the key.
load 'common.gp'
if (fmt eq 'svg') {
    set terminal svg size 1500,850 dynamic font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1500,850 font 'Sans,11'
}
set termoption noenhanced
set output sprintf('%s/cost_effectiveness.%s', outdir, fmt)
set title 'Reforms: extra persons housed 24 months after status vs net budget cost (mean, 5-95%)'
set xlabel 'extra persons housed at 24 months (persons granted status from the reform start)'
set ylabel 'net budget cost per year (EUR)'
set format y '%.1s %c'
set xzeroaxis lt 1 lc rgb '#000000'
set yzeroaxis lt 1 lc rgb '#000000'
set rmargin at screen 0.66
set key at screen 0.99, screen 0.9 right top Left reverse font ',10'
f = sprintf('%s/ce.dat', datadir)
plot for [k = 0:nref-1] f every ::k::k using 2:5:3:4:6:7 with xyerrorbars pt 7 ps 1.3 lc rgb col[k % 14 + 1] title sprintf('%d  %s', k + 1, word(refs, k + 1)), \
     for [k = 0:nref-1] f every ::k::k using 2:5:(sprintf('%d', k + 1)) with labels offset 0.9,0.7 font ',11' notitle
