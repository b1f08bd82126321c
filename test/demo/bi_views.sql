-- test/demo/bi_views.sql -- Power BI-ready views of the demo place (schema bi),
-- loaded by test/demo/load.sh after the place is built. They are also the
-- pattern for users' own BI views (README "Power BI, materialised views and
-- restore"): plain columns only, typed so psqlODBC hands Power BI the right
-- thing, and additive parts (summed cost, people) next to every ratio.
--   money            numeric(18,2)   arrives as NUMERIC(18,2), not NUMERIC(28,6)
--   ratios, z, rates float8          arrives as FLOAT (double precision)
--   counts           bigint / int    BIGINT / INTEGER
--   codes, labels    varchar(n)      VARCHAR(n) (WVARCHAR(n) via the Unicode driver), not 8190-long text
--   flags            smallint 0/1    not boolean, which arrives as text '1'/'0'
--   composites       (f(...)).* expanded through a subquery, one column per field
-- test/odbc/run.sh reads every view of schema bi through psqlODBC and checks
-- exactly these types and the values against psql.
CREATE SCHEMA IF NOT EXISTS bi;   -- load.sh again: replacing demo dropped the views
COMMENT ON SCHEMA bi IS 'Demo place: views for Power BI over ODBC (plain typed columns)';

-- Cost by population segment: totals, per head, and how concentrated the
-- cost is within the segment (top 5% share, Gini, median and 90th centile).
CREATE VIEW bi.cost_by_segment AS
SELECT s.segment::varchar(40) AS segment,
       s.people,
       round(s.total_cost::numeric, 2)::numeric(18,2) AS total_cost,
       round((s.total_cost / s.people)::numeric, 2)::numeric(18,2) AS cost_per_head,
       round((s.profile).median::numeric, 2)::numeric(18,2) AS median_cost,
       round((s.profile).p90::numeric, 2)::numeric(18,2) AS p90_cost,
       s.top5_share,
       s.gini,
       s.people_without_cost
FROM (SELECT p.segment,
             count(*) AS people,
             sum(c.total_cost) AS total_cost,
             count(*) FILTER (WHERE c.total_cost = 0) AS people_without_cost,
             top_share(c.total_cost, 0.05) AS top5_share,
             gini(c.total_cost) AS gini,
             cost_profile(c.total_cost) AS profile
      FROM demo.person p JOIN demo.person_cost c USING (person_id)
      GROUP BY p.segment) s;
COMMENT ON VIEW bi.cost_by_segment IS
'Demo BI: cost by population segment (total, per head, median, 90th centile as numeric(18,2); top 5% share and Gini as float8)';

-- The deprivation gradient: people, cost and emergency admissions by IMD
-- 2019 decile, with crude and age-standardised admission rates per 1,000.
CREATE VIEW bi.deprivation_gradient AS
WITH band AS (
    SELECT p.imd_decile, p.age_band, count(*)::float8 AS people,
           sum(o.emergency_admissions)::float8 AS admissions
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    GROUP BY p.imd_decile, p.age_band),
std AS (
    SELECT b.imd_decile,
           dsr(b.admissions, b.people, e.esp2013_population, 0.95, 1000) AS d
    FROM band b JOIN esp2013 e ON e.age_band = b.age_band
    GROUP BY b.imd_decile),
dec AS (
    SELECT p.imd_decile, count(*) AS people, sum(c.total_cost) AS total_cost,
           sum(o.emergency_admissions) AS admissions,
           crude_rate(o.emergency_admissions, 1, 0.95, 1000) AS r
    FROM demo.person p JOIN demo.person_cost c USING (person_id)
    JOIN demo.outcome o USING (person_id)
    GROUP BY p.imd_decile)
