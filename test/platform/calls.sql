-- test/platform/calls.sql -- one call of every user function of value_ext,
-- qualified with its schema `analytics`, run by test/platform/schema_smoke.sh
-- with search_path = '' (only pg_catalog is searched). Each call is a view in
-- schema `calls`, so the test finds through pg_depend exactly which function
-- (which overload) each one calls, and fails when a user function of
-- test/platform/user_objects.sql has no call here. Composite results are
-- expanded with (f(...)).* as a user's view would.
--
-- A call of a function that has not landed yet is wrapped in
--   SELECT calls_setup.present('analytics.f(argtypes)') \gset
--   \if :present ... \endif
-- so it starts counting the moment the function exists with that signature.
CREATE SCHEMA calls_setup;
CREATE FUNCTION calls_setup.present(signature text, OUT present boolean)
LANGUAGE plpgsql AS $$
BEGIN
    present := pg_catalog.to_regprocedure(signature) IS NOT NULL;
EXCEPTION WHEN undefined_object THEN   -- an argument type that does not exist yet
    present := false;
END $$;
CREATE SCHEMA calls;
CREATE VIEW calls.sample_costs AS
SELECT g AS unit, (g % 3)::int AS grp, power(g, 1.7)::float8 AS cost,
       (1 - g / 100.0)::float8 AS outcome, (g % 4 = 0) AS in_cohort,
       (5 + g % 9)::float8 AS events, (40 + 7 * g)::float8 AS population
FROM pg_catalog.generate_series(1, 40) g;

-- 00_core
CREATE VIEW calls.value_ext_library_version AS
SELECT analytics.value_ext_library_version() AS v;

-- 10_deprivation: decile rules and cached LSOA lookups
CREATE VIEW calls.imd_decile_rank AS
SELECT analytics.imd_decile(3285) AS a, analytics.imd_decile(3285, 32844) AS b;
CREATE VIEW calls.imd_quintile AS
SELECT analytics.imd_quintile(6569) AS a, analytics.imd_quintile(100, 1909) AS b;
CREATE VIEW calls.imd_decile_nation AS
SELECT analytics.imd_decile_nation(191, 1909, 'Wales') AS v;
CREATE VIEW calls.is_core20 AS
SELECT analytics.is_core20(2) AS v;
CREATE VIEW calls.imd_lsoa_lookups AS
SELECT analytics.imd_decile('E01000001') AS decile, analytics.imd_decile('E01000001', 2019) AS d2,
       analytics.imd_rank('E01000001') AS rank, analytics.imd_score('E01000001') AS score;
-- 11_postcode: the server-side loader (the SR file of NSPL, path given by
-- schema_smoke.sh as :nspl), then the lookups it feeds
SELECT analytics.load_postcode_lookup(:'nspl') > 0 AS loaded;
CREATE VIEW calls.postcode_normalize AS
SELECT analytics.postcode_normalize(' sr1  1aa ') AS a, analytics.postcode_normalize('SR1 1AA', true) AS b;
CREATE VIEW calls.postcode_lookups AS
SELECT analytics.lsoa_for_postcode('sr1 1aa') AS lsoa11, analytics.lsoa_for_postcode('SR1 1AA', 2021) AS lsoa21,
       analytics.imd_decile_for_postcode('SR1 1AA') AS d2019,
       analytics.imd_decile_for_postcode('SR1 1AA', 2025) AS d2025;
CREATE VIEW calls.load_postcode_lookup AS
SELECT analytics.load_postcode_lookup(:'nspl') AS rows_loaded;

