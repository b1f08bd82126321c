-- src/sql/50_nhs_number.sql
-- NHS numbers (src/nhs_number.c): accepted written forms and Modulus 11.
-- Accepted: ten digits, or the 3-3-4 display grouping with one space or one
-- hyphen (the same both times); surrounding spaces, tabs, CR and LF ignored.

CREATE FUNCTION @extschema@.nhs_number_is_valid(nhs_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'nhs_number_is_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nhs_number_is_valid(text) IS
'True when the text is an NHS number that passes the Modulus 11 check: ten digits, or 3-3-4 groups separated by one space or one hyphen (e.g. ''943 476 5919''); surrounding whitespace ignored';

CREATE FUNCTION @extschema@.nhs_number_normalize(nhs_number text)
RETURNS text
AS 'MODULE_PATHNAME', 'nhs_number_normalize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nhs_number_normalize(text) IS
'The ten digits of a valid NHS number (''943 476 5919'' -> ''9434765919''), or NULL when nhs_number_is_valid is false';
