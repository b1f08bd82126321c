-- test/platform/mviews.sql -- materialised views over test/platform/fixture.sql
-- that use every aggregate, window function and set-returning function of
-- value_ext (test/platform/mv_restore.sh fails when one is not used here),
-- each with a unique index on plain columns so REFRESH ... CONCURRENTLY works.
-- The extension lives in schema analytics, off the search_path: every call
-- is qualified, as a DBA's views would be. Composite results are expanded to
-- plain columns through a subquery, the pattern the README recommends.
--
-- Views over functions that have not landed yet are wrapped in
--   SELECT mv_setup.present('analytics.f(argtypes)', ...) \gset  \if :present ... \endif
-- so they start counting the moment the functions exist with those signatures.
CREATE SCHEMA mv_setup;
CREATE FUNCTION mv_setup.present(VARIADIC signatures text[], OUT present boolean)
LANGUAGE plpgsql AS $$
BEGIN
    present := NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(signatures) s
                           WHERE pg_catalog.to_regprocedure(s) IS NULL);
EXCEPTION WHEN undefined_object THEN   -- an argument type that does not exist yet
    present := false;
END $$;

CREATE SCHEMA mv;

-- Identifiers (50_nhs_number): valid and normalised NHS numbers per practice.
CREATE MATERIALIZED VIEW mv.practice_identifiers AS
SELECT p.practice_code,
       count(*) AS people,
       count(*) FILTER (WHERE analytics.nhs_number_is_valid(p.nhs_number)) AS valid_numbers,
       count(DISTINCT analytics.nhs_number_normalize(
           substr(p.nhs_number, 1, 3) || ' ' || substr(p.nhs_number, 4, 3) || ' '
           || substr(p.nhs_number, 7))) AS distinct_numbers
FROM fixture.person p
GROUP BY p.practice_code
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_identifiers (practice_code);

-- Deprivation from where people live (10_deprivation, 11_postcode): read
-- through postcode_lookup, which pg_dump carries as extension config data,
-- so the restore's refresh finds it.
CREATE MATERIALIZED VIEW mv.home_deprivation AS
SELECT coalesce(analytics.imd_decile_for_postcode(h.postcode), 0) AS imd2019_decile,
       count(*) AS people,
       count(DISTINCT analytics.lsoa_for_postcode(h.postcode)) AS lsoas,
       count(*) FILTER (WHERE analytics.is_core20(analytics.imd_decile(analytics.lsoa_for_postcode(h.postcode)))) AS core20,
       count(*) FILTER (WHERE analytics.imd_decile_for_postcode(h.postcode, 2025) <= 2) AS core20_2025,
       count(DISTINCT analytics.postcode_normalize(h.postcode)) AS postcodes
FROM fixture.home h
GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.home_deprivation (imd2019_decile);

-- Public health (40_rates): proportions, crude rates and means by segment,
-- every overload.
CREATE MATERIALIZED VIEW mv.segment_rates AS
SELECT segment,
       (p95).value AS died_proportion, (p95).lower AS died_lower95, (p95).upper AS died_upper95,
       (p998).lower AS died_lower998, (p998).upper AS died_upper998,
       (p_pct).value AS died_percent,
       (r95).value AS admission_rate, (r95).lower AS admission_lower95,
       (r95).upper AS admission_upper95, (r95).method AS admission_method,
       (r998).upper AS admission_upper998, (r_k).value AS admissions_per_1000,
       (m95).value AS mean_qol, (m95).lower AS qol_lower95, (m95).upper AS qol_upper95,
       (m95).count AS people, (m95).stdev AS qol_sd, (m998).upper AS qol_upper998
