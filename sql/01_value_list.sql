-- value_list, the shared variable-size aggregate state: its text form
-- round-trips exactly and its input function rejects anything malformed.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SELECT '1:1:0.2:3:1.5,2,3'::value_list AS one_param,
       '1:2::2:1,2,3,4'::value_list AS pairs,
       '1:1::0:'::value_list AS empty;
-- shortest round-trip decimals: these survive text -> value_list -> text
-- -> value_list unchanged, bit for bit
SELECT v::value_list::text = v AS same_text,
       (v::value_list::text::value_list)::text = v AS twice
FROM (VALUES ('1:1::3:0.1,2.2250738585072014e-308,1.7976931348623157e+308'),
             ('1:3:1,2,3,4:2:-0.30000000000000004,5e-324,1.2345678901234568e+17,1,2,3')) t(v);
-- binary send/recv round trip
SELECT value_list_recv_roundtrip
FROM (SELECT value_list_send('1:2:0.5:2:1,2,3,4'::value_list) = value_list_send(
        value_list_in(value_list_out('1:2:0.5:2:1,2,3,4'::value_list))) AS value_list_recv_roundtrip) s;
-- malformed states: each is an error, never a crash
SELECT '1:1::2:1,2,3'::value_list;
SELECT '1:1::2:1'::value_list;
SELECT '1:1:nan:0:'::value_list;
SELECT '1:1::1:inf'::value_list;
SELECT '2:1::0:'::value_list;
SELECT '1:1::1:1e400'::value_list;
SELECT '1:1::1:1,'::value_list;
SELECT '1:1:,:0:'::value_list;
SELECT '1:0::0:'::value_list;
SELECT '1:9::0:'::value_list;
SELECT '1:1:1,2,3,4,5:0:'::value_list;
SELECT '1:1::99999999999999999:'::value_list;
SELECT '1:1::1:0.1 '::value_list;
SELECT ''::value_list;
SELECT 'x'::value_list;
SELECT '1:1::-1:'::value_list;