-- 20_concentration
SELECT calls_setup.present('analytics.top_share(float8,float8)') \gset
\if :present
CREATE VIEW calls.top_share AS
SELECT analytics.top_share(cost, 0.05) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.gini(float8)') \gset
\if :present
CREATE VIEW calls.gini AS
SELECT analytics.gini(cost) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.gini(float8,boolean)') \gset
\if :present
CREATE VIEW calls.gini_corrected AS
SELECT analytics.gini(cost, true) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.cost_profile(float8)') \gset
\if :present
CREATE VIEW calls.cost_profile AS
SELECT (p).* FROM (SELECT analytics.cost_profile(cost) AS p FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.lorenz_curve(float8[],integer)') \gset
\if :present
CREATE VIEW calls.lorenz_curve AS
SELECT l.* FROM (SELECT pg_catalog.array_agg(cost) AS costs FROM calls.sample_costs) s,
     analytics.lorenz_curve(s.costs, 4) l;
\endif

-- 20_concentration, stored states (1.1)
SELECT calls_setup.present('analytics.value_list_agg(float8)') \gset
\if :present
CREATE VIEW calls.value_list_agg AS
SELECT analytics.value_list_agg(cost) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.value_list_agg(analytics.value_list)') \gset
\if :present
CREATE VIEW calls.value_list_agg_merge AS
SELECT analytics.value_list_agg(s.v) AS v
FROM (SELECT analytics.value_list_agg(cost) AS v FROM calls.sample_costs GROUP BY grp) s;
\endif
SELECT calls_setup.present('analytics.top_share(analytics.value_list,float8)') \gset
\if :present
CREATE VIEW calls.top_share_state AS
SELECT analytics.top_share(analytics.value_list_agg(cost), 0.05) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.gini(analytics.value_list)') \gset
\if :present
CREATE VIEW calls.gini_state AS
SELECT analytics.gini(analytics.value_list_agg(cost)) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.gini(analytics.value_list,boolean)') \gset
\if :present
CREATE VIEW calls.gini_state_corrected AS
SELECT analytics.gini(analytics.value_list_agg(cost), true) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.cost_profile(analytics.value_list)') \gset
\if :present
CREATE VIEW calls.cost_profile_state AS
SELECT (analytics.cost_profile(analytics.value_list_agg(cost))).* FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.lorenz_curve(analytics.value_list,integer)') \gset
\if :present
CREATE VIEW calls.lorenz_curve_state AS
SELECT l.* FROM (SELECT analytics.value_list_agg(cost) AS costs FROM calls.sample_costs) s,
     analytics.lorenz_curve(s.costs, 4) l;
\endif

-- 30_value, 31_peers, 32_funnel
SELECT calls_setup.present('analytics.value_ratio(float8,float8)') \gset
\if :present
CREATE VIEW calls.value_ratio AS
SELECT analytics.value_ratio(outcome, cost) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.value_ratio_ci(float8,float8)') \gset
\if :present
CREATE VIEW calls.value_ratio_ci AS
SELECT (r).* FROM (SELECT analytics.value_ratio_ci(outcome, cost) AS r FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.value_ratio_ci(float8,float8,float8)') \gset
\if :present
CREATE VIEW calls.value_ratio_ci_confidence AS
SELECT (r).* FROM (SELECT analytics.value_ratio_ci(outcome, cost, 0.9) AS r FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.value_ratio_ci(float8,float8,float8,text)') \gset
\if :present
CREATE VIEW calls.value_ratio_ci_delta AS
SELECT (r).* FROM (SELECT analytics.value_ratio_ci(outcome, cost, 0.95, 'delta') AS r
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.cohort_ratio_ci(float8,boolean)') \gset
\if :present
CREATE VIEW calls.cohort_ratio_ci AS
SELECT (r).* FROM (SELECT analytics.cohort_ratio_ci(cost, in_cohort) AS r FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.cohort_ratio_ci(float8,boolean,float8)') \gset
\if :present
CREATE VIEW calls.cohort_ratio_ci_confidence AS
SELECT (r).* FROM (SELECT analytics.cohort_ratio_ci(cost, in_cohort, 0.9) AS r
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.peer_zscore(float8,text)') \gset
\if :present
CREATE VIEW calls.peer_zscore AS
SELECT unit, analytics.peer_zscore(cost) OVER (PARTITION BY grp) AS standard,
       analytics.peer_zscore(cost, 'robust') OVER (PARTITION BY grp) AS robust
FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.peer_benchmark(float8)') \gset
\if :present
CREATE VIEW calls.peer_benchmark AS
SELECT analytics.peer_benchmark(cost) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.peer_benchmark(float8,integer)') \gset
\if :present
CREATE VIEW calls.peer_benchmark_best AS
SELECT analytics.peer_benchmark(cost, 3) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.peer_benchmark(float8,integer,boolean)') \gset
\if :present
CREATE VIEW calls.peer_benchmark_direction AS
SELECT analytics.peer_benchmark(outcome, 3, true) AS v FROM calls.sample_costs;
\endif
SELECT calls_setup.present('analytics.opportunity(float8,float8,float8,boolean,float8)') \gset
\if :present
CREATE VIEW calls.opportunity AS
SELECT analytics.opportunity(120, 100, 5000) AS a,
       analytics.opportunity(0.6, 0.7, 5000, true, 1000) AS b;
\endif
SELECT calls_setup.present('analytics.funnel_fit(float8,float8)') \gset
\if :present
CREATE VIEW calls.funnel_fit AS
SELECT (m).* FROM (SELECT analytics.funnel_fit(events, population) AS m FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.funnel_fit(float8,float8,text)') \gset
\if :present
CREATE VIEW calls.funnel_fit_type AS
SELECT (m).* FROM (SELECT analytics.funnel_fit(events, events * 1.1, 'ratio_log') AS m
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.funnel_fit(float8,float8,text,text)') \gset
\if :present
CREATE VIEW calls.funnel_fit_adjustment AS
SELECT (m).* FROM (SELECT analytics.funnel_fit(events, population, 'proportion', 'multiplicative') AS m
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.funnel_fit(float8,float8,text,text,text)') \gset
\if :present
CREATE VIEW calls.funnel_fit_trim AS
SELECT (m).* FROM (SELECT analytics.funnel_fit(events, population, 'proportion', 'additive', 'truncate') AS m
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.funnel_fit(float8,float8,text,text,text,float8)') \gset
\if :present
CREATE VIEW calls.funnel_fit_all AS
SELECT (m).* FROM (SELECT analytics.funnel_fit(events, population, 'proportion', 'additive', 'winsorise', 0.05) AS m
                   FROM calls.sample_costs) s;
\endif
SELECT calls_setup.present('analytics.funnel_z(float8,float8,analytics.funnel_model)') \gset
\if :present
CREATE VIEW calls.funnel_points AS
WITH m AS (SELECT analytics.funnel_fit(events, population) AS model FROM calls.sample_costs)
SELECT c.unit, analytics.funnel_z(c.events, c.population, m.model) AS z,
       analytics.funnel_limit(c.population, m.model, 0.95, true) AS upper95,
       analytics.funnel_flag(c.events, c.population, m.model) AS flag998,
       analytics.funnel_flag(c.events, c.population, m.model, 0.95) AS flag95
FROM calls.sample_costs c, m;
\endif
SELECT calls_setup.present('analytics.funnel_limits(analytics.funnel_model,float8,float8,integer)') \gset
\if :present
CREATE VIEW calls.funnel_limits AS
WITH m AS (SELECT analytics.funnel_fit(events, population) AS model FROM calls.sample_costs)
SELECT l.* FROM m, analytics.funnel_limits(m.model, 40, 400, 10) l;
\endif

-- 40_rates
CREATE VIEW calls.proportion_ci AS
SELECT (analytics.proportion_ci(12, 80)).*;
CREATE VIEW calls.rate_ci AS
SELECT (analytics.rate_ci(7, 2400)).*;
CREATE VIEW calls.byars_ci AS
SELECT (analytics.byars_ci(65)).*, (analytics.byars_ci(65, 0.998)).upper AS upper998;
CREATE VIEW calls.proportion AS
SELECT (a).*, (b).upper AS upper998, (c).value AS scaled
FROM (SELECT analytics.proportion(events, population) AS a,
             analytics.proportion(events, population, 0.998) AS b,
             analytics.proportion(events, population, 0.95, 100) AS c
      FROM calls.sample_costs) s;
CREATE VIEW calls.crude_rate AS
SELECT (a).*, (b).upper AS upper998, (c).value AS scaled
FROM (SELECT analytics.crude_rate(events, population) AS a,
             analytics.crude_rate(events, population, 0.998) AS b,
             analytics.crude_rate(events, population, 0.95, 1000) AS c
      FROM calls.sample_costs) s;
CREATE VIEW calls.mean_ci AS
SELECT (a).*, (b).upper AS upper998
FROM (SELECT analytics.mean_ci(outcome) AS a, analytics.mean_ci(outcome, 0.998) AS b
      FROM calls.sample_costs) s;

-- 41_dsr, 42_quantile_group: standardised rates and ratios over age bands
CREATE VIEW calls.sample_bands AS
SELECT e.age_band, e.esp2013_population::float8 AS standard, (20 + e.band_index)::float8 AS events,
       (1000 + 37 * e.band_index)::float8 AS population, (40 + 2 * e.band_index)::float8 AS ref_events,
       (2000 + 41 * e.band_index)::float8 AS ref_population
FROM analytics.esp2013 e;
CREATE VIEW calls.esp2013_weight AS
SELECT analytics.esp2013_weight(47) AS v;
CREATE VIEW calls.dsr AS
SELECT (a).*, (b).upper AS upper998, (c).value AS per_1000
FROM (SELECT analytics.dsr(events, population, standard) AS a,
             analytics.dsr(events, population, standard, 0.998) AS b,
             analytics.dsr(events, population, standard, 0.95, 1000) AS c
      FROM calls.sample_bands) s;
CREATE VIEW calls.dsr_non_independent AS
SELECT (a).*, (b).upper AS upper998, (c).value AS per_1000
FROM (SELECT analytics.dsr(f.persons, b.population, b.standard, f.frequency, b.age_band) AS a,
             analytics.dsr(f.persons, b.population, b.standard, f.frequency, b.age_band, 0.998) AS b,
             analytics.dsr(f.persons, b.population, b.standard, f.frequency, b.age_band, 0.95, 1000) AS c
      FROM calls.sample_bands b,
           LATERAL (VALUES (1::float8, b.events - 6), (2::float8, 3::float8)) f(frequency, persons)) s;
CREATE VIEW calls.isr AS
SELECT (a).*, (b).upper AS upper998, (c).ratio AS smr
FROM (SELECT analytics.isr(events, population, ref_events, ref_population) AS a,
             analytics.isr(events, population, ref_events, ref_population, 0.998) AS b,
             analytics.isr(events, population, ref_events, ref_population, 0.95, 100) AS c
      FROM calls.sample_bands) s;
CREATE VIEW calls.isr_rate AS
SELECT (a).*, (b).upper AS upper998, (c).rate AS per_1000
FROM (SELECT analytics.isr_rate(events, population, ref_events, ref_population) AS a,
             analytics.isr_rate(events, population, ref_events, ref_population, 0.998) AS b,
             analytics.isr_rate(events, population, ref_events, ref_population, 0.95, 1000) AS c
      FROM calls.sample_bands) s;
CREATE VIEW calls.quantile_group AS
SELECT unit, analytics.quantile_group(cost, 5) OVER () AS quintile,
       analytics.quantile_group(cost, 4, false) OVER (PARTITION BY grp) AS quartile_in_group
FROM calls.sample_costs;

-- 43_life: life expectancy over PHE life-table bands
CREATE VIEW calls.life_table_band AS
SELECT analytics.life_table_band(3) AS a, analytics.life_table_band(93) AS b;
CREATE VIEW calls.life_expectancy AS
SELECT (a).*, (b).upper AS upper998, (c).value AS at_65
FROM (SELECT analytics.life_expectancy(deaths, population, band) AS a,
             analytics.life_expectancy(deaths, population, band, 0.998) AS b,
             analytics.life_expectancy(deaths, population, band, 0.95, 65) AS c
      FROM (SELECT b AS band, (5000 - 40 * b)::float8 AS population,
                   (2 + pg_catalog.power(b, 1.6) / 3)::float8 AS deaths
            FROM pg_catalog.unnest(ARRAY[0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65,
                                         70, 75, 80, 85, 90]) b) t) s;

-- 44_inequality: slope index of inequality over deciles, concentration index
CREATE VIEW calls.sample_deciles AS
SELECT q AS decile, (300 - 12 * q)::float8 AS rate, (270 - 12 * q)::float8 AS lower,
       (330 - 12 * q)::float8 AS upper, (10000 + 100 * q)::float8 AS population
FROM pg_catalog.generate_series(1, 10) q;
CREATE VIEW calls.sii AS
SELECT (a).*, (b).sii AS sii_rate, (c).rii AS rii_transformed, (d).sii_upper AS upper998,
       (e).sii_lower AS lower_seeded
FROM (SELECT analytics.sii(rate, population, decile, lower, upper) AS a,
             analytics.sii(rate, population, decile, lower, upper, 'rate') AS b,
             analytics.sii(rate, population, decile, lower, upper, 'rate', true) AS c,
             analytics.sii(rate, population, decile, lower, upper, 'rate', true, 0.998, 1) AS d,
             analytics.sii(rate, population, decile, lower, upper, 'rate', true, 0.95, 1, 1000, 42) AS e
      FROM calls.sample_deciles) s;
CREATE VIEW calls.concentration_index AS
SELECT analytics.concentration_index(cost, unit) AS a,
       analytics.concentration_index(cost, unit, population) AS b
FROM calls.sample_costs;

-- 50_nhs_number
CREATE VIEW calls.nhs_number_is_valid AS
SELECT analytics.nhs_number_is_valid('943 476 5919') AS v;
CREATE VIEW calls.nhs_number_normalize AS
SELECT analytics.nhs_number_normalize('943-476-5919') AS v;

-- 51_disclosure
CREATE VIEW calls.sdc AS
SELECT analytics.sdc_round(23) AS a, analytics.sdc_round(23, 5, 10) AS b,
       analytics.sdc_label(3) AS c, analytics.sdc_label(23, 7, 5) AS d,
       analytics.sdc_percentage(23, 180) AS e, analytics.sdc_percentage(23, 180, 7, 5, 2) AS f;

-- 52_pseudonym: the explicit key, and the server's key file (a superuser
-- names it in value_ext.pseudonym_key_file; relative to the data directory)
CREATE VIEW calls.pseudonymise AS
SELECT analytics.pseudonymise('9434765919', pg_catalog.decode(pg_catalog.repeat('5a', 32), 'hex')) AS a,
       analytics.pseudonymise_nhs_number('943 476 5919',
                                         pg_catalog.decode(pg_catalog.repeat('5a', 32), 'hex')) AS b;
COPY (SELECT pg_catalog.repeat('5a', 32)) TO PROGRAM 'cat > value_ext_calls_key.hex';
SELECT pg_catalog.current_database() AS db \gset
ALTER DATABASE :"db" SET value_ext.pseudonym_key_file = 'value_ext_calls_key.hex';
CREATE VIEW calls.pseudonymise_key_file AS
SELECT analytics.pseudonymise('9434765919') AS a, analytics.pseudonymise_nhs_number('943 476 5919') AS b;

-- 61_trend: recent-trend markers of a proportion and of values with limits
CREATE VIEW calls.sample_years AS
SELECT y AS year, (40 + 3 * y + y % 2)::float8 AS events, 1000::float8 AS people,
       (4 + 0.3 * y)::float8 AS value, (3.5 + 0.3 * y)::float8 AS lower, (4.5 + 0.3 * y)::float8 AS upper
FROM pg_catalog.generate_series(2015, 2024) y;
CREATE VIEW calls.trend_marker AS
SELECT (a).*, (b).marker AS marker_limits, (c).marker AS marker_limits99
FROM (SELECT analytics.trend_marker(year - 2000, events, people) AS a,
             analytics.trend_marker(year - 2000, value, lower, upper) AS b,
             analytics.trend_marker(year - 2000, value, lower, upper, 0.99) AS c
      FROM calls.sample_years) s;
-- 60_spc: every spc_chart overload, spc_points and spc_summary
SELECT calls_setup.present('analytics.spc_summary(analytics.spc_chart,text,float8,integer,boolean,text,text,integer,integer)') \gset
\if :present
CREATE VIEW calls.spc_chart AS
SELECT 'date' AS kind, (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(DATE '2024-01-01' + 7 * unit, cost)) AS s
                                    FROM calls.sample_costs) a
UNION ALL
SELECT 'date_rebase', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(DATE '2024-01-01' + 7 * unit, cost, unit = 20)) AS s
                                  FROM calls.sample_costs) a
UNION ALL
SELECT 'date_ratio', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(DATE '2024-01-01' + 7 * unit, events, population),
                                                              'increase', chart_type => 'p_prime') AS s
                                 FROM calls.sample_costs) a
UNION ALL
SELECT 'date_ratio_rebase', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(DATE '2024-01-01' + 7 * unit, events,
                                                                                         population, unit = 20)) AS s
                                        FROM calls.sample_costs) a
UNION ALL
SELECT 'integer', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(unit::bigint, cost), 'decrease', 100) AS s
                              FROM calls.sample_costs) a
