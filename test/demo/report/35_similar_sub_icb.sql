-- test/demo/report/35_similar_sub_icb.sql -- the place among England's
-- sub-ICB locations: the RightCare "Similar 10" of 00P (Sunderland) among
-- all 106, from the IoD2019 features of demo.sub_icb (README "Similar
-- peers", worked example). Run by `make demo` from the repository root.
\echo
\echo '== Similar 10 of sub-ICB 00P among the 106 sub-ICB locations of England (nearest_peers)'
-- Five features, equal weights: mean IMD 2019 score, population, % aged
-- 0-15, % aged 60+ (the IoD2019 mid-2015 denominators; 16-59 is the rest,
-- so it is not a feature of its own) and the mean rank of the Health
-- Deprivation and Disability domain (1 = most deprived LSOA of 32,844).
CREATE TEMP TABLE sub_icb_space AS
SELECT peer_space(sub_icb_code,
                  ARRAY[imd_score, population, pct_aged_0_15, pct_aged_60_plus, health_rank],
                  ARRAY[1, 1, 1, 1, 1]) AS space
FROM demo.sub_icb;
SELECT count(*) AS sub_icbs, sum(population) AS population, sum(lsoas) AS lsoas,
       count(DISTINCT icb_code) AS icbs
FROM demo.sub_icb;
SELECT sub_icb_code, main_lad_name AS mainly, icb_name, population, round(imd_score::numeric, 2) AS imd_score,
       round(pct_aged_0_15::numeric, 1) AS pct_0_15, round(pct_aged_60_plus::numeric, 1) AS pct_60_plus,
       round(health_rank) AS health_rank
FROM demo.sub_icb WHERE sub_icb_code = '00P';
SELECT n.peer_rank, n.peer, s.main_lad_name AS mainly, s.icb_name, round(n.distance::numeric, 4) AS distance,
       n.tied, s.population, round(s.imd_score::numeric, 2) AS imd_score,
       round(s.pct_aged_0_15::numeric, 1) AS pct_0_15, round(s.pct_aged_60_plus::numeric, 1) AS pct_60_plus,
       round(s.health_rank) AS health_rank
FROM sub_icb_space, nearest_peers(space, '00P', 10) n
JOIN demo.sub_icb s ON s.sub_icb_code = n.peer
ORDER BY n.peer_rank, n.peer;
\echo '-- every sub-ICB''s similar 10: how many have more than 10 peers (a tie at the 10th distance keeps all)'
SELECT count(DISTINCT unit) AS sub_icbs, min(n) AS fewest_peers, max(n) AS most_peers,
       count(*) FILTER (WHERE n > 10) AS with_ties_at_10th,
       round(avg(same_icb)::numeric, 2) AS mean_peers_in_own_icb
FROM (SELECT p.unit, count(*) AS n, count(*) FILTER (WHERE u.icb_code = q.icb_code) AS same_icb
      FROM sub_icb_space, nearest_peers(space, 10) p
      JOIN demo.sub_icb u ON u.sub_icb_code = p.unit
      JOIN demo.sub_icb q ON q.sub_icb_code = p.peer
      GROUP BY p.unit) x;