SELECT d.imd_decile::integer AS imd_decile,
       is_core20(d.imd_decile)::int::smallint AS core20,
       d.people,
       round(d.total_cost::numeric, 2)::numeric(18,2) AS total_cost,
       round((d.total_cost / d.people)::numeric, 2)::numeric(18,2) AS cost_per_head,
       (d.total_cost / d.people) / (sum(d.total_cost) OVER () / sum(d.people) OVER ()) AS cost_index,
       d.admissions,
       (d.r).value AS admissions_per_1000,
       (d.r).lower AS admissions_per_1000_lower95,
       (d.r).upper AS admissions_per_1000_upper95,
       (s.d).value AS standardised_per_1000,
       (s.d).lower AS standardised_per_1000_lower95,
       (s.d).upper AS standardised_per_1000_upper95
FROM dec d JOIN std s USING (imd_decile);
COMMENT ON VIEW bi.deprivation_gradient IS
'Demo BI: people, cost and emergency admissions by IMD 2019 decile (1 = most deprived), crude and ESP2013-standardised rates per 1,000 with 95% limits, core20 flag';

-- Practices on a funnel of the share of their people with an emergency
-- admission, with a peer z-score of their cost per head.
CREATE VIEW bi.practice_funnel AS
WITH u AS (
    SELECT p.practice_code, count(*) AS people,
           count(*) FILTER (WHERE o.emergency_admissions > 0) AS admitted,
           sum(c.total_cost) AS total_cost
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    JOIN demo.person_cost c USING (person_id)
    GROUP BY p.practice_code),
m AS (SELECT funnel_fit(u.admitted, u.people) AS model FROM u)
SELECT u.practice_code::varchar(10) AS practice_code,
       pr.practice_name::varchar(120) AS practice_name,
       u.people,
       u.admitted,
       u.admitted::float8 / u.people AS admitted_share,
       funnel_z(u.admitted, u.people, m.model) AS z,
       funnel_limit(u.people, m.model, 0.95, false) AS lower95,
       funnel_limit(u.people, m.model, 0.95, true) AS upper95,
       funnel_limit(u.people, m.model, 0.998, false) AS lower998,
       funnel_limit(u.people, m.model, 0.998, true) AS upper998,
       (funnel_flag(u.admitted, u.people, m.model) = 'high')::int::smallint AS above_998,
       (funnel_flag(u.admitted, u.people, m.model) = 'low')::int::smallint AS below_998,
       round((u.total_cost / u.people)::numeric, 2)::numeric(18,2) AS cost_per_head,
       peer_zscore(u.total_cost / u.people) OVER () AS cost_per_head_z
FROM u CROSS JOIN m JOIN demo.practice pr USING (practice_code);
COMMENT ON VIEW bi.practice_funnel IS
'Demo BI: each practice''s share of people with an emergency admission on a funnel (z, 95% and 99.8% limits, outlier flags) and its cost per head with a peer z-score';

-- The funnel's limits as lines to draw under the practices' points.
CREATE VIEW bi.funnel_limits AS
WITH u AS (
    SELECT p.practice_code, count(*)::float8 AS people,
           count(*) FILTER (WHERE o.emergency_admissions > 0)::float8 AS admitted
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    GROUP BY p.practice_code),
m AS (SELECT funnel_fit(u.admitted, u.people) AS model,
             min(u.people) AS lo, max(u.people) AS hi FROM u)
SELECT l.denominator, l.lower95, l.upper95, l.lower998, l.upper998
FROM m, funnel_limits(m.model, m.lo, m.hi, 100) l;
COMMENT ON VIEW bi.funnel_limits IS
'Demo BI: the practice funnel''s 95% and 99.8% limits at 100 list sizes from the smallest to the largest practice (lines for a chart)';

-- Value for money by segment: quality of life bought per 1,000 pounds,
-- with the additive parts Power BI can re-aggregate.
CREATE VIEW bi.value_ratios AS
SELECT s.segment::varchar(40) AS segment,
       s.people,
       s.total_qol,
       round(s.total_cost::numeric, 2)::numeric(18,2) AS total_cost,
       (s.v).ratio AS qol_per_1000,
       (s.v).lower AS qol_per_1000_lower95,
       (s.v).upper AS qol_per_1000_upper95,
       (s.v).status::varchar(20) AS interval_status,
       ((s.v).status = 'ok')::int::smallint AS interval_ok