UNION ALL
SELECT 'integer_rebase', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(unit::bigint, cost, unit = 20)) AS s
                                     FROM calls.sample_costs) a
UNION ALL
SELECT 'integer_ratio', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(unit::bigint, events, population),
                                                                 chart_type => 'u_prime') AS s
                                    FROM calls.sample_costs) a
UNION ALL
SELECT 'integer_ratio_rebase', (s).* FROM (SELECT analytics.spc_summary(analytics.spc_chart(unit::bigint, events, population,
                                                                                            unit = 20)) AS s
                                           FROM calls.sample_costs) a;
CREATE VIEW calls.spc_points AS
SELECT p.* FROM (SELECT analytics.spc_chart(unit::bigint, cost, unit = 20) AS chart FROM calls.sample_costs) c,
       analytics.spc_points(c.chart, 'increase', fix_after_n => 12) p;
\endif

-- 62_peer_space: both peer_space overloads, both nearest_peers forms
SELECT calls_setup.present('analytics.nearest_peers(analytics.peer_space,text,integer)') \gset
\if :present
CREATE VIEW calls.nearest_peers AS
SELECT n.* FROM analytics.nearest_peers((SELECT analytics.peer_space(unit::text, ARRAY[cost, events, population])
                                         FROM calls.sample_costs), 3) n
