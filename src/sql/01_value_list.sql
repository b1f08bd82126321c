-- src/sql/01_value_list.sql
-- value_list: the variable-size aggregate state (see src/value_list.c). A real
-- type rather than `internal`, so that parallel workers and Citus nodes can
-- ship partial states through its text and binary forms.

CREATE TYPE @extschema@.value_list;

CREATE FUNCTION @extschema@.value_list_in(cstring)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_out(@extschema@.value_list)
RETURNS cstring
AS 'MODULE_PATHNAME', 'value_list_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_recv(internal)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_send(@extschema@.value_list)
RETURNS bytea
AS 'MODULE_PATHNAME', 'value_list_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.value_list (
    INPUT = @extschema@.value_list_in,
    OUTPUT = @extschema@.value_list_out,
    RECEIVE = @extschema@.value_list_recv,
    SEND = @extschema@.value_list_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.value_list IS
'Aggregate state holding every value of a group (text form "version:width:params:count:items"); shipped between parallel workers and Citus nodes';
