-- Value ratios (docs/methods.md section 5): value_ratio, value_ratio_ci and
-- cohort_ratio_ci against independent closed forms computed here in plain
-- SQL from sample moments (var_samp, covar_samp), edge statuses, errors,
-- forced parallel plans and the float8[] states.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE TABLE vr (id int, grp int, outcome float8, cost float8);
-- 3 groups of 40 patients; outcome roughly proportional to cost
INSERT INTO vr
SELECT i, i % 3, 0.2 * (100 + (i * 37) % 250) + ((i * 17) % 23) - 11,
       100 + (i * 37) % 250
FROM generate_series(1, 120) i;

-- value_ratio is sum(outcome) / sum(cost)
SELECT grp, value_ratio(outcome, cost) = sum(outcome) / sum(cost) AS same
FROM vr GROUP BY grp ORDER BY grp;
-- NULLs skip the row (both columns), empty or zero-cost groups give NULL
SELECT value_ratio(o, c) FROM (VALUES (1.0::float8, 2.0::float8), (NULL, 5), (3, NULL)) t(o, c);
SELECT value_ratio(outcome, cost) FROM vr WHERE false;
SELECT value_ratio(o, c) FROM (VALUES (1.0::float8, 2.0::float8), (1, -2)) t(o, c);
SELECT value_ratio(o, c) FROM (VALUES (1.0::float8, 'NaN'::float8)) t(o, c);
SELECT value_ratio(o, c) FROM (VALUES ('Infinity'::float8, 1.0::float8)) t(o, c);

-- Fieller: the roots of (mx^2 - z^2 vxx) R^2 - 2 (my mx - z^2 vxy) R
-- + (my^2 - z^2 vyy) = 0, v = sample (co)variance / n, z = 1.959963984540054
-- (95%) or 2.5758293035489 (99%). Delta: R +/- z sqrt(sum (y - R x)^2 /
-- (n (n - 1))) / mx. Both computed here from var_samp/covar_samp.
CREATE VIEW vr_moments AS
SELECT grp, count(*)::float8 AS n, avg(outcome) AS my, avg(cost) AS mx,
       var_samp(outcome) / count(*) AS vyy, var_samp(cost) / count(*) AS vxx,
       covar_samp(outcome, cost) / count(*) AS vxy,
       sum(outcome) / sum(cost) AS r
FROM vr GROUP BY grp;
CREATE VIEW vr_closed AS
SELECT m.grp, z.conf, r,
       (b - sqrt(b * b - a * c)) / a AS f_lower, (b + sqrt(b * b - a * c)) / a AS f_upper,
       r - z.z * sqrt(d.ss / (n * (n - 1))) / mx AS d_lower,
       r + z.z * sqrt(d.ss / (n * (n - 1))) / mx AS d_upper
FROM vr_moments m
CROSS JOIN (VALUES (0.95, 1.959963984540054), (0.99, 2.5758293035489004)) z(conf, z)
CROSS JOIN LATERAL (SELECT mx * mx - z.z ^ 2 * vxx AS a, my * mx - z.z ^ 2 * vxy AS b,
                           my * my - z.z ^ 2 * vyy AS c) q
CROSS JOIN LATERAL (SELECT sum((outcome - m.r * cost) ^ 2) AS ss FROM vr WHERE vr.grp = m.grp) d;

SELECT c.grp, c.conf, round(c.r::numeric, 10) AS ratio,
       round(c.f_lower::numeric, 10) AS fieller_lower, round(c.f_upper::numeric, 10) AS fieller_upper,
       abs(f.lower - c.f_lower) < 1e-12 AND abs(f.upper - c.f_upper) < 1e-12 AS fieller_ok,
       f.ratio = c.r AS ratio_ok, f.n, f.status,
       abs(d.lower - c.d_lower) < 1e-12 AND abs(d.upper - c.d_upper) < 1e-12 AS delta_ok,
       d.status AS delta_status