UNION ALL
SELECT n.* FROM analytics.nearest_peers((SELECT analytics.peer_space(unit::text, ARRAY[cost, events, population],
                                                                     '{1,2,1}')
                                         FROM calls.sample_costs), '7') n;
\endif

-- 21_cost_sketch: both cost_sketch forms and the merge, every figure read
-- from a sketch
SELECT calls_setup.present('analytics.lorenz_curve(analytics.cost_sketch,integer)') \gset
\if :present
CREATE VIEW calls.cost_sketch AS
SELECT analytics.cost_sketch(cost)::text AS a, analytics.cost_sketch(cost, 0.01)::text AS b
FROM calls.sample_costs;
CREATE VIEW calls.cost_sketch_merge AS
SELECT analytics.cost_sketch(s)::text AS v
FROM (SELECT analytics.cost_sketch(cost) AS s FROM calls.sample_costs GROUP BY grp) g;
CREATE VIEW calls.cost_sketch_figures AS
SELECT (analytics.top_share(s, 0.2)).*, (analytics.gini(s)).estimate AS gini,
       (analytics.gini(s, true)).estimate AS gini_corrected,
       (analytics.cost_quantile(s, 0.9)).estimate AS p90
FROM (SELECT analytics.cost_sketch(cost) AS s FROM calls.sample_costs) k;
CREATE VIEW calls.cost_sketch_profile AS
SELECT (analytics.cost_profile(s)).*
FROM (SELECT analytics.cost_sketch(cost) AS s FROM calls.sample_costs) k;
CREATE VIEW calls.cost_sketch_lorenz AS
SELECT l.* FROM (SELECT analytics.cost_sketch(cost) AS s FROM calls.sample_costs) k,
       analytics.lorenz_curve(k.s, 4) l;
\endif

DROP SCHEMA calls_setup CASCADE;