FROM (SELECT p.segment,
             analytics.proportion(p.died::int, 1) AS p95,
             analytics.proportion(p.died::int, 1, 0.998) AS p998,
             analytics.proportion(p.died::int, 1, 0.95, 100) AS p_pct,
             analytics.crude_rate(p.emergency_admissions, 1) AS r95,
             analytics.crude_rate(p.emergency_admissions, 1, 0.998) AS r998,
             analytics.crude_rate(p.emergency_admissions, 1, 0.95, 1000) AS r_k,
             analytics.mean_ci(p.qol) AS m95,
             analytics.mean_ci(p.qol, 0.998) AS m998
      FROM fixture.person p
      GROUP BY p.segment) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_rates (segment);

-- Standardised rates and ratios (41_dsr), quantile groups (42_quantile_group):
-- admissions by practice and age band against the 2013 European Standard
-- Population and the whole place as reference; practices in fifths by cost.
CREATE MATERIALIZED VIEW mv.practice_standardised AS
WITH b AS (
    SELECT p.practice_code, p.age_band, count(*)::float8 AS population,
           sum(p.emergency_admissions)::float8 AS admissions
    FROM fixture.person p GROUP BY p.practice_code, p.age_band),
r AS (
    SELECT b.*, sum(b.admissions) OVER (PARTITION BY b.age_band) AS ref_events,
           sum(b.population) OVER (PARTITION BY b.age_band) AS ref_population,
           e.esp2013_population::float8 AS standard
    FROM b JOIN analytics.esp2013 e ON e.age_band = b.age_band),
f AS (
    SELECT p.practice_code, p.age_band, p.emergency_admissions::float8 AS frequency,
           count(*)::float8 AS persons
    FROM fixture.person p WHERE p.emergency_admissions > 0
    GROUP BY p.practice_code, p.age_band, p.emergency_admissions),
nonind AS (
    SELECT f.practice_code,
           analytics.dsr(f.persons, r.population, r.standard, f.frequency, f.age_band) AS n95,
           analytics.dsr(f.persons, r.population, r.standard, f.frequency, f.age_band, 0.998) AS n998,
           analytics.dsr(f.persons, r.population, r.standard, f.frequency, f.age_band, 0.95, 1000) AS n_k
    FROM f JOIN r USING (practice_code, age_band)
    GROUP BY f.practice_code),
ind AS (
    SELECT r.practice_code,
           analytics.dsr(r.admissions, r.population, r.standard) AS d95,
           analytics.dsr(r.admissions, r.population, r.standard, 0.998) AS d998,
           analytics.dsr(r.admissions, r.population, r.standard, 0.95, 1000) AS d_k,
           analytics.isr(r.admissions, r.population, r.ref_events, r.ref_population) AS i95,
           analytics.isr(r.admissions, r.population, r.ref_events, r.ref_population, 0.998) AS i998,
           analytics.isr(r.admissions, r.population, r.ref_events, r.ref_population, 0.95, 100) AS i_pct,
           analytics.isr_rate(r.admissions, r.population, r.ref_events, r.ref_population) AS ir95,
           analytics.isr_rate(r.admissions, r.population, r.ref_events, r.ref_population, 0.998) AS ir998,
           analytics.isr_rate(r.admissions, r.population, r.ref_events, r.ref_population, 0.95, 1000) AS ir_k
    FROM r GROUP BY r.practice_code)
SELECT ind.practice_code,
       (d95).value AS dsr, (d95).lower AS dsr_lower95, (d95).upper AS dsr_upper95,
       (d95).events AS admissions, (d95).population, (d998).upper AS dsr_upper998,
       (d_k).value AS dsr_per_1000,
       (n95).value AS dsr_nonind, (n95).lower AS dsr_nonind_lower95, (n95).upper AS dsr_nonind_upper95,
       (n998).upper AS dsr_nonind_upper998, (n_k).value AS dsr_nonind_per_1000,
       (i95).ratio AS isr, (i95).lower AS isr_lower95, (i95).upper AS isr_upper95,
       (i95).observed, (i95).expected, (i95).method AS isr_method, (i998).upper AS isr_upper998,
       (i_pct).ratio AS smr,
       (ir95).rate AS isr_rate, (ir95).lower AS isr_rate_lower95, (ir95).upper AS isr_rate_upper95,
       (ir95).reference_rate, (ir998).upper AS isr_rate_upper998, (ir_k).rate AS isr_rate_per_1000,
       analytics.quantile_group((d95).value, 5) OVER () AS dsr_fifth,
       analytics.quantile_group((i95).ratio, 3, false) OVER () AS isr_third_lowest_first