FROM (SELECT p.segment, count(*) AS people, sum(o.qol) AS total_qol,
             sum(c.total_cost) AS total_cost,
             value_ratio_ci(o.qol, c.total_cost / 1000) AS v
      FROM demo.person p JOIN demo.outcome o USING (person_id)
      JOIN demo.person_cost c USING (person_id)
      GROUP BY p.segment) s;
COMMENT ON VIEW bi.value_ratios IS
'Demo BI: quality of life per 1,000 pounds by segment (value ratio with 95% Fieller limits) and its additive parts';

-- The Lorenz curve of cost over the whole place, for a concentration chart.
CREATE VIEW bi.cost_lorenz AS
SELECT l.population_share, l.cost_share
FROM (SELECT array_agg(c.total_cost) AS costs FROM demo.person_cost c) a,
     lorenz_curve(a.costs, 20) l;
COMMENT ON VIEW bi.cost_lorenz IS
'Demo BI: Lorenz curve of cost per person over the whole place (21 points, people ascending by cost)';

-- Inequality across the IMD deciles: slope and relative index of inequality
-- of the age-standardised emergency admission rate (positive SII: higher in
-- deprived areas), and concentration indices (negative: concentrated among
-- the deprived). One row per measure.
CREATE VIEW bi.deprivation_inequality AS
WITH band AS (
    SELECT p.imd_decile, p.age_band, count(*)::float8 AS people,
           sum(o.emergency_admissions)::float8 AS admissions
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    GROUP BY p.imd_decile, p.age_band),
dec AS (
    SELECT b.imd_decile, dsr(b.admissions, b.people, e.esp2013_population) AS d
    FROM band b JOIN esp2013 e ON e.age_band = b.age_band
    GROUP BY b.imd_decile),
s AS (
    SELECT sii((d).value, (d).population, imd_decile, (d).lower, (d).upper,
               'rate', false, 0.95, -1, 100000, 2024) AS r
    FROM dec),
ci AS (
    SELECT concentration_index(o.emergency_admissions, p.imd_decile) AS admissions,
           concentration_index(c.total_cost, p.imd_decile) AS cost
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    JOIN demo.person_cost c USING (person_id))
SELECT 'Emergency admissions per 100,000, age-standardised'::varchar(60) AS measure,
       (s.r).sii, (s.r).sii_lower, (s.r).sii_upper, (s.r).rii, (s.r).rii_lower, (s.r).rii_upper,
       ci.admissions AS concentration_index
FROM s, ci
UNION ALL
SELECT 'Cost per person'::varchar(60), NULL, NULL, NULL, NULL, NULL, NULL, ci.cost
FROM ci;
COMMENT ON VIEW bi.deprivation_inequality IS
'Demo BI: slope and relative index of inequality of age-standardised emergency admissions across IMD deciles (seeded simulation limits), and concentration indices by deprivation';

-- Life expectancy at birth and at 65 by IMD quintile (PHE's validity rules:
-- NULL value when the interval is wider than 20 years; published = 0/1).
CREATE VIEW bi.life_expectancy_by_quintile AS
SELECT q.quintile AS imd_quintile,
       (q.le).population::bigint AS people,
       (q.le).deaths::bigint AS deaths,
       (q.le).value AS at_birth,
       (q.le).lower AS at_birth_lower95,
       (q.le).upper AS at_birth_upper95,
       (q.le65).value AS at_65,
       (q.le65).lower AS at_65_lower95,
       (q.le65).upper AS at_65_upper95,
       ((q.le).value IS NOT NULL)::int::smallint AS published
