-- src/sql/62_peer_space.sql
-- Similar peers (src/peer_space.c): the peer_space aggregate collects one
-- row per unit (name, features, weights) into a peer_space (its own state
-- type: names and features; the final function puts the units in name
-- order); nearest_peers gives each unit's n nearest peers by the NHS
-- RightCare "similar 10" method.

CREATE TYPE @extschema@.peer_space;

CREATE FUNCTION @extschema@.peer_space_in(cstring)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_out(@extschema@.peer_space)
RETURNS cstring AS 'MODULE_PATHNAME', 'peer_space_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_recv(internal)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_send(@extschema@.peer_space)
RETURNS bytea AS 'MODULE_PATHNAME', 'peer_space_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.peer_space (
    INPUT = @extschema@.peer_space_in,
    OUTPUT = @extschema@.peer_space_out,
    RECEIVE = @extschema@.peer_space_recv,
    SEND = @extschema@.peer_space_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.peer_space IS
'Units to find similar peers among, the state and result of the peer_space aggregate: each unit''s name and features, and the feature weights, in unit name order once finished; read it with nearest_peers';
COMMENT ON FUNCTION @extschema@.peer_space_in(cstring) IS
'Input function of peer_space (version:features:units:weights:"unit",x1,...;..., checked)';
COMMENT ON FUNCTION @extschema@.peer_space_out(@extschema@.peer_space) IS
'Output function of peer_space';
COMMENT ON FUNCTION @extschema@.peer_space_recv(internal) IS
'Binary input function of peer_space (checked as the text input is)';
COMMENT ON FUNCTION @extschema@.peer_space_send(@extschema@.peer_space) IS
'Binary output function of peer_space';

CREATE FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[])
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[], float8[])
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_combine(@extschema@.peer_space, @extschema@.peer_space)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_final(@extschema@.peer_space)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[]) IS
'Transition function of peer_space (unit, features; equal weights)';
COMMENT ON FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[], float8[]) IS
'Transition function of peer_space (unit, features, weights)';
COMMENT ON FUNCTION @extschema@.peer_space_combine(@extschema@.peer_space, @extschema@.peer_space) IS
'Combine function of peer_space (appends the units; feature counts and weights must agree)';
COMMENT ON FUNCTION @extschema@.peer_space_final(@extschema@.peer_space) IS
'Final function of peer_space: the units in name order (a repeated unit is an error)';

CREATE AGGREGATE @extschema@.peer_space(unit text, features float8[]) (
    SFUNC = @extschema@.peer_space_trans, STYPE = @extschema@.peer_space,
    COMBINEFUNC = @extschema@.peer_space_combine, FINALFUNC = @extschema@.peer_space_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.peer_space(text, float8[]) IS
'The units to find similar peers among, one row per unit: its name and its features (non-negative, the same number for every unit), equally weighted';
CREATE AGGREGATE @extschema@.peer_space(unit text, features float8[], weights float8[]) (
    SFUNC = @extschema@.peer_space_trans, STYPE = @extschema@.peer_space,
    COMBINEFUNC = @extschema@.peer_space_combine, FINALFUNC = @extschema@.peer_space_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.peer_space(text, float8[], float8[]) IS
'The units to find similar peers among, one row per unit: its name, its features (non-negative, the same number for every unit) and the weight of each feature (the same in every row; NULL for equal weights)';

CREATE FUNCTION @extschema@.nearest_peers(space @extschema@.peer_space, n integer DEFAULT 10)
RETURNS TABLE (unit text, peer text, peer_rank integer, distance float8, tied boolean)
AS 'MODULE_PATHNAME', 'nearest_peers'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION @extschema@.nearest_peers(@extschema@.peer_space, integer) IS
'Every unit''s n nearest peers (NHS RightCare similar 10 method: features capped at mean + 5 SD, square-rooted, standardised; weighted squared Euclidean distance): all peers ranked n or better, so ties at the n-th distance give more than n (tied marks rows sharing a rank); by unit, distance and peer name';

CREATE FUNCTION @extschema@.nearest_peers(space @extschema@.peer_space, unit text, n integer DEFAULT 10)
RETURNS TABLE (unit text, peer text, peer_rank integer, distance float8, tied boolean)
AS 'MODULE_PATHNAME', 'nearest_peers_unit'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION @extschema@.nearest_peers(@extschema@.peer_space, text, integer) IS
'One unit''s n nearest peers in a peer space (as nearest_peers(space, n)); an unknown unit is an error';
