# test/demo/report/45_spc.gp -- draws the weekly emergency admissions SPC
# chart from the rows test/demo/report/45_spc.sql writes (spc_points).
set terminal svg size 1000,560 dynamic font "Sans,12" background rgb "white"
set output "test/demo/out/spc.svg"
set datafile separator "\t"
set title "Emergency admissions per week (XmR chart, Making Data Count rules;\nrebased in the week of 7 October 2024; fewer is better)"
set xdata time
set timefmt "%Y-%m-%d"
set format x "%b %Y"
set xlabel "Week"
set ylabel "Emergency admissions"
set key outside right top
set grid lc rgb "#dddddd"
plot "test/demo/out/spc_points.tsv" using 1:3 with steps lw 2 lc rgb "#333333" title "centre", \
     "" using 1:5 with steps lw 1.5 dt 2 lc rgb "#d62728" title "process limits", \
     "" using 1:4 with steps lw 1.5 dt 2 lc rgb "#d62728" notitle, \
     "" using 1:7 with steps lw 1 dt 3 lc rgb "#999999" title "near (2 sigma)", \
     "" using 1:6 with steps lw 1 dt 3 lc rgb "#999999" notitle, \
     "" using 1:2 with lines lw 1 lc rgb "#555555" notitle, \
     "" using 1:(stringcolumn(8) eq "common_cause" ? $2 : 1/0) with points pt 7 ps 0.7 lc rgb "#555555" title "common cause", \
     "" using 1:(stringcolumn(8) eq "special_cause_improvement" ? $2 : 1/0) with points pt 7 ps 1.1 lc rgb "#1f77b4" title "improvement", \
     "" using 1:(stringcolumn(8) eq "special_cause_concern" ? $2 : 1/0) with points pt 7 ps 1.1 lc rgb "#ff7f0e" title "concern"
