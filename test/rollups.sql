-- test/rollups.sql -- README "Rollups from stored states": for every aggregate
-- family whose result cannot be re-aggregated from its outputs, the route
-- that rolls a fine grain kept in a materialised view (here temp tables over
-- the demo place: practice x segment, practice x IMD quintile x age band,
-- practice x month) up to a coarser one, and the proof that the rolled-up
-- figure equals the one computed directly from the people or the activity.
-- "Exact": equal as text with extra_float_digits = 1 (every bit), composites
-- included; the additive columns are counts, whose float8 sums are exact.
-- "1e-12": relative, where the route adds non-integer values (costs, QoL)
-- in another order or in another grouping.
-- Families without a route (value_ratio_ci, cohort_ratio_ci, mean_ci: their
-- intervals need person-level variances) are listed in the README, untested
-- here because there is nothing to roll up.
BEGIN;
SELECT plan(18);
SET LOCAL extra_float_digits = 1;

CREATE TEMP TABLE r_person AS
SELECT p.person_id, p.practice_code, p.segment, p.imd_decile, (p.imd_decile + 1) / 2 AS quintile,
       least(p.age / 5, 18) AS band5, life_table_band(p.age) AS le_band,
       p.died::int::float8 AS died, o.emergency_admissions::float8 AS admissions,
       o.qol, c.total_cost
FROM demo.person p JOIN demo.person_cost c USING (person_id) JOIN demo.outcome o USING (person_id);

