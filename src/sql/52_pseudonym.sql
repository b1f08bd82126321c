-- src/sql/52_pseudonym.sql
-- Keyed pseudonyms (src/pseudonym.c): HMAC-SHA256 as 64 lowercase hex digits.
-- Explicit-key forms are pure (IMMUTABLE). Key-file forms depend on the GUC
-- value_ext.pseudonym_key_file and the file (STABLE), and are PARALLEL
-- RESTRICTED so one query never mixes keys if the file is replaced while
-- parallel workers start. Their EXECUTE is revoked from PUBLIC: anyone who can
-- call them can pseudonymise every possible NHS number and so reverse the
-- pseudonyms; the DBA grants them to the roles that make extracts.

CREATE FUNCTION @extschema@.pseudonymise(identifier text, key bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.pseudonymise(text, bytea) IS
'Keyed pseudonym: HMAC-SHA256(key, identifier''s bytes) as 64 lowercase hex digits, equal to encode(pgcrypto hmac(identifier, key, ''sha256''), ''hex''); the key must have at least 32 bytes';

CREATE FUNCTION @extschema@.pseudonymise(identifier text)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_file'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.pseudonymise(text) IS
'Keyed pseudonym with the server''s key: the hex key in the file named by value_ext.pseudonym_key_file (set by a superuser); same result as pseudonymise(identifier, key) with that key. EXECUTE is granted by the DBA';

CREATE FUNCTION @extschema@.pseudonymise_nhs_number(nhs_number text, key bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_nhs_number_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.pseudonymise_nhs_number(text, bytea) IS
'pseudonymise(nhs_number_normalize(nhs_number), key): every accepted written form of one NHS number gives one pseudonym; NULL for an invalid number';

CREATE FUNCTION @extschema@.pseudonymise_nhs_number(nhs_number text)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_nhs_number_file'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.pseudonymise_nhs_number(text) IS
'pseudonymise(nhs_number_normalize(nhs_number)) with the server''s key file; NULL for an invalid number. EXECUTE is granted by the DBA';

REVOKE EXECUTE ON FUNCTION @extschema@.pseudonymise(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.pseudonymise_nhs_number(text) FROM PUBLIC;