FROM (SELECT (p.imd_decile + 1) / 2 AS quintile,          -- deciles 1-2 -> quintile 1, ...
             life_expectancy(p.died::int, 1, life_table_band(p.age)) AS le,
             life_expectancy(p.died::int, 1, life_table_band(p.age), 0.95, 65) AS le65
      FROM demo.person p GROUP BY 1) q;
COMMENT ON VIEW bi.life_expectancy_by_quintile IS
'Demo BI: life expectancy at birth and at 65 by IMD quintile (Chiang II, Silcocks 95% limits; NULL where PHE rules suppress it)';

-- A table fit to publish: people and deaths by practice and segment under
-- the NHS Digital small-number rule (1-7 suppressed, the rest rounded to 5);
-- small practices' cells show the suppression.
CREATE VIEW bi.published_practice_segment AS
SELECT s.practice_code::varchar(10) AS practice_code,
       s.segment::varchar(40) AS segment,
       sdc_round(s.people) AS people,
       sdc_label(s.people)::varchar(12) AS people_label,
       sdc_round(s.died) AS deaths,
       sdc_label(s.died)::varchar(12) AS deaths_label,
       sdc_percentage(s.died, s.people, 7, 5, 1)::numeric(6,1) AS deaths_percent,
       (sdc_round(s.people) IS NULL OR sdc_round(s.died) IS NULL)::int::smallint AS suppressed
FROM (SELECT p.practice_code, p.segment, count(*) AS people, count(*) FILTER (WHERE p.died) AS died
      FROM demo.person p GROUP BY p.practice_code, p.segment) s;
COMMENT ON VIEW bi.published_practice_segment IS
'Demo BI: people and deaths by practice and segment with disclosure control (NHS Digital rule: 1-7 suppressed, others rounded to 5)';

-- Weekly emergency admissions of the place as an SPC chart (Making Data
-- Count XmR; fewer admissions is better), rebased in the week of 7 October
-- 2024; only whole weeks (the year ends on a Monday).
CREATE VIEW bi.spc_points AS
WITH w AS (
    SELECT date_trunc('week', a.activity_date)::date AS week, count(*) AS admissions
    FROM demo.activity a
    WHERE a.setting = 'Non-elective' AND a.activity_date < date '2025-03-31'
    GROUP BY 1),
c AS (SELECT spc_chart(w.week, w.admissions::float8, w.week = date '2024-10-07') AS chart FROM w)
SELECT p.period_date AS week,
       p.point,
       p.segment,
       p.value::bigint AS admissions,
       p.centre,
       p.lower_limit,
       p.upper_limit,
       p.lower_near,
       p.upper_near,
       p.trial_limits::int::smallint AS trial_limits,
       (p.rule IS NOT NULL)::int::smallint AS special_cause,
       p.rule::varchar(20) AS rule,
       p.point_type::varchar(40) AS point_type
FROM c, spc_points(c.chart, 'decrease') p;
COMMENT ON VIEW bi.spc_points IS
'Demo BI: weekly emergency admissions as an SPC (XmR) chart rebased on 7 October 2024: centre, process and near limits, the Making Data Count rule and point type of each week';

-- The RightCare "Similar 10" peer sets, one row per unit and peer, for two
-- kinds of unit: the place's practices (list size, mean IMD 2019 score of
-- their people, % aged 18-39, 65-84 and 85+) and England's 106 sub-ICB
-- locations (demo.sub_icb: mean IMD 2019 score, population, % aged 0-15 and
-- 60+, mean Health Deprivation and Disability rank); equal weights. A tie at
-- the 10th distance keeps every tied peer: peer_count says how many the
-- unit has (more than 10 then), tied marks the rows that share a rank.
CREATE VIEW bi.similar_peers AS
WITH practice_profile AS (
    SELECT p.practice_code,
           ARRAY[count(*), avg(imd_score(p.lsoa11_code)),
                 100.0 * avg((p.age BETWEEN 18 AND 39)::int),
                 100.0 * avg((p.age BETWEEN 65 AND 84)::int),
                 100.0 * avg((p.age >= 85)::int)]::float8[] AS features
    FROM demo.person p GROUP BY p.practice_code),
