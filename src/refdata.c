/*-------------------------------------------------------------------------
 *
 * refdata.c
 *	  The reference data: loading the files bundled with value_ext at
 *	  CREATE EXTENSION (value_ext_load_refdata), and what the lookups'
 *	  backend caches share: the change trigger (value_ext_refdata_changed),
 *	  the relcache callback and generation counting that invalidate them,
 *	  finding and locking the tables they read, and the reader over those
 *	  tables. The caches themselves live with their lookups: the IMD part in
 *	  deprivation.c, the postcode part in postcode.c.
 *
 * The lookup functions are called once per row over tables of millions of
 * patients, so they never run a query per call. The first call in a backend
 * reads the tables once into memory. A relcache callback, registered once in
 * _PG_init, throws the copy away when any of those tables changes: DDL and
 * TRUNCATE send relcache invalidations by themselves, and a statement trigger
 * on each table (value_ext_refdata_changed) sends one for INSERT, UPDATE and
 * DELETE, so other backends rebuild after the commit and the changing
 * backend at once (or again after a rollback).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "refdata.h"

#include "access/parallel.h"
#include "access/table.h"
#include "access/tableam.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

/* ---------------------------------------------------------------------
 * Loading the bundled files and signalling changes
 * ---------------------------------------------------------------------
 */

/* Only the plain name of a file: nothing outside the directory is reached */
static void
check_refdata_file_name(const char *file)
{
	const char *p;
	bool plain = file[0] != '\0' && file[0] != '.';

	for (p = file; plain && *p; p++)
		plain =
			isalnum((unsigned char) *p) || *p == '_' || *p == '-' || *p == '.';
	if (!plain)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("file of value_ext_load_refdata must be the plain name "
					"of a file bundled with value_ext"),
			 errdetail("The file is \"%s\".", file)));
}

/*
 * value_ext_load_refdata(target, file): COPY one of the CSV files installed
 * in $(sharedir)/extension/value_ext/ into target. Only a plain file name
 * is accepted, so nothing outside that directory can be read through it.
 */
PG_FUNCTION_INFO_V1(value_ext_load_refdata);
Datum
value_ext_load_refdata(PG_FUNCTION_ARGS)
{
	Oid target = PG_GETARG_OID(0);
	char *file = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char sharepath[MAXPGPATH];
	char *relname;
	StringInfoData cmd;
	uint64 rows;

	check_refdata_file_name(file);
	get_share_path(my_exec_path, sharepath);
	relname = quote_qualified_identifier(
		get_namespace_name(get_rel_namespace(target)), get_rel_name(target));
	initStringInfo(&cmd);
	appendStringInfo(&cmd, "COPY %s FROM %s WITH (FORMAT csv, HEADER true)",
					 relname,
					 quote_literal_cstr(psprintf("%s/extension/value_ext/%s",
												 sharepath, file)));

	SPI_connect();
	if (SPI_execute(cmd.data, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not load reference data file \"%s\"", file);
	rows = SPI_processed;
	SPI_finish();
	PG_RETURN_INT64((int64) rows);
}

/* Statement trigger: tell every backend to drop its cached copy */
PG_FUNCTION_INFO_V1(value_ext_refdata_changed);
Datum
value_ext_refdata_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(
			ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg(
				 "value_ext_refdata_changed() must be called as a trigger")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------------
 * Generations: when a cache part must be rebuilt
 * ---------------------------------------------------------------------
 */

/* Bumped by the relcache callback; a part is valid iff built at this value */
static uint64 generation = 1;

/*
 * Parallel mode forbids new snapshots, so a cache built there reads with
 * the query's snapshot. If an invalidation was taken in during this query
 * (at the call site's locks or later), the change behind it may be newer
 * than that snapshot: such a build serves this query only ("transient",
 * tied to refcache_query) and is rebuilt by the next one.
 */
static uint64 refcache_query = 0;            /* bumped at each new call site */
static uint64 refcache_query_generation = 0; /* generation before its locks */

/*
 * The tables the caches read, by name, with the OID each had when a call
 * site last locked it: the relcache callback watches these.
 */
#define REFDATA_MAX_TABLES 4
static struct
{
	const char *name;
	Oid relid;
} watched[REFDATA_MAX_TABLES];

static void
refcache_relcache_callback(Datum arg, Oid relid)
{
	int i;

	if (relid == InvalidOid)
	{
		generation++;
		return;
	}
	for (i = 0; i < REFDATA_MAX_TABLES; i++)
		if (watched[i].name != NULL && watched[i].relid == relid)
		{
			generation++;
			return;
		}
}

/* Called once from _PG_init */
void
refdata_init(void)
{
	CacheRegisterRelcacheCallback(refcache_relcache_callback, (Datum) 0);
}

/* Where the callback keeps the OID of the table called name */
static Oid *
watched_relid(const char *name)
{
	int i;

	for (i = 0; i < REFDATA_MAX_TABLES; i++)
	{
		if (watched[i].name == NULL)
			watched[i].name = name;
		if (strcmp(watched[i].name, name) == 0)
			return &watched[i].relid;
	}
	elog(ERROR, "more than %d value_ext tables are cached",
		 REFDATA_MAX_TABLES);
	return NULL; /* not reached */
}

/* The extension's tables live in the schema of the calling function. */
static Oid
extension_table(FunctionCallInfo fcinfo, const char *name)
{
	Oid nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
						errmsg("value_ext table \"%s\" is missing", name),
						errhint("Reinstall the extension: DROP EXTENSION "
								"value_ext; CREATE EXTENSION value_ext.")));
	return relid;
}

