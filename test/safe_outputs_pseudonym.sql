-- test/safe_outputs_pseudonym.sql -- pseudonymise* against two independent
-- HMAC-SHA256 implementations computed at test time: the OpenSSL command line
-- (run by the server through COPY FROM PROGRAM; test/bootstrap.sh installs
-- openssl) and pgcrypto's hmac(). RFC 4231 (HMAC-SHA-256 rows of test cases
-- 1-4, 6, 7) checks the two references themselves; cases 1-4 have keys
-- shorter than our 32-byte minimum, so they reach our code only through the
-- parity checks.
BEGIN;
SELECT plan(16);
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- openssl dgst over the exact bytes of data (passed as octal escapes, decoded
-- by printf in the shell so any byte survives) with a hex key
CREATE TEMP TABLE openssl_out(line text);
CREATE FUNCTION pg_temp.openssl_hmac(data bytea, key bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    -- POSIX printf (dash) knows octal escapes only: \ooo for every byte
    esc text := coalesce((SELECT string_agg('\' || (b / 64)::text || (b / 8 % 8)::text || (b % 8)::text, '' ORDER BY k)
                          FROM (SELECT k, get_byte(data, k) AS b
                                FROM generate_series(0, length(data) - 1) k) s), '');
    result text;
BEGIN
    TRUNCATE openssl_out;
    EXECUTE format('COPY openssl_out FROM PROGRAM %L',
                   format('printf ''%s'' | openssl dgst -sha256 -mac HMAC -macopt hexkey:%s',
                          esc, encode(key, 'hex')));
    SELECT regexp_replace(line, '^.*= *', '') INTO result FROM openssl_out;
    RETURN result;
END $$;

CREATE TEMP TABLE rfc4231(tc int, key bytea, data bytea, mac text);
INSERT INTO rfc4231 VALUES
 (1, decode(repeat('0b', 20), 'hex'), convert_to('Hi There', 'UTF8'),
  'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'),
 (2, convert_to('Jefe', 'UTF8'), convert_to('what do ya want for nothing?', 'UTF8'),
  '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'),
 (3, decode(repeat('aa', 20), 'hex'), decode(repeat('dd', 50), 'hex'),
  '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'),
 (4, decode('0102030405060708090a0b0c0d0e0f10111213141516171819', 'hex'), decode(repeat('cd', 50), 'hex'),
  '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'),
 (6, decode(repeat('aa', 131), 'hex'), convert_to('Test Using Larger Than Block-Size Key - Hash Key First', 'UTF8'),
  '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'),
 (7, decode(repeat('aa', 131), 'hex'),
  convert_to('This is a test using a larger than block-size key and a larger than block-size data. '
             'The key needs to be hashed before being used by the HMAC algorithm.', 'UTF8'),
  '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2');

SELECT is((SELECT count(*) FROM rfc4231 WHERE pg_temp.openssl_hmac(data, key) = mac), 6::bigint,
          'RFC 4231 cases 1-4, 6, 7: the openssl command line gives the published HMAC-SHA-256');
SELECT is((SELECT count(*) FROM rfc4231 WHERE encode(hmac(data, key, 'sha256'), 'hex') = mac), 6::bigint,
          'RFC 4231 cases 1-4, 6, 7: pgcrypto hmac() gives the published HMAC-SHA-256');
SELECT is((SELECT count(*) FROM rfc4231
           WHERE tc IN (6, 7) AND pseudonymise(convert_from(data, 'UTF8'), key) = mac), 2::bigint,
          'RFC 4231 cases 6 and 7 (131-byte key) through pseudonymise(text, bytea)');

-- identifiers of many shapes and keys of 32..200 bytes
CREATE TEMP TABLE samples AS
SELECT i, id, gen_random_bytes(32 + (i * 37) % 169) AS key
FROM (SELECT i, CASE i % 6
                  WHEN 0 THEN lpad((i * 7919)::text, 10, '0')
                  WHEN 1 THEN 'A' || lpad(i::text, 5, '0')
                  WHEN 2 THEN repeat('x', i % 200)
                  WHEN 3 THEN 'Zoë Ångström ' || i
                  WHEN 4 THEN 'ǅemal ' || chr(8364) || ' ' || i
                  ELSE '' END AS id
      FROM generate_series(1, 300) i) s;

SELECT is((SELECT count(*) FROM samples
           WHERE pseudonymise(id, key) <> encode(hmac(convert_to(id, 'UTF8'), key, 'sha256'), 'hex')),
          0::bigint, 'pseudonymise(text, bytea) = pgcrypto hmac(utf8 bytes, key, sha256) on 300 identifiers and random keys');
SELECT is((SELECT count(*) FROM samples
           WHERE i % 25 = 0 AND pseudonymise(id, key) <> pg_temp.openssl_hmac(convert_to(id, 'UTF8'), key)),
          0::bigint, 'pseudonymise(text, bytea) = openssl dgst -mac HMAC on 12 of them');
SELECT is((SELECT count(*) FROM samples
           WHERE pseudonymise(id, key) !~ '^[0-9a-f]{64}$'), 0::bigint,
          'pseudonyms are 64 lowercase hex digits');

-- NHS numbers: every accepted form of a number gives the pseudonym of its ten digits
CREATE TEMP TABLE numbers AS
SELECT n, substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7) AS spaced,
       substr(n, 1, 3) || '-' || substr(n, 4, 3) || '-' || substr(n, 7) AS hyphened
FROM (SELECT lpad((i::bigint * 104729 % 10000000000)::text, 10, '0') AS n
      FROM generate_series(1, 3000) i) s
WHERE nhs_number_is_valid(n);
SELECT cmp_ok((SELECT count(*) FROM numbers), '>', 100::bigint, 'over a hundred valid numbers sampled');
SELECT is((SELECT count(*) FROM numbers
           WHERE pseudonymise_nhs_number(spaced, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')
                 IS DISTINCT FROM pseudonymise(n, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')
              OR pseudonymise_nhs_number(hyphened, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')
                 IS DISTINCT FROM pseudonymise(n, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')),
          0::bigint, '"DDD DDD DDDD" and "DDD-DDD-DDDD" give the pseudonym of the ten digits');
SELECT is((SELECT count(DISTINCT pseudonymise(n, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'))
           FROM numbers), (SELECT count(DISTINCT n) FROM numbers),
          'distinct numbers give distinct pseudonyms');
SELECT is(pseudonymise_nhs_number('1234567890', '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'),
          NULL, 'an invalid number gives NULL');

-- the key file gives the same pseudonyms as the explicit key
COPY (SELECT '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')
    TO PROGRAM 'cat > value_ext_tap_key.hex';
SET LOCAL value_ext.pseudonym_key_file = 'value_ext_tap_key.hex';
SELECT is((SELECT count(*) FROM numbers
           WHERE pseudonymise_nhs_number(spaced)
                 IS DISTINCT FROM pseudonymise(n, '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')),
          0::bigint, 'pseudonymise_nhs_number(text) with the key file = the explicit-key form');
SELECT is(pseudonymise('A81001'),
          pg_temp.openssl_hmac(convert_to('A81001', 'UTF8'), '\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'),
          'pseudonymise(text) with the key file = openssl');

-- error SQLSTATEs; no field of any error (message, detail, hint, context)
-- holds the key or the key file's content
CREATE FUNCTION pg_temp.error_fields(stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text; c text; st text;
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL,
                            h = PG_EXCEPTION_HINT, c = PG_EXCEPTION_CONTEXT;
    RETURN concat_ws(' | ', st, m, d, h, c);
END $$;
CREATE TEMP TABLE errors(what text, fields text, secret text);
-- (the key comes from a table, as in real use, so that the statement text
-- in the context field is not itself a copy of the key)
CREATE TEMP TABLE short_key AS
SELECT '\x5345435245542d4b45592d3239425954455321212121212121212121'::bytea AS key;
INSERT INTO errors
SELECT 'short explicit key', pg_temp.error_fields(
         $$SELECT pseudonymise('x', key) FROM short_key$$), 'SECRET-KEY';
INSERT INTO errors
SELECT 'short explicit key, NHS number', pg_temp.error_fields(
         $$SELECT pseudonymise_nhs_number('9434765919', key) FROM short_key$$), 'SECRET-KEY';
INSERT INTO errors
SELECT 'short explicit key, hex', pg_temp.error_fields(
         $$SELECT pseudonymise('x', key) FROM short_key$$), '5345435245542d4b4559';
COPY (SELECT '5345435245542d4b4559') TO PROGRAM 'cat > value_ext_tap_key.hex';
SET LOCAL value_ext.pseudonym_key_file = 'value_ext_tap_key.hex';
INSERT INTO errors SELECT 'short key file', pg_temp.error_fields($$SELECT pseudonymise('x')$$), '5345435245542d4b4559';
COPY (SELECT '5345435245542d4b4559-SECRET-KEY-5345435245542d4b4559') TO PROGRAM 'cat > value_ext_tap_key.hex';
INSERT INTO errors SELECT 'malformed key file', pg_temp.error_fields($$SELECT pseudonymise_nhs_number('9434765919')$$), 'SECRET';
SET LOCAL value_ext.pseudonym_key_file = 'value_ext_tap_missing.hex';
INSERT INTO errors SELECT 'missing key file', pg_temp.error_fields($$SELECT pseudonymise('x')$$), 'value_ext_tap_missing.hex';
COPY (SELECT 1) TO PROGRAM 'rm -f value_ext_tap_key.hex';

SELECT is((SELECT array_agg(left(fields, 5) ORDER BY what) FROM errors),
          ARRAY['F0000', '58P01', '22023', '22023', '22023', 'F0000'],
          'SQLSTATEs: malformed file F0000, missing file 58P01, short explicit keys 22023, short file F0000');
SELECT is((SELECT count(*) FROM errors
           WHERE what <> 'missing key file' AND position(lower(secret) IN lower(fields)) > 0),
          0::bigint, 'no error field holds the key or the key file''s content');
SELECT is((SELECT count(*) FROM errors
           WHERE what LIKE '%file%' AND position('value_ext_tap_' IN fields) = 0),
          0::bigint, 'every key-file error names the file');
SELECT ok((SELECT bool_and(fields LIKE '%too short%') FROM errors WHERE what LIKE 'short%'),
          'short keys are reported as too short');

SELECT * FROM finish();
ROLLBACK;