CREATE FUNCTION pg_temp.close(a float8, b float8, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS
$$ SELECT a IS NOT DISTINCT FROM b OR abs(a - b) <= tol * greatest(abs(a), abs(b)) $$;

-- 1. Concentration (top_share, gini, cost_profile, lorenz_curve): stored
-- states. value_list_agg(cost) per practice x segment, merged by
-- value_list_agg(state) under GROUP BY ROLLUP (segment): exact.
CREATE TEMP TABLE r_states AS
SELECT practice_code, segment, value_list_agg(total_cost) AS costs
FROM r_person GROUP BY practice_code, segment;
SELECT results_eq(
    $$SELECT segment, top_share(total_cost, 0.2)::text, top_share(total_cost, 0.01)::text,
             gini(total_cost)::text, gini(total_cost, true)::text, cost_profile(total_cost)::text,
             (SELECT array_agg(l ORDER BY l.population_share) FROM lorenz_curve(array_agg(total_cost), 20) l)::text
      FROM r_person GROUP BY ROLLUP (segment) ORDER BY segment NULLS LAST$$,
    $$SELECT segment, top_share(s, 0.2)::text, top_share(s, 0.01)::text,
             gini(s)::text, gini(s, true)::text, cost_profile(s)::text,
             (SELECT array_agg(l ORDER BY l.population_share) FROM lorenz_curve(s, 20) l)::text
      FROM (SELECT segment, value_list_agg(costs) AS s FROM r_states GROUP BY ROLLUP (segment)) r
      ORDER BY segment NULLS LAST$$,
    'concentration: states per practice x segment rolled up to segment and everyone = the aggregates over the people (exact)');

-- 2. value_ratio: sum(outcome) and sum(cost) per practice x segment; the
-- aggregate re-run over those rows (1e-12: float sums in another grouping).
CREATE TEMP TABLE r_fine AS
SELECT practice_code, segment, quintile, band5, le_band, imd_decile,
       sum(died) AS deaths, count(*)::float8 AS persons, sum(admissions) AS admissions,
       sum(qol) AS qol, sum(total_cost) AS cost
FROM r_person GROUP BY practice_code, segment, quintile, band5, le_band, imd_decile;
SELECT is((SELECT count(*) FILTER (WHERE pg_temp.close(d.v, r.v))
           FROM (SELECT segment, value_ratio(qol, total_cost) AS v FROM r_person GROUP BY segment) d
           JOIN (SELECT segment, value_ratio(qol, cost) AS v FROM r_fine GROUP BY segment) r USING (segment)),
          7::bigint,
          'value_ratio: re-run over sum(outcome), sum(cost) per fine row = over the people (1e-12)');

-- 3. proportion and crude_rate: x and n per fine row are additive; the
-- aggregates re-run over the fine rows (exact).
SELECT results_eq(
    $$SELECT segment, proportion(died, 1)::text, crude_rate(admissions, 1, 0.95, 1000)::text
      FROM r_person GROUP BY segment ORDER BY segment$$,
    $$SELECT segment, proportion(deaths, persons)::text, crude_rate(admissions, persons, 0.95, 1000)::text
      FROM r_fine GROUP BY segment ORDER BY segment$$,
    'proportion, crude_rate: re-run over x and n per fine row = over the people (exact)');

-- 4. dsr (independent events): events and population per area x age band
-- are additive; sum them to the target area x band, then dsr over one row
-- per band (the standard population is the band's). Exact with the bands
-- fed in one order (ORDER BY in the call): dsr's own float sums over the
-- bands depend on their order in the last bits, as in any plan.
SELECT results_eq(
    $$SELECT quintile, dsr(x, n, esp2013_weight(band5 * 5) ORDER BY band5)::text
      FROM (SELECT quintile, band5, sum(died) AS x, count(*)::float8 AS n
            FROM r_person GROUP BY quintile, band5) b
      GROUP BY quintile ORDER BY quintile$$,
    $$SELECT quintile, dsr(x, n, esp2013_weight(band5 * 5) ORDER BY band5)::text
      FROM (SELECT quintile, band5, sum(deaths) AS x, sum(persons) AS n
            FROM r_fine GROUP BY quintile, band5) b
      GROUP BY quintile ORDER BY quintile$$,
    'dsr: events and population per practice x quintile x band summed to quintile x band = from the people (exact)');

-- 5. dsr (non-independent events): persons per area x band x event
-- frequency and the population per area x band are additive (exact).
CREATE TEMP TABLE r_freq AS
SELECT practice_code, quintile, band5, admissions AS frequency, count(*)::float8 AS persons
FROM r_person GROUP BY practice_code, quintile, band5, admissions;
SELECT results_eq(
    $$SELECT f.quintile, dsr(f.persons, p.n, esp2013_weight(f.band5 * 5), f.frequency, f.band5::text)::text
      FROM (SELECT quintile, band5, admissions AS frequency, count(*)::float8 AS persons
            FROM r_person GROUP BY 1, 2, 3) f
      JOIN (SELECT quintile, band5, count(*)::float8 AS n FROM r_person GROUP BY 1, 2) p USING (quintile, band5)
      GROUP BY f.quintile ORDER BY f.quintile$$,
    $$SELECT f.quintile, dsr(f.persons, p.n, esp2013_weight(f.band5 * 5), f.frequency, f.band5::text)::text
      FROM (SELECT quintile, band5, frequency, sum(persons) AS persons FROM r_freq GROUP BY 1, 2, 3) f
      JOIN (SELECT quintile, band5, sum(persons) AS n FROM r_fine GROUP BY 1, 2) p USING (quintile, band5)
      GROUP BY f.quintile ORDER BY f.quintile$$,
    'dsr (non-independent): persons per band x frequency and populations summed to the target = from the people (exact)');

-- 6. isr and isr_rate: observed events and population per area x band are
-- additive; the reference is per band (exact, the bands in one order).
SELECT results_eq(
    $$SELECT b.quintile, isr(b.x, b.n, r.x, r.n ORDER BY b.band5)::text, isr_rate(b.x, b.n, r.x, r.n ORDER BY b.band5)::text
      FROM (SELECT quintile, band5, sum(died) AS x, count(*)::float8 AS n FROM r_person GROUP BY 1, 2) b
      JOIN (SELECT band5, sum(died) AS x, count(*)::float8 AS n FROM r_person GROUP BY 1) r USING (band5)
      GROUP BY b.quintile ORDER BY b.quintile$$,
    $$SELECT b.quintile, isr(b.x, b.n, r.x, r.n ORDER BY b.band5)::text, isr_rate(b.x, b.n, r.x, r.n ORDER BY b.band5)::text
      FROM (SELECT quintile, band5, sum(deaths) AS x, sum(persons) AS n FROM r_fine GROUP BY 1, 2) b
      JOIN (SELECT band5, sum(deaths) AS x, sum(persons) AS n FROM r_fine GROUP BY 1) r USING (band5)
      GROUP BY b.quintile ORDER BY b.quintile$$,
    'isr, isr_rate: observed and population per band summed to the target = from the people (exact)');

-- 7. life_expectancy: rows of the same band add up inside the aggregate,
-- so it re-runs over deaths and population per fine row as they are (exact).
SELECT results_eq(
    $$SELECT quintile, life_expectancy(died, 1, le_band)::text FROM r_person GROUP BY quintile ORDER BY quintile$$,
    $$SELECT quintile, life_expectancy(deaths, persons, le_band)::text FROM r_fine GROUP BY quintile ORDER BY quintile$$,
    'life_expectancy: re-run over deaths and population per practice x band = over the people (exact)');

-- 8. sii: numerator and denominator per area x quantile are additive; sum
-- them to the target x quantile, take each quantile's value and limits
-- (here crude_rate of emergency admissions), then sii over one row per
-- quantile (exact).
SELECT results_eq(
    $$SELECT segment, sii((r).value, n, quintile, (r).lower, (r).upper ORDER BY quintile)::text
      FROM (SELECT segment, quintile, crude_rate(admissions, 1, 0.95, 1000) AS r, count(*)::float8 AS n
            FROM r_person GROUP BY segment, quintile) q
      GROUP BY segment ORDER BY segment$$,
    $$SELECT segment, sii((r).value, n, quintile, (r).lower, (r).upper ORDER BY quintile)::text
      FROM (SELECT segment, quintile, crude_rate(a, n, 0.95, 1000) AS r, sum(n) AS n
            FROM (SELECT segment, quintile, sum(admissions) AS a, sum(persons) AS n
                  FROM r_fine GROUP BY segment, quintile) s
            GROUP BY segment, quintile) q
      GROUP BY segment ORDER BY segment$$,
    'sii: numerator and denominator per practice x quintile summed to segment x quintile = from the people (exact)');

-- 9. funnel_fit: one row per unit (practice); its numerator and
-- denominator are sums over the fine rows (exact).
SELECT results_eq(
    $$SELECT funnel_fit(x, n)::text FROM (SELECT practice_code, sum(died) AS x, count(*)::float8 AS n
                                        FROM r_person GROUP BY practice_code) u$$,
    $$SELECT funnel_fit(x, n)::text FROM (SELECT practice_code, sum(deaths) AS x, sum(persons) AS n
                                        FROM r_fine GROUP BY practice_code) u$$,
    'funnel_fit: numerator and denominator per practice summed from practice x segment = from the people (exact)');

-- 10. peer_benchmark and peer_space: their rows are units already; keep
-- the numerator and denominator of each unit's value (exact).
SELECT results_eq(
    $$SELECT peer_benchmark(x / n)::text, peer_benchmark(x / n, 3, false)::text
      FROM (SELECT practice_code, sum(died) AS x, count(*)::float8 AS n FROM r_person GROUP BY 1) u$$,
    $$SELECT peer_benchmark(x / n)::text, peer_benchmark(x / n, 3, false)::text
      FROM (SELECT practice_code, sum(deaths) AS x, sum(persons) AS n FROM r_fine GROUP BY 1) u$$,
    'peer_benchmark: unit values from summed numerators and denominators = from the people (exact)');
SELECT results_eq(
    $$SELECT l.* FROM (SELECT peer_space(practice_code, ARRAY[x / n, a / n]) AS s
                       FROM (SELECT practice_code, sum(died) AS x, sum(admissions) AS a, count(*)::float8 AS n
                             FROM r_person GROUP BY 1) u) p, nearest_peers(p.s, 5) l$$,
    $$SELECT l.* FROM (SELECT peer_space(practice_code, ARRAY[x / n, a / n]) AS s
                       FROM (SELECT practice_code, sum(deaths) AS x, sum(admissions) AS a, sum(persons) AS n
                             FROM r_fine GROUP BY 1) u) p, nearest_peers(p.s, 5) l$$,
    'peer_space, nearest_peers: unit features from summed numerators and denominators = from the people (exact)');

-- 11. spc_chart and trend_marker: one row per period; numerator and
-- denominator per unit x period are additive (exact). Non-elective share
-- of all activity, by month, from practice x month.
CREATE TEMP TABLE r_month AS
SELECT p.practice_code, date_trunc('month', a.activity_date)::date AS month,
       count(*) FILTER (WHERE a.setting = 'Non-elective')::float8 AS nel, count(*)::float8 AS activity
FROM demo.activity a JOIN demo.person p USING (person_id)
GROUP BY 1, 2;
CREATE TEMP VIEW r_month_direct AS
SELECT date_trunc('month', activity_date)::date AS month,
       count(*) FILTER (WHERE setting = 'Non-elective')::float8 AS nel, count(*)::float8 AS activity
FROM demo.activity GROUP BY 1;
CREATE TEMP VIEW r_month_rolled AS
SELECT month, sum(nel) AS nel, sum(activity) AS activity FROM r_month GROUP BY month;
SELECT results_eq(
    $$SELECT spc_chart(month, nel, activity)::text, spc_chart(month, nel)::text FROM r_month_direct$$,
    $$SELECT spc_chart(month, nel, activity)::text, spc_chart(month, nel)::text FROM r_month_rolled$$,
    'spc_chart: numerator and denominator per practice x month summed to month = from the activity (exact)');
SELECT results_eq(
    $$SELECT trend_marker(extract(month FROM month)::int + 12 * extract(year FROM month)::int, nel, activity)::text
      FROM r_month_direct$$,
    $$SELECT trend_marker(extract(month FROM month)::int + 12 * extract(year FROM month)::int, nel, activity)::text
      FROM r_month_rolled$$,
    'trend_marker: numerator and denominator per practice x month summed to month = from the activity (exact)');

-- 12. concentration_index with grouped ranks (IMD decile): the outcome's
-- sum and the count per area x decile; re-run with the mean outcome as
-- outcome and the count as weight. Tied ranks share their block's
-- midpoint, so the weighted covariance is the people's, but summed over
-- a few hundred rows instead of 300,000 rounded terms: 1e-11 relative (measured
-- 1.9e-12 over everyone).
SELECT ok((SELECT pg_temp.close(
              (SELECT concentration_index(admissions, imd_decile) FROM r_person),
              (SELECT concentration_index(a / n, imd_decile, n)
               FROM (SELECT practice_code, imd_decile, sum(admissions) AS a, sum(persons) AS n
                     FROM r_fine GROUP BY 1, 2) g), 1e-11)),
          'concentration_index (ranks by decile): mean outcome and count per practice x decile, weighted = over the people (1e-11)');
SELECT ok((SELECT pg_temp.close(
              (SELECT concentration_index(admissions, imd_decile) FROM r_person WHERE segment = 'Frailty and dementia'),
              (SELECT concentration_index(a / n, imd_decile, n)
               FROM (SELECT imd_decile, sum(admissions) AS a, sum(persons) AS n
                     FROM r_fine WHERE segment = 'Frailty and dementia' GROUP BY 1) g), 1e-11)),
          'concentration_index (ranks by decile), one segment, summed to decile first (1e-11)');

-- 13. The routes need the additive columns, not the aggregates' outputs:
-- averaging the segments' Gini or summing their DSRs is not the total's.
SELECT isnt((SELECT gini(total_cost) FROM r_person),
            (SELECT avg(g) FROM (SELECT gini(total_cost) AS g FROM r_person GROUP BY segment) s),
            'the Gini of everyone is not the mean of the segments'' (why states are kept)');
SELECT ok((SELECT gini(value_list_agg(costs)) FROM r_states) = (SELECT gini(total_cost) FROM r_person),
          'the Gini of everyone from the practice x segment states alone (exact)');
SELECT ok((SELECT top_share(value_list_agg(costs), 0.05) FROM r_states) = (SELECT top_share(total_cost, 0.05) FROM r_person),
          'the top 5% share of everyone from the practice x segment states alone (exact)');

SELECT * FROM finish();
ROLLBACK;