/*
 * Locking the tables as reading them would means a change committed by
 * another backend is seen from the next query on, exactly as with a join.
 */
void
refcache_begin(FunctionCallInfo fcinfo, const char *const *tables)
{
	int i;

	if (fcinfo->flinfo->fn_extra != NULL)
		return;
	refcache_query++;
	refcache_query_generation = generation;
	for (i = 0; tables[i] != NULL; i++)
	{
		Oid relid = extension_table(fcinfo, tables[i]);

		*watched_relid(tables[i]) = relid;
		LockRelationOid(relid, AccessShareLock);
	}
	/* any non-NULL marker: nothing else is kept per call site */
	fcinfo->flinfo->fn_extra =
		MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 1);
}

Oid
refcache_table(const char *name)
{
	return *watched_relid(name);
}

uint64
refcache_generation(void)
{
	return generation;
}

/* see refcache_query; parallel workers live for one query anyway */
void
refcache_stamp(RefcacheStamp *stamp, uint64 start)
{
	stamp->generation = start;
	stamp->transient = 0;
	if (IsInParallelMode() && !IsParallelWorker() &&
		refcache_query_generation != start)
		stamp->transient = refcache_query;
}

bool
refcache_valid(const RefcacheStamp *stamp)
{
	return stamp->generation == generation &&
		   (stamp->transient == 0 || stamp->transient == refcache_query);
}

/* ---------------------------------------------------------------------
 * Reading a table into a cache
 * ---------------------------------------------------------------------
 */

bool
area_code_key(const char *s, int len, char out[AREA_CODE_MAX + 1])
{
	int n;

	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len <= 0 || len > AREA_CODE_MAX)
		return false;
	memset(out, 0, AREA_CODE_MAX + 1);
	for (n = 0; n < len; n++)
		out[n] = pg_ascii_toupper((unsigned char) s[n]);
	return true;
}

/*
 * Read the latest committed rows (and this transaction's own): the cache
 * outlives the query, so it must not freeze an older snapshot's view. In
 * parallel mode (leader or worker) only the query's snapshot is allowed;
 * see refcache_query for what that means for reuse.
 */
void
refdata_reader_open(RefdataReader *r, Oid relid)
{
	r->rel = table_open(relid, AccessShareLock);
	r->snapshot = RegisterSnapshot(IsInParallelMode() ? GetActiveSnapshot()
													  : GetLatestSnapshot());
	r->scan = table_beginscan(r->rel, r->snapshot, 0, NULL);
	r->slot = table_slot_create(r->rel, NULL);
}

AttrNumber
refdata_reader_column(RefdataReader *r, const char *name)
{
	int attno = attnameAttNum(r->rel, name, false);

	if (attno == InvalidAttrNumber)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
						errmsg("column \"%s\" of value_ext table \"%s\" is "
							   "missing",
							   name, RelationGetRelationName(r->rel)),
						errhint("Reinstall the extension: DROP EXTENSION "
								"value_ext; CREATE EXTENSION value_ext.")));
	return (AttrNumber) attno;
}

bool
refdata_reader_next(RefdataReader *r)
{
	CHECK_FOR_INTERRUPTS();
	return table_scan_getnextslot(r->scan, ForwardScanDirection, r->slot);
}

/* a text column into an area code key; false when NULL or not a code */
bool
refdata_reader_code(RefdataReader *r, AttrNumber att,
					char out[AREA_CODE_MAX + 1])
{
	bool isnull;
	Datum d = slot_getattr(r->slot, att, &isnull);
	text *t;

	if (isnull)
		return false;
	t = DatumGetTextPP(d);
	return area_code_key(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out);
}

void
refdata_reader_close(RefdataReader *r)
{
	ExecDropSingleTupleTableSlot(r->slot);
	table_endscan(r->scan);
	UnregisterSnapshot(r->snapshot);
	table_close(r->rel, AccessShareLock);
}
