-- src/sql/11_postcode.sql
-- Postcodes (C in src/postcode.c): ICU normalisation, the postcode -> LSOA
-- table filled by load_postcode_lookup, and the cached lookups.

CREATE FUNCTION @extschema@.postcode_normalize(postcode text, strict boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'postcode_normalize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.postcode_normalize(text, boolean) IS
'Canonical UK postcode ("SR1 1AA") from dirty input (any case, Unicode spaces anywhere, full-width forms; ICU NFKC + upper case); NULL when it cannot be a postcode, or error 22P02 with strict => true';

-- The postcode table is user data: whatever load_postcode_lookup loaded is
-- dumped by pg_dump (pg_extension_config_dump) and restored with it.
CREATE TABLE @extschema@.postcode_lookup (
    postcode text PRIMARY KEY,
    lsoa11_code text,
    lsoa21_code text,
    terminated boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.postcode_lookup IS
'Postcode -> LSOA 2011/2021 as loaded by load_postcode_lookup from an ONS postcode directory (NSPL/ONSPD); postcodes in canonical form; terminated postcodes kept. Empty after CREATE EXTENSION; dumped by pg_dump';
COMMENT ON COLUMN @extschema@.postcode_lookup.terminated IS 'true when the file gave a termination date (doterm)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.postcode_lookup', '');

CREATE TRIGGER postcode_lookup_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.postcode_lookup
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.value_ext_refdata_changed();

GRANT SELECT ON @extschema@.postcode_lookup TO PUBLIC;
-- load_postcode_lookup runs as its caller: the roles allowed to read server
-- files may replace the table's contents (and nothing else).
GRANT INSERT, TRUNCATE ON @extschema@.postcode_lookup TO pg_read_server_files;

-- Writes, so PARALLEL RESTRICTED (leader only); PostgreSQL refuses the
-- TRUNCATE with an error if it were ever reached inside a parallel plan.
CREATE FUNCTION @extschema@.load_postcode_lookup(path text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'load_postcode_lookup'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.load_postcode_lookup(text) IS
'Replace postcode_lookup with an ONS postcode directory CSV on the server (columns by header name: pcds/pcd, lsoa11, lsoa21, doterm); returns rows loaded; superusers and pg_read_server_files only';

CREATE FUNCTION @extschema@.lsoa_for_postcode(postcode text, vintage integer DEFAULT 2011)
RETURNS text
AS 'MODULE_PATHNAME', 'lsoa_for_postcode'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lsoa_for_postcode(text, integer) IS
'LSOA 2011 or 2021 code of a postcode (normalised first) from postcode_lookup; terminated postcodes resolve; NULL when unknown or when the other vintage maps ambiguously';

CREATE FUNCTION @extschema@.imd_decile_for_postcode(postcode text, edition integer DEFAULT 2019)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile_for_postcode'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile_for_postcode(text, integer) IS
'IMD decile (2019 or 2025) of the LSOA of a postcode (normalised first); NULL for unknown postcodes, non-English LSOAs, and split LSOAs whose parts differ';
