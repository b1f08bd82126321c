# test/citus/cluster.sh -- a throwaway Citus cluster for the scripts that
# need one (test/citus/run.sh, the stage of make test; test/bench/citus.sh,
# the benchmark of make bench). Source it from the repository root after
# test/lib.sh; it sets no shell options and runs nothing by itself.
#
#   cluster_start [CONF...]     a coordinator and two workers on 127.0.0.1:
#                               throwaway data directories under /tmp, free
#                               ports, shared_preload_libraries = 'citus';
#                               CONF lines are appended to every node's
#                               postgresql.conf. Stopped and removed on exit
#                               (an EXIT trap). Sets cluster_dir and
#                               cluster_ports (coordinator first) and
#                               exports PGHOST, PGUSER, PGDATABASE.
#   cluster_extensions          citus on every node, the workers added
#                               (citus_add_node), value_ext created through
#                               the coordinator
#   cluster_load_demo PERSONS   the demo place (test/demo/place.sql) loaded
#                               on the coordinator, copied to lcl.t (the
#                               single-node reference, a plain table), then
#                               distributed: practice, postcode and the
#                               other lookups as reference tables, person,
#                               activity, person_cost and outcome by
#                               person_id, colocated; cz.t is the
#                               distributed twin of lcl.t
#   coord ARGS...               psql on the coordinator (unaligned, tuples
#                               only, stop on error)
#   on_node K ARGS...           the same on node K (0 coordinator, 1 and 2
#                               the workers)
#
# Each returns non-zero on failure with cluster_error set to what failed
# and cluster_detail to the log lines that say why.

PG_CONFIG=${PG_CONFIG:-pg_config}
cluster_nodes=(coord worker1 worker2)
cluster_dir=
cluster_ports=()
cluster_error=
cluster_detail=

cluster_stop() {
    local n bindir
    [ -n "$cluster_dir" ] || return 0
    bindir=$("$PG_CONFIG" --bindir)
    for n in "${cluster_nodes[@]}"; do
        [ -d "$cluster_dir/$n" ] &&
            "${cluster_as_owner[@]}" "$bindir/pg_ctl" -D "$cluster_dir/$n" -m immediate stop >/dev/null 2>&1
    done
    rm -rf "$cluster_dir"
    cluster_dir=
}

cluster_fail() {
    cluster_error=$1
    cluster_detail=$2
    return 1
}