FROM vr_closed c
JOIN LATERAL (SELECT (value_ratio_ci(outcome, cost, c.conf::float8)).* FROM vr WHERE grp = c.grp) f ON true
JOIN LATERAL (SELECT (value_ratio_ci(outcome, cost, c.conf::float8, 'delta')).* FROM vr WHERE grp = c.grp) d ON true
ORDER BY 1, 2;
-- the 2-argument form is 95% Fieller
SELECT (SELECT value_ratio_ci(outcome, cost) FROM vr) =
       (SELECT value_ratio_ci(outcome, cost, 0.95, 'fieller') FROM vr) AS defaults_ok;

-- A worked example by hand: y = (1, 2, 3), x = (2, 2, 5).
-- my = 2, mx = 3, R = 6/9 = 2/3; var y = 1, var x = 3, cov = 1.5, n = 3,
-- so vyy = 1/3, vxx = 1, vxy = 0.5. With z = 1: a = 9 - 1 = 8,
-- b = 6 - 0.5 = 5.5, c = 4 - 1/3 = 11/3; roots (5.5 -/+ sqrt(30.25 -
-- 29.3333...)) / 8 = (5.5 -/+ 0.957427107756338) / 8
-- = 0.567821611530458, 0.807178388469542.
-- Delta: sum (y - 2/3 x)^2 = (1/3)^2 + (2/3)^2 + (1/3)^2 = 2/3; SE =
-- sqrt((2/3) / 6) / 3 = 1/9; R -/+ 1/9 = 0.555555555555556, 0.777777777777778.
-- z = 1 is confidence 2 Phi(1) - 1 = 0.682689492137086.
SELECT round(lower::numeric, 12) AS lower, round(upper::numeric, 12) AS upper, status
FROM (SELECT (value_ratio_ci(y, x, 0.6826894921370859)).* FROM (VALUES (1.0::float8, 2.0::float8), (2, 2), (3, 5)) t(y, x)) s;
SELECT round(lower::numeric, 12) AS lower, round(upper::numeric, 12) AS upper, status
FROM (SELECT (value_ratio_ci(y, x, 0.6826894921370859, 'delta')).* FROM (VALUES (1.0::float8, 2.0::float8), (2, 2), (3, 5)) t(y, x)) s;

-- Unbounded Fieller: costs whose mean is not significantly above zero.
-- x = (1, -1, 2, -1.5, 0.6): mx = 0.22, var x = 2.017, vxx = 0.4034,
-- g = z^2 vxx / mx^2 = 3.8415 * 0.4034 / 0.0484 = 32.0 >= 1.
SELECT 1.959963984540054 ^ 2 * (var_samp(x) / count(*)) / avg(x) ^ 2 AS g
FROM (VALUES (1.0::float8), (-1), (2), (-1.5), (0.6)) t(x);
SELECT (value_ratio_ci(y, x)).*
FROM (VALUES (1.0::float8, 1.0::float8), (2, -1), (1, 2), (3, -1.5), (2, 0.6)) t(y, x);
-- the delta method has no unbounded case
SELECT status, lower < ratio AND ratio < upper AS brackets
FROM (SELECT (value_ratio_ci(y, x, 0.95, 'delta')).*
      FROM (VALUES (1.0::float8, 1.0::float8), (2, -1), (1, 2), (3, -1.5), (2, 0.6)) t(y, x)) s;

-- statuses: no rows, one row, zero total cost, no spread at all
SELECT (value_ratio_ci(outcome, cost)).* FROM vr WHERE false;
SELECT (value_ratio_ci(o, c)).* FROM (VALUES (1.0::float8, 4.0::float8)) t(o, c);
SELECT (value_ratio_ci(o, c)).* FROM (VALUES (1.0::float8, 4.0::float8), (2, -4)) t(o, c);
SELECT (value_ratio_ci(o, c)).* FROM (VALUES (1.0::float8, 4.0::float8), (1, 4), (1, 4)) t(o, c);
-- errors: parameters out of range, unknown method, NULL or changing parameters
SELECT value_ratio_ci(outcome, cost, 1.5) FROM vr;
SELECT value_ratio_ci(outcome, cost, 95) FROM vr;
SELECT value_ratio_ci(outcome, cost, 0.95, 'bootstrap') FROM vr;
SELECT value_ratio_ci(outcome, cost, NULL) FROM vr;
SELECT value_ratio_ci(outcome, cost, 0.95, NULL) FROM vr;
SELECT value_ratio_ci_trans(NULL, 1, 2);
SELECT value_ratio_ci(outcome, cost, CASE WHEN id < 10 THEN 0.95 ELSE 0.9 END) FROM vr;
SELECT value_ratio_ci(outcome, cost, 0.95, CASE WHEN id < 10 THEN 'delta' ELSE 'fieller' END) FROM vr;
SELECT value_ratio_ci(outcome, 'NaN') FROM vr;

