-- src/sql/42_quantile_group.sql
-- quantile_group: PHE's quantile assignment as a window function
-- (src/quantile_group.c).

CREATE FUNCTION @extschema@.quantile_group(value float8, groups integer,
    invert boolean DEFAULT true)
RETURNS integer
AS 'MODULE_PATHNAME', 'quantile_group'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile_group(float8, integer, boolean) IS
'Window function: quantile 1..groups of value within its partition exactly as PHEindicatormethods phe_quantile (ties share a group; invert = true puts the highest values in group 1; NULL when the partition has fewer values than groups)';