cluster_start() {
    local bindir k n p
    bindir=$("$PG_CONFIG" --bindir)
    cluster_dir=$(mktemp -d /tmp/value_ext_citus.XXXXXX)
    chmod 755 "$cluster_dir"
    cluster_as_owner=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$cluster_dir"
        cluster_as_owner=(runuser -u postgres --)
    fi
    trap cluster_stop EXIT

    # three free TCP ports on 127.0.0.1
    cluster_ports=()
    p=$((20000 + RANDOM % 20000))
    while [ ${#cluster_ports[@]} -lt 3 ]; do
        ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$p" ] && cluster_ports+=("$p")
        p=$((p + 1))
    done

    for k in 0 1 2; do
        n=${cluster_nodes[$k]}
        if ! "${cluster_as_owner[@]}" "$bindir/initdb" -D "$cluster_dir/$n" -U postgres --auth=trust -E UTF8 \
                --locale=C >"$cluster_dir/initdb-$n.log" 2>&1; then
            cluster_fail "initdb $n" "$(cat "$cluster_dir/initdb-$n.log")"
            return 1
        fi
        {
            cat <<CONF
listen_addresses = '127.0.0.1'
port = ${cluster_ports[$k]}
unix_socket_directories = '$cluster_dir'
shared_preload_libraries = 'citus'
citus.enable_statistics_collection = off
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '64MB'
max_connections = 60
max_worker_processes = 16
max_parallel_workers_per_gather = 0
CONF
            [ $# -gt 0 ] && printf '%s\n' "$@"
        } >>"$cluster_dir/$n/postgresql.conf"
        if ! "${cluster_as_owner[@]}" "$bindir/pg_ctl" -D "$cluster_dir/$n" -l "$cluster_dir/$n.log" -w start \
                >/dev/null 2>&1; then
            cluster_fail "start $n" "$(tail -n 20 "$cluster_dir/$n.log")"
            return 1
        fi
    done
    export PGHOST=$cluster_dir PGUSER=postgres PGDATABASE=postgres
}

on_node() {
    local k=$1
    shift
    PGPORT=${cluster_ports[$k]} psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

coord() { on_node 0 "$@"; }

# citus first (on every node), then value_ext through the coordinator only
cluster_extensions() {
    local out
    out=$(
        on_node 1 -c 'CREATE EXTENSION citus' && on_node 2 -c 'CREATE EXTENSION citus' &&
            coord -c 'CREATE EXTENSION citus' \
                -c "SELECT citus_add_node('127.0.0.1', ${cluster_ports[1]})" \
                -c "SELECT citus_add_node('127.0.0.1', ${cluster_ports[2]})" \
                -c 'CREATE EXTENSION value_ext' >/dev/null
    ) 2>&1 || {
        cluster_fail "CREATE EXTENSION citus, citus_add_node, CREATE EXTENSION value_ext" "$out"
        return 1
    }
}

# the demo place: loaded on the coordinator as plain tables, copied to lcl
# (the single-node reference), then distributed
cluster_load_demo() {
    local persons=$1 out
    out=$(coord -1 -v seed=20240401 -v scale=1 -v persons="$persons" -f test/demo/place.sql 2>&1 &&
        coord 2>&1 <<'SQL'
\o /dev/null
CREATE SCHEMA cz;
CREATE SCHEMA lcl;
CREATE TABLE lcl.t AS
SELECT p.person_id AS i, pc.total_cost + 1 AS v,
       pc.primary_care + pc.outpatient + 1 AS v2, 1 + p.age::float8 AS w, p.segment AS g
FROM demo.person p JOIN demo.person_cost pc USING (person_id);
SET citus.log_remote_commands = off;
SET client_min_messages = warning;
-- foreign keys (person to practice and postcode) dropped while the tables
-- are distributed, then added again (distributed to reference)
CREATE TEMP TABLE fks AS
SELECT conrelid::regclass AS rel, conname, pg_get_constraintdef(oid) AS def
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'demo'::regnamespace;
DO $$
DECLARE k record;
BEGIN
    FOR k IN SELECT * FROM fks LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k.rel, k.conname);
    END LOOP;
    -- a distributed table's unique constraints must include person_id
    -- (person's UNIQUE (nhs_number) and activity's primary key go)
    FOR k IN SELECT c.conrelid::regclass AS rel, c.conname FROM pg_constraint c
             WHERE c.contype IN ('p', 'u') AND c.connamespace = 'demo'::regnamespace
               AND c.conrelid::regclass::text IN ('demo.person', 'demo.activity', 'demo.person_cost', 'demo.outcome')
               AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.conrelid
                               AND a.attname = 'person_id' AND a.attnum = ANY (c.conkey)) LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k.rel, k.conname);
    END LOOP;
END $$;
SELECT create_reference_table(format('demo.%I', c.relname)) FROM pg_class c
WHERE c.relnamespace = 'demo'::regnamespace AND c.relkind = 'r'
  AND c.relname NOT IN ('person', 'activity', 'person_cost', 'outcome');
SELECT create_distributed_table('demo.person', 'person_id');
SELECT create_distributed_table(t, 'person_id', colocate_with => 'demo.person')
FROM unnest(ARRAY['demo.activity', 'demo.person_cost', 'demo.outcome']) t;
SELECT truncate_local_data_after_distributing_table(format('demo.%I', c.relname)) FROM pg_class c
WHERE c.relnamespace = 'demo'::regnamespace AND c.relkind = 'r';
DO $$
DECLARE k record;
BEGIN
    FOR k IN SELECT * FROM fks LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.rel, k.conname, k.def);
    END LOOP;
END $$;
CREATE TABLE cz.t (i int NOT NULL, v float8, v2 float8, w float8, g text);
SELECT create_distributed_table('cz.t', 'i', colocate_with => 'demo.person');
-- a colocated join, pushed down to the workers
INSERT INTO cz.t
SELECT p.person_id, pc.total_cost + 1, pc.primary_care + pc.outpatient + 1, 1 + p.age::float8, p.segment
FROM demo.person p JOIN demo.person_cost pc USING (person_id);
SQL
    ) || {
        cluster_fail "the demo place loads and is distributed" "$out"
        return 1
    }
}