-- cohort_ratio_ci: ratio of means cohort / rest, Fieller with the two
-- means independent: a = m0^2 - z^2 v0, b = m1 m0, c = m1^2 - z^2 v1.
WITH g AS (
    SELECT avg(outcome) FILTER (WHERE grp = 0) AS m1, avg(outcome) FILTER (WHERE grp <> 0) AS m0,
           var_samp(outcome) FILTER (WHERE grp = 0) / count(*) FILTER (WHERE grp = 0) AS v1,
           var_samp(outcome) FILTER (WHERE grp <> 0) / count(*) FILTER (WHERE grp <> 0) AS v0
    FROM vr),
q AS (SELECT m1 / m0 AS r, m0 * m0 - 1.959963984540054 ^ 2 * v0 AS a, m1 * m0 AS b,
             m1 * m1 - 1.959963984540054 ^ 2 * v1 AS c FROM g)
SELECT round(q.r::numeric, 10) AS ratio,
       abs(s.ratio - q.r) < 1e-14 AS ratio_ok,
       abs(s.lower - (b - sqrt(b * b - a * c)) / a) < 1e-12 AS lower_ok,
       abs(s.upper - (b + sqrt(b * b - a * c)) / a) < 1e-12 AS upper_ok,
       s.n_cohort, s.n_rest, s.status
FROM q, (SELECT (cohort_ratio_ci(outcome, grp = 0)).* FROM vr) s;
-- worked example: cohort (4, 6), rest (1, 2, 3): m1 = 5, m0 = 2, ratio 2.5;
-- v1 = 2/2 = 1, v0 = 1/3; z = 1: a = 4 - 1/3 = 11/3, b = 10, c = 25 - 1 = 24;
-- roots (10 -/+ sqrt(100 - 88)) / (11/3) = (10 -/+ 3.464101615138) * 3/11
-- = 1.782517741326, 3.672027713219
SELECT round(ratio::numeric, 12) AS ratio, round(lower::numeric, 12) AS lower,
       round(upper::numeric, 12) AS upper, n_cohort, n_rest, status
FROM (SELECT (cohort_ratio_ci(v, c, 0.6826894921370859)).*
      FROM (VALUES (4.0::float8, true), (6, true), (1, false), (2, false), (3, false), (NULL, true), (9, NULL)) t(v, c)) s;
SELECT (cohort_ratio_ci(v, c)).* FROM (VALUES (4.0::float8, true), (1, false), (2, false)) t(v, c);
SELECT (cohort_ratio_ci(v, c)).* FROM (VALUES (4.0::float8, true), (5, true), (1, false), (-1, false)) t(v, c);
SELECT (cohort_ratio_ci(v, c)).* FROM (VALUES (4.0::float8, true), (5, true), (1, false), (-0.9, false)) t(v, c);
SELECT cohort_ratio_ci(v, c, 0) FROM (VALUES (4.0::float8, true)) t(v, c);

-- States: float8[] checked in every support function; text round trip
SELECT value_ratio_ci_final(value_ratio_ci_trans(value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2), 3, 4)::text::float8[]);
SELECT value_ratio_ci_final('{1,2}');
SELECT value_ratio_ci_combine('{0,0,0,0,0,0,0,0}', '{1,2,3}');
SELECT value_ratio_final('{1,NULL,3}');
SELECT cohort_ratio_ci_final('{{1,2},{3,4}}');
SELECT value_ratio_ci_final('{3,3,3,0,0,0,0.95,7}');
SELECT value_ratio_ci_combine(value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2, 0.9),
                              value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2, 0.95));
