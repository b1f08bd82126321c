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
CREATE SCHEMA bi;
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