FROM ind JOIN nonind USING (practice_code)
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_standardised (practice_code);

-- Life expectancy (43_life) by sex, at birth and at 65, every overload.
CREATE MATERIALIZED VIEW mv.sex_life_expectancy AS
SELECT sex, (e0).value AS at_birth, (e0).lower AS at_birth_lower95, (e0).upper AS at_birth_upper95,
       (e0).population, (e0).deaths, (e998).lower AS at_birth_lower998,
       (e65).value AS at_65, (e65).lower AS at_65_lower95, (e65).upper AS at_65_upper95
FROM (SELECT b.sex,
             analytics.life_expectancy(b.deaths, b.population, b.band) AS e0,
             analytics.life_expectancy(b.deaths, b.population, b.band, 0.998) AS e998,
             analytics.life_expectancy(b.deaths, b.population, b.band, 0.95, 65) AS e65
      FROM (SELECT p.sex, analytics.life_table_band(p.age) AS band,
                   -- a place 40 times the fixture's size, for intervals narrow enough
                   40.0 * count(*) AS population, 40.0 * count(*) FILTER (WHERE p.died) AS deaths
            FROM fixture.person p GROUP BY p.sex, analytics.life_table_band(p.age)) b
      GROUP BY b.sex) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.sex_life_expectancy (sex);

-- Inequality (44_inequality): the slope index of inequality in admission
-- rates across IMD deciles, by sex (every overload; a seeded simulation, so
-- the limits are reproducible), and the concentration index of cost by
-- deprivation rank within each segment.
CREATE MATERIALIZED VIEW mv.sex_inequality AS
SELECT sex, (a).sii, (a).sii_lower, (a).sii_upper, (a).rii, (a).rii_lower, (a).rii_upper,
       (a).intercept, (b).sii AS sii_rate, (c).rii AS rii_log_fit, (d).sii_upper AS sii_upper998,
       (e).sii_lower AS sii_lower_1000_draws
FROM (SELECT r.sex,
             analytics.sii((r.rate).value, r.people, r.imd_decile, (r.rate).lower, (r.rate).upper) AS a,
             analytics.sii((r.rate).value, r.people, r.imd_decile, (r.rate).lower, (r.rate).upper,
                           'rate') AS b,
             analytics.sii((r.rate).value, r.people, r.imd_decile, (r.rate).lower, (r.rate).upper,
                           'rate', true) AS c,
             analytics.sii((r.rate).value, r.people, r.imd_decile, (r.rate).lower, (r.rate).upper,
                           'rate', true, 0.998, 1) AS d,
             analytics.sii((r.rate).value, r.people, r.imd_decile, (r.rate).lower, (r.rate).upper,
                           'rate', true, 0.95, 1, 1000, 42) AS e
      FROM (SELECT p.sex, p.imd_decile, count(*)::float8 AS people,
                   analytics.crude_rate(p.emergency_admissions, 1) AS rate
            FROM fixture.person p GROUP BY p.sex, p.imd_decile) r
      GROUP BY r.sex) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.sex_inequality (sex);

CREATE MATERIALIZED VIEW mv.segment_cost_concentration_index AS
SELECT p.segment,
       analytics.concentration_index(p.total_cost, p.imd_decile) AS ci,
       analytics.concentration_index(p.total_cost, p.imd_decile, 1 + p.age / 100.0) AS ci_weighted
FROM fixture.person p
GROUP BY p.segment
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_cost_concentration_index (segment);