SELECT value_ratio_ci_combine(value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2, 0.9, 'delta'),
                              value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2, 0.9, 'fieller'));
-- combine of two partial states equals one pass (dyadic values: exact)
-- (co-moments by hand for (1,2), (3,4), (5,8): Syy = 8, Sxx = 18.6667,
-- Sxy = 12: sums 9 and 14, n = 3)
SELECT i, round(c::numeric, 10) AS combined, abs(c - o) < 1e-12 AS same_as_one_pass
FROM unnest(value_ratio_ci_combine(value_ratio_ci_trans(value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2), 3, 4),
                                   value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 5, 8)),
            value_ratio_ci_trans(value_ratio_ci_trans(value_ratio_ci_trans('{0,0,0,0,0,0,0,0}', 1, 2), 3, 4), 5, 8))
     WITH ORDINALITY AS t(c, o, i);

-- Forced parallel plans give the same results (values are multiples of
-- 1/8, so sums are exact in any order; co-moments agree to rounding).
CREATE TABLE vr_big AS
SELECT i, ((i * 7919) % 997) / 8.0 AS outcome, 50 + ((i::bigint * 104729) % 883) / 4.0 AS cost, i % 5 = 0 AS cohort
FROM generate_series(1, 200000) i;
ANALYZE vr_big;
CREATE TEMP TABLE serial AS
SELECT value_ratio(outcome, cost) AS vr, (value_ratio_ci(outcome, cost)).*,
       (cohort_ratio_ci(cost, cohort)) AS crc FROM vr_big;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT value_ratio(outcome, cost), value_ratio_ci(outcome, cost), cohort_ratio_ci(cost, cohort) FROM vr_big;
SELECT p.vr = s.vr AS ratio_same, p.ratio = s.ratio AS ci_ratio_same, p.n = s.n AS n_same,
       abs(p.lower - s.lower) < 1e-12 * abs(s.lower) AND abs(p.upper - s.upper) < 1e-12 * abs(s.upper) AS bounds_same,
       (p.crc).ratio = (s.crc).ratio AND abs((p.crc).lower - (s.crc).lower) < 1e-12 AS cohort_same
FROM serial s,
     (SELECT value_ratio(outcome, cost) AS vr, (value_ratio_ci(outcome, cost)).*,
             cohort_ratio_ci(cost, cohort) AS crc FROM vr_big) p;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- plain columns for BI: (f(...)).* or a lateral subquery
SELECT grp, (value_ratio_ci(outcome, cost)).status FROM vr GROUP BY grp ORDER BY grp;

-- finite input that overflows: 22003 naming the total, never NaN, never
-- status 'ok' beside NaN limits
SELECT value_ratio(o, c) FROM (VALUES (1e308::float8, 1e308::float8), (1e308, 1e308)) v(o, c);
SELECT value_ratio_ci(o, c) FROM (VALUES (1e308::float8, 1::float8), (1e308, 2), (1, 3)) v(o, c);
SELECT cohort_ratio_ci(v, c) FROM (VALUES (1e308::float8, true), (1e308, true), (1, false), (2, false)) t(v, c);
-- large but representable moments: the interval is computed at a scale
-- where it cannot overflow: the same bits as for the outcomes / 2^400
-- (powers of two scale every rounded step exactly), with either method
SELECT (a).lower * 2 ^ 400 = (b).lower AND (a).upper * 2 ^ 400 = (b).upper AS same_fieller,
       (ad).lower * 2 ^ 400 = (bd).lower AND (ad).upper * 2 ^ 400 = (bd).upper AS same_delta,
       (b).status
FROM (SELECT value_ratio_ci(o, c) AS b, value_ratio_ci(o / 2 ^ 400, c) AS a,
             value_ratio_ci(o, c, 0.95, 'delta') AS bd, value_ratio_ci(o / 2 ^ 400, c, 0.95, 'delta') AS ad
      FROM (VALUES (1e120::float8, 3e110::float8), (2e120, 2.5e110), (1.5e120, 1.2e110)) v(o, c)) s;

DROP TABLE vr, vr_big CASCADE;
