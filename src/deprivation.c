/*-------------------------------------------------------------------------
 *
 * deprivation.c
 *	  Indices of deprivation: the decile rules, the loading of the bundled
 *	  reference files, and the LSOA and postcode lookups with their
 *	  per-backend cache.
 *
 * The lookup functions are called once per row over tables of millions of
 * patients, so they never run a query per call. The first call in a backend
 * reads imd_lsoa (and, for postcodes, postcode_lookup and lsoa11_lsoa21)
 * once into hash tables in backend memory. A relcache callback, registered
 * once in _PG_init, throws the copy away when any of those tables changes:
 * DDL and TRUNCATE send relcache invalidations by themselves, and a
 * statement trigger on each table (value_ext_refdata_changed) sends one for
 * INSERT, UPDATE and DELETE, so other backends rebuild after the commit and
 * the changing backend at once (or again after a rollback).
 *
 * Postcode normalisation itself lives in postcode.c.
 *
 *-------------------------------------------------------------------------
 */
#include "value_ext.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_authid.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

/* Longest area code we keep (GSS codes are 9 characters, NI SOA 8). */
#define AREA_CODE_MAX 11

/* Number of LSOAs of each English edition: the default of imd_decile(). */
#define IMD2019_AREAS 32844
#define IMD2025_AREAS 33755

/* ---------------------------------------------------------------------
 * Decile rules (plain C)
 * ---------------------------------------------------------------------
 */

/* England (MHCLG): decile = ceil(rank * 10 / areas); 64-bit, no overflow */
static int
decile_ceil(int32 rank, int32 areas, int parts)
{
	return (int) (((int64) rank * parts + areas - 1) / areas);
}

/* Wales, Scotland (and NI): decile = floor((rank - 1) * 10 / areas) + 1 */
static int
decile_floor(int32 rank, int32 areas, int parts)
{
	return (int) (((int64) (rank - 1) * parts) / areas) + 1;
}

static void
check_rank(int32 rank, int32 areas)
{
	if (areas < 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of ranked areas must be at least 10"),
				 errdetail("The number of areas was %d.", areas),
				 errhint("Pass the number of areas in the index, e.g. 32844 "
						 "for IoD2019 LSOAs or 33755 for IoD2025.")));
	if (rank < 1 || rank > areas)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("deprivation rank %d is out of range", rank),
						errdetail("A rank must lie between 1 (most deprived) "
								  "and the number of areas, %d.",
								  areas),
						errhint("Check that the second argument is the number "
								"of areas the rank was taken over.")));
}

PG_FUNCTION_INFO_V1(imd_decile_rank);

/* imd_decile(rank, areas): the English decile of a rank */
Datum
imd_decile_rank(PG_FUNCTION_ARGS)
{
	int32 rank = PG_GETARG_INT32(0);
	int32 areas = PG_GETARG_INT32(1);

	check_rank(rank, areas);
	PG_RETURN_INT32(decile_ceil(rank, areas, 10));
}

PG_FUNCTION_INFO_V1(imd_quintile_rank);

/*
 * imd_quintile(rank, areas) = ceil(rank * 5 / areas). Because
 * ceil(ceil(x) / 2) = ceil(x / 2), this is exactly (decile + 1) / 2: the
 * quintiles are pairs of the official deciles, so quintile 1 = Core20.
 */
Datum
imd_quintile_rank(PG_FUNCTION_ARGS)
{
	int32 rank = PG_GETARG_INT32(0);
	int32 areas = PG_GETARG_INT32(1);

	check_rank(rank, areas);
	PG_RETURN_INT32(decile_ceil(rank, areas, 5));
}

PG_FUNCTION_INFO_V1(imd_decile_nation);

/* imd_decile_nation(rank, areas, nation): each nation's own rule */
Datum
imd_decile_nation(PG_FUNCTION_ARGS)
{
	int32 rank = PG_GETARG_INT32(0);
	int32 areas = PG_GETARG_INT32(1);
	char *nation = text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (strcmp(nation, "England") == 0)
	{
		check_rank(rank, areas);
		PG_RETURN_INT32(decile_ceil(rank, areas, 10));
	}
	if (strcmp(nation, "Wales") == 0 || strcmp(nation, "Scotland") == 0 ||
		strcmp(nation, "Northern Ireland") == 0)
	{
		check_rank(rank, areas);
		PG_RETURN_INT32(decile_floor(rank, areas, 10));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown nation \"%s\"", nation),
			 errhint("Use England, Wales, Scotland or Northern Ireland.")));
	PG_RETURN_NULL(); /* not reached */
}

PG_FUNCTION_INFO_V1(is_core20);

/* is_core20(decile): Core20PLUS5's most deprived 20% = deciles 1 and 2 */
Datum
is_core20(PG_FUNCTION_ARGS)
{
	int32 decile = PG_GETARG_INT32(0);

	if (decile < 1 || decile > 10)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("IMD decile %d is out of range", decile),
			 errdetail("A decile must lie between 1 (most deprived) and 10."),
			 errhint("Pass a national IMD decile, e.g. from imd_decile().")));
	PG_RETURN_BOOL(decile <= 2);
}

