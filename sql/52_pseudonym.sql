-- Keyed pseudonyms: HMAC-SHA256 as lowercase hex (src/pseudonym.c).
-- Expected digests: RFC 4231 test cases 6 and 7 (HMAC-SHA-256 rows, the only
-- RFC cases whose key reaches our 32-byte minimum and whose data is text),
-- and values computed by hand with the OpenSSL command line, e.g.
--   printf '%s' 9434765919 | openssl dgst -sha256 -mac HMAC -macopt hexkey:abab...ab
-- (test/safe_outputs_pseudonym.sql recomputes them with openssl and pgcrypto
-- at test time).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
-- RFC 4231 4.7 (test case 6): 131-byte key 0xaa..aa
SELECT pseudonymise('Test Using Larger Than Block-Size Key - Hash Key First',
                    decode(repeat('aa', 131), 'hex'))
       = '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' AS rfc4231_case6;
-- RFC 4231 4.8 (test case 7)
SELECT pseudonymise('This is a test using a larger than block-size key and a larger '
                    'than block-size data. The key needs to be hashed before being '
                    'used by the HMAC algorithm.', decode(repeat('aa', 131), 'hex'))
       = '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2' AS rfc4231_case7;
-- openssl dgst with hexkey 000102...1f (32 bytes): an ODS code, the empty
-- string, and a non-ASCII identifier (hashed as its UTF-8 bytes)
SELECT id, pseudonymise(id, decode('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'))
FROM (VALUES ('A81001'), (''), ('Zoë')) v(id);
-- NHS numbers with key 0xab x 32: every accepted form gives the pseudonym of
-- the ten digits; invalid numbers give NULL
SELECT n, pseudonymise_nhs_number(n, decode(repeat('ab', 32), 'hex')) AS pseudonym
FROM (VALUES ('9434765919'), ('943 476 5919'), ('943-476-5919'), (' 9434765919 '),
             ('9876543210'), ('1234567890'), ('943-476 5919'), ('')) v(n);
SELECT pseudonymise('9434765919', decode(repeat('ab', 32), 'hex'))
       = '35af087702b6e96c445dd5fada080e33d36545b58cc0c93d4632b5f739dba899' AS same_as_openssl;
-- key lengths: 32 bytes is the minimum, longer keys are fine
SELECT length(pseudonymise('x', decode(repeat('01', 32), 'hex'))) AS len32,
       length(pseudonymise('x', decode(repeat('01', 1000), 'hex'))) AS len1000;
-- NULLs (STRICT)
SELECT pseudonymise(NULL, decode(repeat('01', 32), 'hex')) IS NULL AS a,
       pseudonymise('x', NULL) IS NULL AS b,
       pseudonymise_nhs_number(NULL, decode(repeat('01', 32), 'hex')) IS NULL AS c;

-- Errors of the explicit-key forms (22023). The key is a literal in these
-- statements: the errors hide the statement from the server log (checked at
-- the end of this file).
SELECT pseudonymise('9434765919', '\x5345435245542d4b45592d33312d42595445532d2d2d2d2d2d2d2d2d2d2d'::bytea);
SELECT pseudonymise('9434765919', ''::bytea);
SELECT pseudonymise_nhs_number('943 476 5919', '\x5345435245542d4b45592d3331'::bytea);
-- inside a function the context would quote the calling statement: hidden too
DO $$BEGIN PERFORM pseudonymise('x', '\x5345435245542d4b45592d494e2d412d444f2d424c4f434b'::bytea); END$$;
-- a bad key is an error even when the number is invalid
SELECT pseudonymise_nhs_number('not a number', '\x00'::bytea);

-- The key file (value_ext.pseudonym_key_file). The server writes the test's
-- key files into its data directory (relative paths are relative to it).
SHOW value_ext.pseudonym_key_file;
SELECT pseudonymise('x');
SELECT pseudonymise_nhs_number('9434765919');
COPY (SELECT repeat('ab', 32)) TO PROGRAM 'cat > value_ext_key_ab.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_ab.hex';
SHOW value_ext.pseudonym_key_file;
SELECT pseudonymise_nhs_number('943 476 5919') AS from_file,
       pseudonymise_nhs_number('943 476 5919') = pseudonymise('9434765919', decode(repeat('ab', 32), 'hex')) AS same_as_explicit,
       pseudonymise_nhs_number('1234567890') IS NULL AS invalid_is_null;
-- uppercase hex, surrounding whitespace and CRLF are accepted
COPY (SELECT '  ' || upper(repeat('ab', 32)) || '#') TO PROGRAM 'tr "#" "\r" > value_ext_key_ab_upper.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_ab_upper.hex';
SELECT pseudonymise('9434765919') = '35af087702b6e96c445dd5fada080e33d36545b58cc0c93d4632b5f739dba899' AS upper_hex_same_key;
-- key rotation: a transaction keeps the key it started with (STABLE); the
-- next transaction reads the new file
BEGIN;
SELECT pseudonymise('9434765919') = '35af087702b6e96c445dd5fada080e33d36545b58cc0c93d4632b5f739dba899' AS old_key;
COPY (SELECT repeat('cd', 40)) TO PROGRAM 'cat > value_ext_key_ab_upper.hex';
SELECT pseudonymise('9434765919') = '35af087702b6e96c445dd5fada080e33d36545b58cc0c93d4632b5f739dba899' AS still_old_key;
COMMIT;
SELECT pseudonymise('9434765919') = pseudonymise('9434765919', decode(repeat('cd', 40), 'hex')) AS new_key;

