# Shared settings of the asylsim plots. Every script is run by asylsim as
#   gnuplot -e "datadir='...'; outdir='...'; fmt='png'|'svg'; names='a b ...'; nscn=N" SCRIPT
# and writes its figures into outdir. Titles, units and legends are set per figure.
if (fmt eq 'svg') {
    set terminal svg size 1200,800 dynamic font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1200,800 font 'Sans,11'
}
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lc rgb '#555555'
set key left top opaque box lc rgb '#bbbbbb'
set datafile separator "\t"
set style fill transparent solid 0.22 noborder
# A fixed palette, distinguishable in print.
array col[14] = ['#1b4f9c', '#d1495b', '#2e933c', '#edae49', '#66459b', '#00798c', '#8b5e34', '#e86a92', '#4d4d4d', '#30a9de', '#9bc53d', '#7a0019', '#f28e2b', '#b07aa1']
