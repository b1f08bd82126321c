# test/demo/report/30_value_funnel.gp -- draws the GP practice funnel from
# the rows test/demo/report/30_value.sql writes (funnel_limits and points).
set terminal svg size 900,600 dynamic font "Sans,12" background rgb "white"
set output "test/demo/out/funnel.svg"
set datafile separator "\t"
set title "Emergency admissions: share of registered people admitted, by GP practice\n(funnel: pooled target, 95% and 99.8% limits with additive over-dispersion)"
set xlabel "Registered people"
set ylabel "People with at least one emergency admission (%)"
set key outside right top
set grid lc rgb "#dddddd"
set yrange [0:20]
set xrange [0:*]
plot "test/demo/out/funnel_limits.tsv" using 1:6 with lines lw 2 lc rgb "#333333" title "target", \
     "" using 1:3 with lines lw 1.5 dt 2 lc rgb "#1f77b4" title "95% limits", \
     "" using 1:2 with lines lw 1.5 dt 2 lc rgb "#1f77b4" notitle, \
     "" using 1:5 with lines lw 1.5 lc rgb "#d62728" title "99.8% limits", \
     "" using 1:4 with lines lw 1.5 lc rgb "#d62728" notitle, \
     "test/demo/out/funnel_points.tsv" using 1:(stringcolumn(3) eq "within" ? $2 : 1/0) with points pt 7 ps 0.8 lc rgb "#555555" title "within", \
     "" using 1:(stringcolumn(3) eq "high" ? $2 : 1/0) with points pt 7 ps 1.1 lc rgb "#d62728" title "high (95%)", \
     "" using 1:(stringcolumn(3) eq "low" ? $2 : 1/0) with points pt 7 ps 1.1 lc rgb "#1f77b4" title "low (95%)"