-- Concentration (20_concentration): who holds the cost, by segment.
SELECT mv_setup.present('analytics.top_share(float8,float8)', 'analytics.gini(float8)',
                        'analytics.gini(float8,boolean)', 'analytics.cost_profile(float8)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.segment_concentration AS
SELECT segment, top5, gini, gini_corrected,
       (profile).persons, (profile).total, (profile).mean, (profile).median, (profile).p90,
       (profile).p99, (profile).max, (profile).top1_share, (profile).top5_share,
       (profile).top20_share, (profile).gini AS profile_gini
FROM (SELECT p.segment,
             analytics.top_share(p.total_cost, 0.05) AS top5,
             analytics.gini(p.total_cost) AS gini,
             analytics.gini(p.total_cost, true) AS gini_corrected,
             analytics.cost_profile(p.total_cost) AS profile
      FROM fixture.person p
      GROUP BY p.segment) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_concentration (segment);
\endif

SELECT mv_setup.present('analytics.lorenz_curve(float8[],integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.segment_lorenz AS
SELECT s.segment, l.population_share, l.cost_share
FROM (SELECT p.segment, array_agg(p.total_cost ORDER BY p.person_id) AS costs
      FROM fixture.person p GROUP BY p.segment) s,
     analytics.lorenz_curve(s.costs, 10) l
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_lorenz (segment, population_share);
\endif

-- Stored states (20_concentration, 1.1): the cost state per practice x
-- segment, kept as its text form through refresh, dump and restore; the
-- rollup to segment and to everyone, and the Lorenz curves, read only the
-- stored states (no rescan of the people). Names sort in refresh order.
SELECT mv_setup.present('analytics.value_list_agg(float8)', 'analytics.value_list_agg(analytics.value_list)',
                        'analytics.top_share(analytics.value_list,float8)', 'analytics.gini(analytics.value_list)',
                        'analytics.gini(analytics.value_list,boolean)', 'analytics.cost_profile(analytics.value_list)',
                        'analytics.lorenz_curve(analytics.value_list,integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.cost_states_practice_segment AS
SELECT p.practice_code, p.segment, analytics.value_list_agg(p.total_cost) AS costs
FROM fixture.person p
GROUP BY p.practice_code, p.segment
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.cost_states_practice_segment (practice_code, segment);

CREATE MATERIALIZED VIEW mv.cost_states_rollup AS
SELECT coalesce(segment, 'everyone') AS segment, top5, gini, gini_corrected,
       (profile).persons, (profile).total, (profile).median, (profile).p90,
       (profile).top20_share, (profile).gini AS profile_gini
FROM (SELECT r.segment, analytics.top_share(r.costs, 0.05) AS top5,
             analytics.gini(r.costs) AS gini, analytics.gini(r.costs, true) AS gini_corrected,
             analytics.cost_profile(r.costs) AS profile
      FROM (SELECT s.segment, analytics.value_list_agg(s.costs) AS costs
            FROM mv.cost_states_practice_segment s
            GROUP BY ROLLUP (s.segment)) r) x
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.cost_states_rollup (segment);

CREATE MATERIALIZED VIEW mv.cost_states_segment_lorenz AS
SELECT r.segment, l.population_share, l.cost_share
FROM (SELECT s.segment, analytics.value_list_agg(s.costs) AS costs
      FROM mv.cost_states_practice_segment s GROUP BY s.segment) r,
     analytics.lorenz_curve(r.costs, 10) l
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.cost_states_segment_lorenz (segment, population_share);
\endif

-- Value (30_value): outcome per pound by practice, every overload.
SELECT mv_setup.present('analytics.value_ratio(float8,float8)',
                        'analytics.value_ratio_ci(float8,float8)',
                        'analytics.value_ratio_ci(float8,float8,float8)',
                        'analytics.value_ratio_ci(float8,float8,float8,text)',
                        'analytics.cohort_ratio_ci(float8,boolean)',
                        'analytics.cohort_ratio_ci(float8,boolean,float8)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_value AS
SELECT practice_code, ratio,
       (f95).ratio AS fieller_ratio, (f95).lower AS fieller_lower95, (f95).upper AS fieller_upper95,
       (f95).n AS people, (f95).status AS fieller_status,
       (f90).lower AS fieller_lower90, (f90).upper AS fieller_upper90,
       (d95).lower AS delta_lower95, (d95).upper AS delta_upper95, (d95).status AS delta_status,
       (c95).ratio AS died_cost_ratio, (c95).lower AS died_cost_lower95,
       (c95).upper AS died_cost_upper95, (c95).n_cohort AS died, (c95).n_rest AS alive,
       (c95).status AS died_cost_status, (c90).lower AS died_cost_lower90
FROM (SELECT p.practice_code,
             analytics.value_ratio(p.qol, p.total_cost) AS ratio,
             analytics.value_ratio_ci(p.qol, p.total_cost) AS f95,
             analytics.value_ratio_ci(p.qol, p.total_cost, 0.9) AS f90,
             analytics.value_ratio_ci(p.qol, p.total_cost, 0.95, 'delta') AS d95,
             analytics.cohort_ratio_ci(p.total_cost, p.died) AS c95,
             analytics.cohort_ratio_ci(p.total_cost, p.died, 0.9) AS c90
      FROM fixture.person p
      GROUP BY p.practice_code) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_value (practice_code);
\endif

-- Peers (31_peers): z-scores among practices (window) and best-k benchmarks.
SELECT mv_setup.present('analytics.peer_zscore(float8,text)',
                        'analytics.opportunity(float8,float8,float8,boolean,float8)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_peers AS
SELECT c.practice_code, c.cost_per_head,
       analytics.peer_zscore(c.cost_per_head) OVER () AS z,
       analytics.peer_zscore(c.cost_per_head, 'robust') OVER () AS z_robust,
       analytics.opportunity(c.cost_per_head, min(c.cost_per_head) OVER (), c.people) AS opportunity
FROM (SELECT p.practice_code, count(*) AS people, avg(p.total_cost) AS cost_per_head
      FROM fixture.person p GROUP BY p.practice_code) c
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_peers (practice_code);
\endif

SELECT mv_setup.present('analytics.peer_benchmark(float8)', 'analytics.peer_benchmark(float8,integer)',
                        'analytics.peer_benchmark(float8,integer,boolean)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.segment_benchmarks AS
SELECT c.segment,
       analytics.peer_benchmark(c.cost_per_head) AS best5_cost,
       analytics.peer_benchmark(c.cost_per_head, 3) AS best3_cost,
       analytics.peer_benchmark(c.mean_qol, 3, true) AS best3_qol
FROM (SELECT p.segment, p.practice_code, avg(p.total_cost) AS cost_per_head, avg(p.qol) AS mean_qol
      FROM fixture.person p GROUP BY p.segment, p.practice_code) c
GROUP BY c.segment
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_benchmarks (segment);
\endif

-- Funnels (32_funnel): one model per option set, the practices' points and
-- the limits to draw.
SELECT mv_setup.present('analytics.funnel_fit(float8,float8)', 'analytics.funnel_fit(float8,float8,text)',
                        'analytics.funnel_fit(float8,float8,text,text)',
                        'analytics.funnel_fit(float8,float8,text,text,text)',
                        'analytics.funnel_fit(float8,float8,text,text,text,float8)',
                        'analytics.funnel_z(float8,float8,analytics.funnel_model)',
                        'analytics.funnel_limit(float8,analytics.funnel_model,float8,boolean)',
                        'analytics.funnel_flag(float8,float8,analytics.funnel_model,float8)',
                        'analytics.funnel_limits(analytics.funnel_model,float8,float8,integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.funnel_models AS
WITH u AS (
    SELECT p.practice_code, count(*) FILTER (WHERE p.emergency_admissions > 0)::float8 AS admitted,
           count(*)::float8 AS people, sum(p.emergency_admissions)::float8 AS admissions
    FROM fixture.person p GROUP BY p.practice_code),
e AS (SELECT u.*, u.people * sum(u.admissions) OVER () / sum(u.people) OVER () AS expected FROM u)
SELECT m.name, (m.model).data_type, (m.model).adjustment, (m.model).target, (m.model).phi,
       (m.model).tau2, (m.model).units, (m.model).units_used
FROM (SELECT 'proportion' AS name, analytics.funnel_fit(admitted, people) AS model FROM e
      UNION ALL
      SELECT 'ratio_log', analytics.funnel_fit(admissions, expected, 'ratio_log') FROM e
      UNION ALL
      SELECT 'none', analytics.funnel_fit(admitted, people, 'proportion', 'none') FROM e
      UNION ALL
      SELECT 'truncate', analytics.funnel_fit(admitted, people, 'proportion', 'additive', 'truncate') FROM e
      UNION ALL
      SELECT 'winsorise_5', analytics.funnel_fit(admitted, people, 'proportion', 'multiplicative',
                                                 'winsorise', 0.05) FROM e) m
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.funnel_models (name);

CREATE MATERIALIZED VIEW mv.practice_funnel AS
WITH u AS (
    SELECT p.practice_code, count(*) FILTER (WHERE p.emergency_admissions > 0)::float8 AS admitted,
           count(*)::float8 AS people
    FROM fixture.person p GROUP BY p.practice_code),
m AS (SELECT analytics.funnel_fit(u.admitted, u.people) AS model FROM u)
SELECT u.practice_code, u.admitted, u.people, u.admitted / u.people AS proportion,
       analytics.funnel_z(u.admitted, u.people, m.model) AS z,
       analytics.funnel_limit(u.people, m.model, 0.95, false) AS lower95,
       analytics.funnel_limit(u.people, m.model, 0.95, true) AS upper95,
       analytics.funnel_flag(u.admitted, u.people, m.model) AS flag998,
       analytics.funnel_flag(u.admitted, u.people, m.model, 0.95) AS flag95
FROM u, m
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_funnel (practice_code);

CREATE MATERIALIZED VIEW mv.funnel_limits AS
WITH u AS (
    SELECT p.practice_code, count(*) FILTER (WHERE p.emergency_admissions > 0)::float8 AS admitted,
           count(*)::float8 AS people
    FROM fixture.person p GROUP BY p.practice_code),
m AS (SELECT analytics.funnel_fit(u.admitted, u.people) AS model, min(u.people) AS lo,
             max(u.people) AS hi FROM u)
SELECT l.denominator, l.lower95, l.upper95, l.lower998, l.upper998
FROM m, analytics.funnel_limits(m.model, m.lo, m.hi, 50) l
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.funnel_limits (denominator);
\endif

-- Change over time (61_trend): recent-trend markers per practice over six
-- years (the fixture's people spread over 2019..2024 by id): the share of
-- people admitted as a proportion, and the admission rate with its 95% and
-- 99% limits as values with limits (every overload).
SELECT mv_setup.present('analytics.trend_marker(integer,float8,float8)',
                        'analytics.trend_marker(integer,float8,float8,float8)',
                        'analytics.trend_marker(integer,float8,float8,float8,float8)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_trends AS
SELECT practice_code, (p).marker, (p).reason, (p).slope, (p).statistic, (p).points,
       (r).marker AS rate_marker, (r).slope AS rate_slope, (r).statistic AS rate_statistic,
       (r99).marker AS rate_marker99, (r99).statistic AS rate_statistic99
FROM (SELECT y.practice_code,
             analytics.trend_marker(y.year, y.admitted, y.people) AS p,
             analytics.trend_marker(y.year, (y.rate).value, (y.rate).lower, (y.rate).upper) AS r,
             analytics.trend_marker(y.year, (y.rate99).value, (y.rate99).lower, (y.rate99).upper,
                                    0.99) AS r99
      FROM (SELECT p.practice_code, 2019 + p.person_id % 6 AS year, count(*)::float8 AS people,
                   count(*) FILTER (WHERE p.emergency_admissions > 0)::float8 AS admitted,
                   analytics.crude_rate(p.emergency_admissions, 1) AS rate,
                   analytics.crude_rate(p.emergency_admissions, 1, 0.99) AS rate99
            FROM fixture.person p GROUP BY p.practice_code, 2019 + p.person_id % 6) y
      GROUP BY y.practice_code) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_trends (practice_code);
\endif

-- SPC (60_spc): every spc_chart overload summarised per practice, and the
-- points of one chart. "Weeks" are person_id % 40 (dated from 2024-01-01).
SELECT mv_setup.present('analytics.spc_chart(date,float8)', 'analytics.spc_chart(date,float8,boolean)',
                        'analytics.spc_chart(date,float8,float8)', 'analytics.spc_chart(date,float8,float8,boolean)',
                        'analytics.spc_chart(bigint,float8)', 'analytics.spc_chart(bigint,float8,boolean)',
                        'analytics.spc_chart(bigint,float8,float8)', 'analytics.spc_chart(bigint,float8,float8,boolean)',
                        'analytics.spc_points(analytics.spc_chart,text,float8,integer,boolean,text,text,integer,integer)',
                        'analytics.spc_summary(analytics.spc_chart,text,float8,integer,boolean,text,text,integer,integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_spc AS
WITH w AS (
    SELECT p.practice_code, p.person_id % 40 AS week, sum(p.emergency_admissions)::float8 AS admissions,
           count(*)::float8 AS people, count(*) FILTER (WHERE p.died)::float8 AS died
    FROM fixture.person p GROUP BY 1, 2),
c AS (
    SELECT w.practice_code, 'date' AS kind, analytics.spc_chart(date '2024-01-01' + 7 * w.week, w.admissions) AS chart
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'date_rebase', analytics.spc_chart(date '2024-01-01' + 7 * w.week, w.admissions, w.week = 20)
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'date_ratio', analytics.spc_chart(date '2024-01-01' + 7 * w.week, w.died, w.people)
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'date_ratio_rebase',
           analytics.spc_chart(date '2024-01-01' + 7 * w.week, w.died, w.people, w.week = 20)
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'integer', analytics.spc_chart(w.week::bigint, w.admissions) FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'integer_rebase', analytics.spc_chart(w.week::bigint, w.admissions, w.week = 20)
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'integer_ratio', analytics.spc_chart(w.week::bigint, w.admissions, w.people)
    FROM w GROUP BY 1
    UNION ALL
    SELECT w.practice_code, 'integer_ratio_rebase',
           analytics.spc_chart(w.week::bigint, w.admissions, w.people, w.week = 20)
    FROM w GROUP BY 1)
SELECT c.practice_code, c.kind, s.points, s.segments, s.value, s.centre, s.lower_limit, s.upper_limit,
       s.trial_limits, s.rule, s.variation, s.special_cause_points, s.assurance
FROM c, analytics.spc_summary(c.chart, 'decrease', 0.5, fix_after_n => 12,
                              chart_type => CASE WHEN c.kind LIKE '%ratio%' THEN
                                                 CASE WHEN c.kind LIKE 'date%' THEN 'p_prime' ELSE 'u_prime' END
                                            ELSE 'xmr' END) s
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_spc (practice_code, kind);

CREATE MATERIALIZED VIEW mv.spc_points AS
WITH w AS (
    SELECT p.person_id % 40 AS week, sum(p.emergency_admissions)::float8 AS admissions
    FROM fixture.person p GROUP BY 1)
SELECT p.period_date, p.segment, p.value, p.centre, p.lower_limit, p.upper_limit, p.lower_near,
       p.upper_near, p.trial_limits, p.rule, p.direction, p.point_type
FROM (SELECT analytics.spc_chart(date '2024-01-01' + 7 * w.week, w.admissions, w.week = 20) AS chart
      FROM w) c,
     analytics.spc_points(c.chart, 'decrease', centre_line => 'median') p
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.spc_points (period_date);
\endif

-- Similar peers (62_peer_space): each practice's 3 most similar practices
-- (list size, mean deprivation decile, share aged 65+, weights 1, 2, 1),
-- and one practice's peers by the one-unit form.
SELECT mv_setup.present('analytics.peer_space(text,float8[])', 'analytics.peer_space(text,float8[],float8[])',
                        'analytics.nearest_peers(analytics.peer_space,integer)',
                        'analytics.nearest_peers(analytics.peer_space,text,integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_similar_peers AS
WITH f AS (
    SELECT p.practice_code, ARRAY[count(*), avg(p.imd_decile), avg((p.age >= 65)::int)]::float8[] AS features
    FROM fixture.person p GROUP BY 1)
SELECT n.unit AS practice_code, n.peer, n.peer_rank, n.distance, n.tied
FROM analytics.nearest_peers((SELECT analytics.peer_space(f.practice_code, f.features, '{1,2,1}') FROM f), 3) n
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_similar_peers (practice_code, peer);

CREATE MATERIALIZED VIEW mv.practice_similar_peers_one AS
WITH f AS (
    SELECT p.practice_code, ARRAY[count(*), avg(p.imd_decile), avg((p.age >= 65)::int)]::float8[] AS features
    FROM fixture.person p GROUP BY 1)
SELECT n.unit AS practice_code, n.peer, n.peer_rank, n.distance, n.tied
FROM analytics.nearest_peers((SELECT analytics.peer_space(f.practice_code, f.features) FROM f), 'P00001', 5) n
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_similar_peers_one (practice_code, peer);
\endif

-- Cost sketches (21_cost_sketch): the stored-state route. Sketches per
-- practice and segment are stored (as text: the comparison after restore
-- needs equality, and the text form is the sketch bit for bit), rolled up
-- to segments with the merge aggregate, and compared with the sketch made
-- directly from the people (merged_equal); the figures with their bounds,
-- and each segment's Lorenz curve from the rolled-up sketch.
SELECT mv_setup.present('analytics.cost_sketch(float8)', 'analytics.cost_sketch(float8,float8)',
                        'analytics.cost_sketch(analytics.cost_sketch)',
                        'analytics.lorenz_curve(analytics.cost_sketch,integer)') \gset
\if :present
CREATE MATERIALIZED VIEW mv.practice_segment_cost_sketch AS
SELECT p.practice_code, p.segment, count(*) AS people,
       analytics.cost_sketch(p.total_cost)::text AS sketch,
       analytics.cost_sketch(p.total_cost, 0.01)::text AS sketch_coarse
FROM fixture.person p
GROUP BY p.practice_code, p.segment
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_segment_cost_sketch (practice_code, segment);

CREATE MATERIALIZED VIEW mv.segment_cost_sketch AS
SELECT r.segment, r.sketch = d.sketch AS merged_equal,
       (p).persons, (p).total, (p).median, (p).median_lower, (p).median_upper,
       (p).top1_share, (p).top1_share_lower, (p).top1_share_upper,
       (p).gini, (p).gini_lower, (p).gini_upper
FROM (SELECT s.segment, analytics.cost_sketch(s.sketch::analytics.cost_sketch)::text AS sketch,
             analytics.cost_profile(analytics.cost_sketch(s.sketch::analytics.cost_sketch)) AS p
      FROM mv.practice_segment_cost_sketch s GROUP BY s.segment) r
JOIN (SELECT f.segment, analytics.cost_sketch(f.total_cost)::text AS sketch
      FROM fixture.person f GROUP BY f.segment) d USING (segment)
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_cost_sketch (segment);

CREATE MATERIALIZED VIEW mv.segment_cost_sketch_lorenz AS
SELECT s.segment, l.population_share, l.cost_share, l.cost_share_lower, l.cost_share_upper
FROM (SELECT p.segment, analytics.cost_sketch(p.total_cost) AS k FROM fixture.person p GROUP BY p.segment) s,
     analytics.lorenz_curve(s.k, 10) l
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.segment_cost_sketch_lorenz (segment, population_share);
\endif

DROP SCHEMA mv_setup CASCADE;