/* ---------------------------------------------------------------------
 * Loading the bundled files and signalling changes
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(value_ext_load_refdata);

/*
 * value_ext_load_refdata(target, file): COPY one of the CSV files installed
 * in $(sharedir)/extension/value_ext/ into target. Only a plain file name
 * is accepted, so nothing outside that directory can be read through it.
 */
Datum
value_ext_load_refdata(PG_FUNCTION_ARGS)
{
	Oid target = PG_GETARG_OID(0);
	char *file = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char sharepath[MAXPGPATH];
	char *relname;
	StringInfoData cmd;
	const char *p;
	uint64 rows;

	if (file[0] == '\0' || file[0] == '.')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid reference data file name \"%s\"", file)));
	for (p = file; *p; p++)
		if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '-' ||
			  *p == '.'))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid reference data file name \"%s\"", file),
					 errdetail("Only the plain name of a file bundled with "
							   "value_ext is accepted.")));

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

PG_FUNCTION_INFO_V1(value_ext_refdata_changed);

/* Statement trigger: tell every backend to drop its cached copy */
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
 * The backend cache
 * ---------------------------------------------------------------------
 */

typedef struct ImdKey
{
	int32 edition;
	char code[AREA_CODE_MAX + 1];
} ImdKey;

typedef struct ImdEntry
{
	ImdKey key;
	int32 rank;
	int32 decile;
	float8 score;
	bool has_score;
} ImdEntry;

/*
 * A distinct LSOA code of the postcode lookup, with what a postcode in it
 * needs precomputed: its deciles in both editions, and its counterpart in
 * the other LSOA vintage through lsoa11_lsoa21 when the loaded file lacks
 * that vintage's column (only when unambiguous: see README).
 */
typedef struct AreaInfo
{
	char code[AREA_CODE_MAX + 1];
	int8 decile2019; /* 0 = not an IoD2019 LSOA */
	int8 decile2025; /* 0 = not an IoD2025 LSOA */
	int8 via_decile; /* decile in the other edition's LSOAs, 0 =
								 * none or ambiguous */
	bool is_l11;     /* used as a postcode's LSOA 2011 */
	bool is_l21;     /* used as a postcode's LSOA 2021 */
	int32 via_count; /* counterparts seen in lsoa11_lsoa21 */
	int32 via_area;  /* the only counterpart, -1 = none/several */
} AreaInfo;

typedef struct AreaHashEntry
{
	char code[AREA_CODE_MAX + 1];
	int32 index;
} AreaHashEntry;

/* Bumped by the relcache callback; a part is valid iff built at this value */
static uint64 refcache_generation = 1;

static Oid imd_relid = InvalidOid;
static Oid postcode_relid = InvalidOid;
static Oid lsoa_map_relid = InvalidOid;

static MemoryContext imd_cxt = NULL;
static HTAB *imd_hash = NULL;
static uint64 imd_generation = 0;

/*POSTCODE_STATICS*/
static void
refcache_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == imd_relid || relid == postcode_relid ||
		relid == lsoa_map_relid)
		refcache_generation++;
}

/* Called once from _PG_init */
void
deprivation_init(void)
{
	CacheRegisterRelcacheCallback(refcache_relcache_callback, (Datum) 0);
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
 * Once per call site (per FmgrInfo, i.e. per query): find the tables and
 * lock them as reading them would. Taking the lock processes pending
 * invalidations, so a change committed by another backend is seen from the
 * next query on, exactly as with a join.
 */
static void
refcache_begin(FunctionCallInfo fcinfo, bool postcodes)
{
	if (fcinfo->flinfo->fn_extra != NULL)
		return;
	imd_relid = extension_table(fcinfo, "imd_lsoa");
	LockRelationOid(imd_relid, AccessShareLock);
	if (postcodes)
	{
		postcode_relid = extension_table(fcinfo, "postcode_lookup");
		lsoa_map_relid = extension_table(fcinfo, "lsoa11_lsoa21");
		LockRelationOid(postcode_relid, AccessShareLock);
		LockRelationOid(lsoa_map_relid, AccessShareLock);
	}
	/* any non-NULL marker: nothing else is kept per call site */
	fcinfo->flinfo->fn_extra =
		MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 1);
}

