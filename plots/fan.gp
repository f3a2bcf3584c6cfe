# Fan charts: four key stocks of each scenario, mean and 5-95% band over replications.
load 'common.gp'
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y'
set xtics 63115200
set ylabel 'persons (stock at month end)'
panels = 'protected_in_latvia housed employed in_reception'
ptitles = "'Protected persons in Latvia' 'Protected persons housed in the community' 'Adults in paid work' 'Persons in the reception centre'"
do for [k = 0:nscn-1] {
    set output sprintf('%s/fan_%s.%s', outdir, word(names, k + 1), fmt)
    set multiplot layout 2,2 title sprintf('%s: key stocks, mean and 5-95%% band over replications', word(names, k + 1))
    do for [j = 1:4] {
        set title word(ptitles, j)
        c = 2 + 3 * (j - 1)
        plot sprintf('%s/fan_%d.dat', datadir, k) using 1:(column(c + 1)):(column(c + 2)) with filledcurves lc rgb col[j] title '5-95%', \
             '' using 1:(column(c)) with lines lw 2 lc rgb col[j] title 'mean'
    }
    unset multiplot
}
