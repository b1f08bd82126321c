-- src/sql/41_dsr.sql
-- Standardised rates as PHEindicatormethods computes them (src/dsr.c), and
-- the 2013 European Standard Population. Aggregates take no named or
-- default arguments, so each call form is its own overload.

CREATE TABLE @extschema@.esp2013 (
    band_index integer PRIMARY KEY,
    age_band text NOT NULL UNIQUE,
    age_from integer NOT NULL,
    age_to integer,
    esp2013_population float8 NOT NULL
);
-- the same rows as src/data/esp2013_19_bands.csv (sql/41_dsr.sql checks it)
INSERT INTO @extschema@.esp2013 VALUES
    (1, '0-4', 0, 4, 5000), (2, '5-9', 5, 9, 5500), (3, '10-14', 10, 14, 5500),
    (4, '15-19', 15, 19, 5500), (5, '20-24', 20, 24, 6000), (6, '25-29', 25, 29, 6000),
    (7, '30-34', 30, 34, 6500), (8, '35-39', 35, 39, 7000), (9, '40-44', 40, 44, 7000),
    (10, '45-49', 45, 49, 7000), (11, '50-54', 50, 54, 7000), (12, '55-59', 55, 59, 6500),
    (13, '60-64', 60, 64, 6000), (14, '65-69', 65, 69, 5500), (15, '70-74', 70, 74, 5000),
    (16, '75-79', 75, 79, 4000), (17, '80-84', 80, 84, 2500), (18, '85-89', 85, 89, 1500),
    (19, '90+', 90, NULL, 1000);
COMMENT ON TABLE @extschema@.esp2013 IS
'2013 European Standard Population in 19 five-year bands (0-4 ... 85-89, 90+), total 100,000: the standard for dsr';

CREATE FUNCTION @extschema@.esp2013_weight(age integer)
RETURNS float8 AS 'MODULE_PATHNAME', 'esp2013_weight'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.esp2013_weight(integer) IS
'2013 European Standard Population of the five-year band holding this age (90+ for 90 and over); error for negative ages';

CREATE TYPE @extschema@.dsr_result AS (
    value float8,
    lower float8,
    upper float8,
    events float8,
    population float8
);
COMMENT ON TYPE @extschema@.dsr_result IS
'Result of dsr: directly standardised rate with Dobson limits (NULL below 10 events), total events and total population';

CREATE TYPE @extschema@.isr_result AS (
    ratio float8,
    lower float8,
    upper float8,
    observed float8,
    expected float8,
    method text
);
COMMENT ON TYPE @extschema@.isr_result IS
'Result of isr: indirectly standardised ratio (observed/expected times multiplier) with exact or Byar''s limits';

CREATE TYPE @extschema@.isr_rate_result AS (
    rate float8,
    lower float8,
    upper float8,
    observed float8,
    expected float8,
    reference_rate float8,
    method text
);
COMMENT ON TYPE @extschema@.isr_rate_result IS
'Result of isr_rate: indirectly standardised rate (ratio times the reference rate) with exact or Byar''s limits';

-- dsr, independent events: one row per band
CREATE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_final(float8[])
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8) (
    SFUNC = @extschema@.dsr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combine, FINALFUNC = @extschema@.dsr_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8,
                                 confidence float8) (
    SFUNC = @extschema@.dsr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combine, FINALFUNC = @extschema@.dsr_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8,
                                 confidence float8, multiplier float8) (
    SFUNC = @extschema@.dsr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combine, FINALFUNC = @extschema@.dsr_final, PARALLEL = SAFE);

-- dsr, non-independent events: one row per (band, event frequency)
CREATE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_final(@extschema@.value_list)
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_nonind_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text) (
    SFUNC = @extschema@.dsr_nonind_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combine, FINALFUNC = @extschema@.dsr_nonind_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text, confidence float8) (
    SFUNC = @extschema@.dsr_nonind_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combine, FINALFUNC = @extschema@.dsr_nonind_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text, confidence float8,
                                 multiplier float8) (
    SFUNC = @extschema@.dsr_nonind_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combine, FINALFUNC = @extschema@.dsr_nonind_final,
    PARALLEL = SAFE);

-- isr and isr_rate
CREATE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_final(float8[])
RETURNS @extschema@.isr_result AS 'MODULE_PATHNAME', 'isr_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_final(float8[])
RETURNS @extschema@.isr_rate_result AS 'MODULE_PATHNAME', 'isr_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8) (
    SFUNC = @extschema@.isr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8, confidence float8) (
    SFUNC = @extschema@.isr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.isr_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8) (
    SFUNC = @extschema@.isr_rate_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_rate_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8, confidence float8) (
    SFUNC = @extschema@.isr_rate_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_rate_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.isr_rate_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combine, FINALFUNC = @extschema@.isr_rate_final, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8) IS 'Transition function of dsr(events, population, standard_population)';
COMMENT ON FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8) IS 'Transition function of dsr(..., confidence)';
COMMENT ON FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8, float8) IS 'Transition function of dsr(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.dsr_combine(float8[], float8[]) IS 'Combine function of dsr (independent events)';
COMMENT ON FUNCTION @extschema@.dsr_final(float8[]) IS 'Final function of dsr (independent events)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text) IS 'Transition function of dsr(persons, population, standard_population, event_frequency, age_band)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8) IS 'Transition function of dsr(..., age_band, confidence)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8) IS 'Transition function of dsr(..., age_band, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_combine(@extschema@.value_list, @extschema@.value_list) IS 'Combine function of dsr (non-independent events)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_final(@extschema@.value_list) IS 'Final function of dsr (non-independent events)';
COMMENT ON FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8) IS 'Transition function of isr(observed, population, reference_events, reference_population)';
COMMENT ON FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8) IS 'Transition function of isr(..., confidence)';
COMMENT ON FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8, float8) IS 'Transition function of isr(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8) IS 'Transition function of isr_rate(observed, population, reference_events, reference_population)';
COMMENT ON FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8) IS 'Transition function of isr_rate(..., confidence)';
COMMENT ON FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8, float8) IS 'Transition function of isr_rate(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.isr_combine(float8[], float8[]) IS 'Combine function of isr and isr_rate';
COMMENT ON FUNCTION @extschema@.isr_final(float8[]) IS 'Final function of isr';
COMMENT ON FUNCTION @extschema@.isr_rate_final(float8[]) IS 'Final function of isr_rate';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8) IS 'Directly standardised rate per 100,000 with Dobson 95% limits (one row per band; NULL below 10 events), as PHEindicatormethods calculate_dsr';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8) IS 'Directly standardised rate per 100,000 with Dobson limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, float8) IS 'Directly standardised rate times multiplier with Dobson limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text) IS 'Directly standardised rate for non-independent events: rows are (band, event frequency) with the persons having that many events';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text, float8) IS 'Directly standardised rate for non-independent events at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text, float8, float8) IS 'Directly standardised rate for non-independent events at the given confidence and multiplier';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8) IS 'Indirectly standardised ratio observed/expected with exact (below 10) or Byar''s 95% limits, as calculate_ISRatio';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8, float8) IS 'Indirectly standardised ratio at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8, float8, float8) IS 'Indirectly standardised ratio times multiplier (100 for an SMR-style percentage) at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8) IS 'Indirectly standardised rate per 100,000 with exact or Byar''s 95% limits, as calculate_ISRate';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8, float8) IS 'Indirectly standardised rate per 100,000 at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8, float8, float8) IS 'Indirectly standardised rate times multiplier at the given confidence';
