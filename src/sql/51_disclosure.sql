-- src/sql/51_disclosure.sql
-- Statistical disclosure control (src/disclosure.c), NHS Digital HES/ECDS rule
-- by default: 0 stays 0, 1..threshold suppressed, the rest rounded to the
-- nearest multiple of base (halves up).

CREATE FUNCTION @extschema@.sdc_round(count bigint, threshold integer DEFAULT 7,
                                      base integer DEFAULT 5)
RETURNS bigint
AS 'MODULE_PATHNAME', 'sdc_round'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_round(bigint, integer, integer) IS
'Disclosure control of a count: 0 stays 0, 1..threshold -> NULL (suppressed), larger counts rounded to the nearest multiple of base, halves up (NHS Digital rule: threshold 7, base 5)';

CREATE FUNCTION @extschema@.sdc_label(count bigint, threshold integer DEFAULT 7,
                                      base integer DEFAULT 5)
RETURNS text
AS 'MODULE_PATHNAME', 'sdc_label'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_label(bigint, integer, integer) IS
'sdc_round for display: the rounded count as text, or ''*'' when suppressed';

CREATE FUNCTION @extschema@.sdc_percentage(numerator bigint, denominator bigint,
                                           threshold integer DEFAULT 7,
                                           base integer DEFAULT 5,
                                           digits integer DEFAULT 1)
RETURNS numeric
AS 'MODULE_PATHNAME', 'sdc_percentage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_percentage(bigint, bigint, integer, integer, integer) IS
'100 * sdc_round(numerator) / sdc_round(denominator), rounded half up to digits places; NULL when either is suppressed or the rounded denominator is 0';