/* Copy a text area code, trimmed of ASCII blanks and upper-cased. */
static bool
area_code_key(const char *s, int len, char *out)
{
	int n = 0;

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

typedef struct TableReader
{
	Relation rel;
	Snapshot snapshot;
	TableScanDesc scan;
	TupleTableSlot *slot;
} TableReader;

/*
 * Read the latest committed rows (and this transaction's own): the cache
 * outlives the query, so it must not freeze an older snapshot's view.
 */
static void
reader_open(TableReader *r, Oid relid)
{
	r->rel = table_open(relid, AccessShareLock);
	r->snapshot = RegisterSnapshot(GetLatestSnapshot());
	r->scan = table_beginscan(r->rel, r->snapshot, 0, NULL);
	r->slot = table_slot_create(r->rel, NULL);
}

static AttrNumber
reader_column(TableReader *r, const char *name)
{
	int attno = attnameAttNum(r->rel, name, false);

	if (attno == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of \"%s\" is missing", name,
			 RelationGetRelationName(r->rel));
	return (AttrNumber) attno;
}

static bool
reader_next(TableReader *r)
{
	CHECK_FOR_INTERRUPTS();
	return table_scan_getnextslot(r->scan, ForwardScanDirection, r->slot);
}

/* a text column into an area code key; false when NULL or not a code */
static bool
reader_code(TableReader *r, AttrNumber att, char *out)
{
	bool isnull;
	Datum d = slot_getattr(r->slot, att, &isnull);
	text *t;

	if (isnull)
		return false;
	t = DatumGetTextPP(d);
	return area_code_key(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out);
}

static void
reader_close(TableReader *r)
{
	ExecDropSingleTupleTableSlot(r->slot);
	table_endscan(r->scan);
	UnregisterSnapshot(r->snapshot);
	table_close(r->rel, AccessShareLock);
}

static void
imd_cache_build(void)
{
	HASHCTL ctl;
	TableReader r;
	AttrNumber a_edition, a_code, a_score, a_rank, a_decile;

	if (imd_cxt == NULL)
		imd_cxt = AllocSetContextCreate(
			TopMemoryContext, "value_ext IMD cache", ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(imd_cxt);
	imd_hash = NULL;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ImdKey);
	ctl.entrysize = sizeof(ImdEntry);
	ctl.hcxt = imd_cxt;

	reader_open(&r, imd_relid);
	a_edition = reader_column(&r, "edition");
	a_code = reader_column(&r, "lsoa_code");
	a_score = reader_column(&r, "imd_score");
	a_rank = reader_column(&r, "imd_rank");
	a_decile = reader_column(&r, "imd_decile");

	/* built complete before it is published in imd_hash */
	{
		HTAB *h = hash_create("value_ext IMD by LSOA", 70000, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

		while (reader_next(&r))
		{
			ImdKey key;
			ImdEntry *e;
			bool isnull;
			bool found;

			memset(&key, 0, sizeof(key));
			if (!reader_code(&r, a_code, key.code))
				continue;
			key.edition =
				DatumGetInt32(slot_getattr(r.slot, a_edition, &isnull));
			if (isnull)
				continue;
			e = (ImdEntry *) hash_search(h, &key, HASH_ENTER, &found);
			e->rank = DatumGetInt32(slot_getattr(r.slot, a_rank, &isnull));
			if (isnull)
				e->rank = 0;
			e->decile = DatumGetInt32(slot_getattr(r.slot, a_decile, &isnull));
			if (isnull)
				e->decile = 0;
			e->score = DatumGetFloat8(slot_getattr(r.slot, a_score, &isnull));
			e->has_score = !isnull;
		}
		reader_close(&r);
		imd_hash = h;
	}
}

static void
imd_cache_ensure(void)
{
	while (imd_hash == NULL || imd_generation != refcache_generation)
	{
		uint64 start = refcache_generation;

		imd_cache_build();
		imd_generation = start;
	}
}

static ImdEntry *
imd_cache_lookup(int32 edition, const char *code)
{
	ImdKey key;

	memset(&key, 0, sizeof(key));
	key.edition = edition;
	strlcpy(key.code, code, sizeof(key.code));
	return (ImdEntry *) hash_search(imd_hash, &key, HASH_FIND, NULL);
}

static void
check_edition(int32 edition)
{
	if (edition != 2019 && edition != 2025)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown IMD edition %d", edition),
			 errdetail("value_ext bundles the English Indices of Deprivation "
					   "2019 and 2025."),
			 errhint(
				 "Use 2019 (LSOA 2011 codes) or 2025 (LSOA 2021 codes).")));
}

/* Shared prologue of imd_decile/imd_rank/imd_score(lsoa_code, edition) */
static ImdEntry *
imd_lookup_args(FunctionCallInfo fcinfo)
{
	text *code = PG_GETARG_TEXT_PP(0);
	int32 edition = PG_GETARG_INT32(1);
	char key[AREA_CODE_MAX + 1];

	check_edition(edition);
	if (!area_code_key(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code), key))
		return NULL;
	refcache_begin(fcinfo, false);
	imd_cache_ensure();
	return imd_cache_lookup(edition, key);
}

PG_FUNCTION_INFO_V1(imd_decile_lsoa);

Datum
imd_decile_lsoa(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || e->decile == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(e->decile);
}

PG_FUNCTION_INFO_V1(imd_rank_lsoa);

Datum
imd_rank_lsoa(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || e->rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(e->rank);
}

PG_FUNCTION_INFO_V1(imd_score_lsoa);

Datum
imd_score_lsoa(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || !e->has_score)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(e->score);
}