practice_space AS (
    SELECT peer_space(f.practice_code, f.features) AS space FROM practice_profile f),
sub_icb_space AS (
    SELECT peer_space(s.sub_icb_code,
                      ARRAY[s.imd_score, s.population, s.pct_aged_0_15, s.pct_aged_60_plus,
                            s.health_rank]) AS space
    FROM demo.sub_icb s),
unit AS (
    SELECT 'practice' AS peer_set, pr.practice_code AS code, pr.practice_name AS name,
           NULL::text AS area, s.icb_name
    FROM demo.practice pr JOIN demo.sub_icb s ON s.sub_icb_code = '00P'
    UNION ALL
    SELECT 'sub-ICB location', s.sub_icb_code, s.sub_icb_name, s.main_lad_name, s.icb_name
    FROM demo.sub_icb s),
pairs AS (
    SELECT 'practice' AS peer_set, n.* FROM practice_space, nearest_peers(space, 10) n
    UNION ALL
    SELECT 'sub-ICB location', n.* FROM sub_icb_space, nearest_peers(space, 10) n)
SELECT n.peer_set::varchar(20) AS peer_set,
       n.unit::varchar(10) AS unit_code,
       u.name::varchar(120) AS unit_name,
       u.area::varchar(60) AS unit_area,
       u.icb_name::varchar(120) AS unit_icb_name,
       n.peer::varchar(10) AS peer_code,
       p.name::varchar(120) AS peer_name,
       p.area::varchar(60) AS peer_area,
       p.icb_name::varchar(120) AS peer_icb_name,
       n.peer_rank,
       n.distance,
       n.tied::int::smallint AS tied,
       count(*) OVER (PARTITION BY n.peer_set, n.unit) AS peer_count,
       (u.icb_name = p.icb_name)::int::smallint AS same_icb
FROM pairs n
JOIN unit u ON u.peer_set = n.peer_set AND u.code = n.unit
JOIN unit p ON p.peer_set = n.peer_set AND p.code = n.peer;
COMMENT ON VIEW bi.similar_peers IS
'Demo BI: the RightCare Similar 10 (nearest_peers) of each practice of the place and of each of the 106 sub-ICB locations of England: rank, distance, tie flag and the unit''s peer count (over 10 when the 10th distance is tied)';

-- Practices against the best 5 of their similar 10: a materialised view
-- (refresh it when the data change; CONCURRENTLY, thanks to its unique index),
-- read by Power BI like any view.
CREATE MATERIALIZED VIEW bi.practice_opportunity AS
WITH u AS (
    SELECT p.practice_code, count(*) AS people, sum(c.total_cost) / count(*) AS cost_per_head
    FROM demo.person p JOIN demo.person_cost c USING (person_id)
    GROUP BY p.practice_code),
b AS (SELECT s.unit_code AS practice_code, count(*)::int AS peers,
             peer_benchmark(q.cost_per_head) AS benchmark
      FROM bi.similar_peers s JOIN u q ON q.practice_code = s.peer_code
      WHERE s.peer_set = 'practice'
      GROUP BY s.unit_code)
SELECT u.practice_code::varchar(10) AS practice_code,
       b.peers,
       u.people,
       round(u.cost_per_head::numeric, 2)::numeric(18,2) AS cost_per_head,
       round(b.benchmark::numeric, 2)::numeric(18,2) AS benchmark_cost_per_head,
       round(opportunity(u.cost_per_head, b.benchmark, u.people)::numeric, 2)::numeric(18,2) AS opportunity
FROM u JOIN b USING (practice_code);
CREATE UNIQUE INDEX ON bi.practice_opportunity (practice_code);
COMMENT ON MATERIALIZED VIEW bi.practice_opportunity IS
'Demo BI (materialised): each practice''s cost per head against the mean of the best 5 of its similar 10 practices (bi.similar_peers), and the money released by matching it';