-- Every error path of the key file: each message names the file, none
-- quotes its content.
SET value_ext.pseudonym_key_file = 'value_ext_key_missing.hex';
SELECT pseudonymise('x');
COPY (SELECT repeat('ef', 31)) TO PROGRAM 'cat > value_ext_key_short.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_short.hex';
SELECT pseudonymise('x');
SELECT pseudonymise_nhs_number('9434765919');
COPY (SELECT repeat('ef', 32) || 'e') TO PROGRAM 'cat > value_ext_key_odd.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_odd.hex';
SELECT pseudonymise('x');
COPY (SELECT repeat('ef', 16) || 'zz' || repeat('ef', 16)) TO PROGRAM 'cat > value_ext_key_nothex.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_nothex.hex';
SELECT pseudonymise('x');
COPY (SELECT repeat('ef', 16) || ' ' || repeat('ef', 16)) TO PROGRAM 'cat > value_ext_key_space.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_space.hex';
SELECT pseudonymise('x');
COPY (SELECT repeat('ef', 1025)) TO PROGRAM 'cat > value_ext_key_long.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_long.hex';
SELECT pseudonymise('x');
COPY (SELECT repeat('ef', 32)) TO PROGRAM 'cat > value_ext_key_shared.hex && chmod 0644 value_ext_key_shared.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_shared.hex';
SELECT pseudonymise('x');
SET value_ext.pseudonym_key_file = 'base';
SELECT pseudonymise('x');
-- a FIFO is refused before it is opened: opening it would block the backend
-- until a writer came, past statement_timeout and pg_cancel_backend (the
-- timeout makes a regression fail instead of hang)
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f value_ext_key_fifo.hex; mkfifo -m 0600 value_ext_key_fifo.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_fifo.hex';
SET statement_timeout = '5s';
SELECT pseudonymise('x');
RESET statement_timeout;
-- 0640 is allowed (root-owned file, server in its group); 1024 bytes is the longest key
COPY (SELECT repeat('ef', 1024)) TO PROGRAM 'cat > value_ext_key_group.hex && chmod 0640 value_ext_key_group.hex';
SET value_ext.pseudonym_key_file = 'value_ext_key_group.hex';
SELECT pseudonymise('x') = pseudonymise('x', decode(repeat('ef', 1024), 'hex')) AS group_readable_ok;
RESET value_ext.pseudonym_key_file;
SELECT pseudonymise('x');

-- Privileges: only superusers set the key file; the key-file forms are not
-- executable by PUBLIC (the DBA grants them); the explicit-key forms are.
CREATE ROLE regress_value_ext_analyst;
SET ROLE regress_value_ext_analyst;
SET value_ext.pseudonym_key_file = 'value_ext_key_ab.hex';
SELECT pseudonymise('x');
SELECT pseudonymise_nhs_number('9434765919');
SELECT length(pseudonymise_nhs_number('9434765919', decode(repeat('ab', 32), 'hex'))) AS explicit_ok;
RESET ROLE;
SET value_ext.pseudonym_key_file = 'value_ext_key_ab.hex';
GRANT EXECUTE ON FUNCTION pseudonymise_nhs_number(text) TO regress_value_ext_analyst;
SET ROLE regress_value_ext_analyst;
SELECT pseudonymise_nhs_number('943-476-5919') = '35af087702b6e96c445dd5fada080e33d36545b58cc0c93d4632b5f739dba899' AS granted_ok;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION pseudonymise_nhs_number(text) FROM regress_value_ext_analyst;
-- a non-superuser cannot slip a path in before the library is loaded either:
-- the placeholder is checked against PGC_SUSET when the GUC is defined
ALTER ROLE regress_value_ext_analyst LOGIN;
SELECT current_user AS superuser_name \gset
\c - regress_value_ext_analyst
SET client_min_messages = warning;
SET value_ext.pseudonym_key_file = 'value_ext_key_ab.hex';
SELECT length(pseudonymise('x', decode(repeat('ab', 32), 'hex'))) AS library_loaded;
SHOW value_ext.pseudonym_key_file;
\c - :superuser_name
SET client_min_messages = warning;
DROP ROLE regress_value_ext_analyst;
RESET value_ext.pseudonym_key_file;

-- The server log (test/with-cluster.sh keeps it beside the data directory)
-- holds none of the keys used above, in hex or as raw text, nor the
-- statements that carried a literal key.
SELECT (pg_stat_file(current_setting('data_directory') || '/../server.log', true)).size > 0 AS log_found;
SELECT k AS key_fragment,
       position(k IN pg_read_file(current_setting('data_directory') || '/../server.log')) = 0 AS absent
FROM (VALUES ('5345435245542d4b4559'), ('SECRET-KEY'), ('494e2d412d444f2d424c4f434b'), (repeat('ab', 8)), (repeat('AB', 8)),
             (repeat('cd', 8)), (repeat('ef', 8))) v(k);
SELECT position('key in file "value_ext_key_short.hex" is too short' IN
                pg_read_file(current_setting('data_directory') || '/../server.log')) > 0 AS file_errors_logged;

-- (the program reads its input before it exits: otherwise COPY's write can
-- meet a closed pipe, as it did under valgrind)
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f value_ext_key_*.hex';

SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
FROM pg_proc p WHERE p.proname LIKE 'pseudonymise%' ORDER BY 1::text;
