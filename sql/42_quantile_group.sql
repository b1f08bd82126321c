-- quantile_group against the published expectations of PHEindicatormethods
-- 2.1.0 phe_quantile (test/data/reference-tests/phe/quantile.csv): every
-- quantile number exactly, including ties and partitions too small to split.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE TEMP TABLE q (groupset text, test text, group_key text, indsexref text,
    parentcode text, areacode text, value float8, invert boolean, nquantiles int,
    upstream_rank int, expected_quantile int);
\copy q FROM 'test/data/reference-tests/phe/quantile.csv' WITH (FORMAT csv, HEADER, NULL 'NA')

-- one partition per (group set, group key, invert, number of quantiles):
-- upstream assigned the ungrouped set ("None") over the Gooddata and
-- GooddataDups rows together (see upstream_rank, which runs to 485)
CREATE TEMP TABLE got AS
SELECT q.*, quantile_group(value, nquantiles, invert)
       OVER (PARTITION BY groupset, group_key, invert, nquantiles) AS quantile
FROM q;
SELECT groupset, test, invert, nquantiles, count(*) AS rows,
       count(expected_quantile) AS assigned,
       count(*) FILTER (WHERE quantile IS DISTINCT FROM expected_quantile) AS mismatches
FROM got GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- ties share a group (GooddataDups, highest value first)
SELECT areacode, value, quantile FROM got
WHERE groupset = 'IndSexReg' AND test = 'GooddataDups' AND invert
ORDER BY value DESC, areacode;

-- default invert = true; named arguments work for window functions
SELECT v, quantile_group(v, 2) OVER () AS inverted,
       quantile_group(v, 2, invert => false) OVER () AS direct
FROM (VALUES (1.0), (2.0), (3.0), (4.0)) t(v) ORDER BY v;
-- NULL and NaN values get no group and are not counted; fewer values than
-- groups gives NULL for every row; NULL groups gives NULL
SELECT v, quantile_group(v, 2) OVER () FROM (VALUES (1.0), (NULL), ('nan'), (3.0)) t(v) ORDER BY v;
SELECT v, quantile_group(v, 5) OVER () FROM (VALUES (1.0), (2.0), (3.0)) t(v) ORDER BY v;
SELECT v, quantile_group(v, NULL) OVER () FROM (VALUES (1.0), (2.0)) t(v) ORDER BY v;

-- errors
SELECT quantile_group(v, 0) OVER () FROM (VALUES (1.0)) t(v);
SELECT quantile_group(v, 2) OVER () FROM (VALUES (1.0), ('infinity')) t(v);
SELECT quantile_group(v, g) OVER () FROM (VALUES (1.0, 2), (2.0, 3)) t(v, g);
