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
#include "postgres.h"

#include "deprivation.h"

#include "postcode.h"

#include "access/parallel.h"
#include "access/table.h"
#include "storage/fd.h"
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

/* imd_decile(rank, areas): the English decile of a rank */
PG_FUNCTION_INFO_V1(imd_decile);
Datum
imd_decile(PG_FUNCTION_ARGS)
{
	int32 rank = PG_GETARG_INT32(0);
	int32 areas = PG_GETARG_INT32(1);

	check_rank(rank, areas);
	PG_RETURN_INT32(decile_ceil(rank, areas, 10));
}

/*
 * imd_quintile(rank, areas) = ceil(rank * 5 / areas). Because
 * ceil(ceil(x) / 2) = ceil(x / 2), this is exactly (decile + 1) / 2: the
 * quintiles are pairs of the official deciles, so quintile 1 = Core20.
 */
PG_FUNCTION_INFO_V1(imd_quintile);
Datum
imd_quintile(PG_FUNCTION_ARGS)
{
	int32 rank = PG_GETARG_INT32(0);
	int32 areas = PG_GETARG_INT32(1);

	check_rank(rank, areas);
	PG_RETURN_INT32(decile_ceil(rank, areas, 5));
}

/* imd_decile_nation(rank, areas, nation): each nation's own rule */
PG_FUNCTION_INFO_V1(imd_decile_nation);
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

/* is_core20(decile): Core20PLUS5's most deprived 20% = deciles 1 and 2 */
PG_FUNCTION_INFO_V1(is_core20);
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
typedef struct AreaVia
{
	int32 count; /* counterparts seen in lsoa11_lsoa21 */
	int32 area;  /* the only counterpart, -1 = none or several */
	int8 decile; /* their common decile, 0 = none or they differ */
} AreaVia;

typedef struct AreaInfo
{
	char code[AREA_CODE_MAX + 1];
	int8 decile2019; /* 0 = not an IoD2019 LSOA */
	int8 decile2025; /* 0 = not an IoD2025 LSOA */
	bool is_l11;     /* some postcode's LSOA 2011 */
	bool is_l21;     /* some postcode's LSOA 2021 */
	AreaVia to21;    /* as a 2011 code: its 2021 LSOAs, IoD2025 decile */
	AreaVia to11;    /* as a 2021 code: its 2011 LSOAs, IoD2019 decile */
} AreaInfo;

typedef struct AreaHashEntry
{
	char code[AREA_CODE_MAX + 1];
	int32 index;
} AreaHashEntry;

/* Bumped by the relcache callback; a part is valid iff built at this value */
static uint64 refcache_generation = 1;

/*
 * Parallel mode forbids new snapshots, so a cache built there reads with
 * the query's snapshot. If an invalidation was taken in during this query
 * (at refcache_begin's locks or later), the change behind it may be newer
 * than that snapshot: such a build serves this query only ("transient",
 * tied to refcache_query) and is rebuilt by the next one.
 */
static uint64 refcache_query = 0;            /* bumped by refcache_begin */
static uint64 refcache_begin_generation = 0; /* generation before its locks */

static Oid imd_relid = InvalidOid;
static Oid postcode_relid = InvalidOid;
static Oid lsoa_map_relid = InvalidOid;

static MemoryContext imd_cxt = NULL;
static HTAB *imd_hash = NULL;
static uint64 imd_generation = 0;
static uint64 imd_transient = 0; /* 0, or the only query it may serve */

/*
 * Postcodes: open addressing with linear probing over packed keys (the
 * compact postcode, at most 7 ASCII characters, in a uint64; 0 = empty).
 * Three parallel arrays keep it at 16 bytes a slot: about 67 MB for the
 * full 2.6M-row NSPL, less than half of what a dynahash would take.
 */
static MemoryContext postcode_cxt = NULL;
static uint64 *pc_keys = NULL;
static int32 *pc_l11 = NULL;
static int32 *pc_l21 = NULL;
static uint64 pc_mask = 0;
static AreaInfo *areas = NULL;
static uint64 postcode_generation = 0;
static uint64 postcode_transient = 0;
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
	refcache_query++;
	refcache_begin_generation = refcache_generation;
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
 * outlives the query, so it must not freeze an older snapshot's view. In
 * parallel mode (leader or worker) only the query's snapshot is allowed;
 * see refcache_query for what that means for reuse.
 */
static void
reader_open(TableReader *r, Oid relid)
{
	r->rel = table_open(relid, AccessShareLock);
	r->snapshot = RegisterSnapshot(IsInParallelMode() ? GetActiveSnapshot()
													  : GetLatestSnapshot());
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

static bool
refcache_valid(uint64 generation, uint64 transient)
{
	return generation == refcache_generation &&
		   (transient == 0 || transient == refcache_query);
}

/* see refcache_query; parallel workers live for one query anyway */
static uint64
refcache_transient(uint64 start)
{
	if (!IsInParallelMode() || IsParallelWorker())
		return 0;
	return refcache_begin_generation != start ? refcache_query : 0;
}

static void
imd_cache_ensure(void)
{
	while (imd_hash == NULL || !refcache_valid(imd_generation, imd_transient))
	{
		uint64 start = refcache_generation;

		imd_cache_build();
		imd_generation = start;
		imd_transient = refcache_transient(start);
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

PG_FUNCTION_INFO_V1(imd_rank);

Datum
imd_rank(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || e->rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(e->rank);
}

PG_FUNCTION_INFO_V1(imd_score);

Datum
imd_score(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || !e->has_score)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(e->score);
}

/* ---------------------------------------------------------------------
 * Postcode lookups
 * ---------------------------------------------------------------------
 */

static inline uint64
postcode_key(const char *compact, int n)
{
	uint64 key = 0;
	int i;

	for (i = 0; i < n; i++)
		key |= ((uint64) (unsigned char) compact[i]) << (8 * i);
	return key;
}

/* murmur3's 64-bit finaliser: packed keys share most of their bits */
static inline uint64
postcode_hash(uint64 k)
{
	k ^= k >> 33;
	k *= UINT64CONST(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64CONST(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

typedef struct AreaBuilder
{
	HTAB *index; /* code -> position in areas */
	int32 n;
	int32 cap;
} AreaBuilder;

static int32
area_find(AreaBuilder *b, const char *code)
{
	AreaHashEntry *e = hash_search(b->index, code, HASH_FIND, NULL);

	return e ? e->index : -1;
}

static int32
area_intern(AreaBuilder *b, const char *code)
{
	bool found;
	AreaHashEntry *e = hash_search(b->index, code, HASH_ENTER, &found);
	AreaInfo *a;
	ImdEntry *imd;

	if (found)
		return e->index;
	if (b->n == b->cap)
	{
		b->cap *= 2;
		areas = repalloc(areas, b->cap * sizeof(AreaInfo));
	}
	e->index = b->n;
	a = &areas[b->n];
	memset(a, 0, sizeof(AreaInfo));
	memcpy(a->code, code, AREA_CODE_MAX + 1);
	imd = imd_cache_lookup(2019, code);
	a->decile2019 = imd ? imd->decile : 0;
	imd = imd_cache_lookup(2025, code);
	a->decile2025 = imd ? imd->decile : 0;
	a->to21.area = a->to11.area = -1;
	return b->n++;
}

/*
 * Postcode files are sorted by postcode, and neighbouring postcodes mostly
 * share an LSOA (about 80 postcodes each): try the previous row's area
 * before the hash table.
 */
static int32
area_intern_last(AreaBuilder *b, const char *code, int32 *last)
{
	if (*last < 0 || memcmp(areas[*last].code, code, AREA_CODE_MAX + 1) != 0)
		*last = area_intern(b, code);
	return *last;
}

/* One row of lsoa11_lsoa21 seen from one side: record the counterpart */
static void
area_via_add(AreaBuilder *b, int32 self, const char *other, bool to21)
{
	int32 o = area_intern(b, other); /* may move areas */
	AreaVia *v = to21 ? &areas[self].to21 : &areas[self].to11;
	int8 dec = to21 ? areas[o].decile2025 : areas[o].decile2019;

	if (v->count == 0)
	{
		v->area = o;
		v->decile = dec;
	}
	else
	{
		if (v->area != o)
			v->area = -1;
		if (v->decile != dec)
			v->decile = 0;
	}
	v->count++;
}

static void
postcode_insert(uint64 key, int32 l11, int32 l21)
{
	uint64 i = postcode_hash(key) & pc_mask;

	while (pc_keys[i] != 0 && pc_keys[i] != key)
		i = (i + 1) & pc_mask;
	pc_keys[i] = key;
	pc_l11[i] = l11;
	pc_l21[i] = l21;
}

/* slot of a postcode, or -1 */
static int64
postcode_find(uint64 key)
{
	uint64 i = postcode_hash(key) & pc_mask;

	while (pc_keys[i] != 0)
	{
		if (pc_keys[i] == key)
			return (int64) i;
		i = (i + 1) & pc_mask;
	}
	return -1;
}

typedef struct PostcodeRow
{
	uint64 key;
	int32 l11;
	int32 l21;
} PostcodeRow;

static void
postcode_cache_build(void)
{
	MemoryContext tmp;
	MemoryContext old;
	HASHCTL ctl;
	AreaBuilder b;
	TableReader r;
	AttrNumber a_pc, a_l11, a_l21;
	PostcodeRow *rows;
	int32 last11 = -1;
	int32 last21 = -1;
	int64 nrows = 0;
	int64 caprows = 1024;
	uint64 size = 1024;
	int64 i;

	if (postcode_cxt == NULL)
		postcode_cxt =
			AllocSetContextCreate(TopMemoryContext, "value_ext postcode cache",
								  ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(postcode_cxt);
	pc_keys = NULL;
	tmp = AllocSetContextCreate(CurrentMemoryContext,
								"value_ext postcode cache build",
								ALLOCSET_DEFAULT_SIZES);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = AREA_CODE_MAX + 1;
	ctl.entrysize = sizeof(AreaHashEntry);
	ctl.hcxt = tmp;
	b.index = hash_create("value_ext postcode areas", 4096, &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	b.n = 0;
	b.cap = 1024;
	areas = MemoryContextAlloc(postcode_cxt, b.cap * sizeof(AreaInfo));

	/* 1. the postcodes, with their LSOAs interned */
	old = MemoryContextSwitchTo(tmp);
	rows = palloc(caprows * sizeof(PostcodeRow));
	MemoryContextSwitchTo(old);
	reader_open(&r, postcode_relid);
	a_pc = reader_column(&r, "postcode");
	a_l11 = reader_column(&r, "lsoa11_code");
	a_l21 = reader_column(&r, "lsoa21_code");
	while (reader_next(&r))
	{
		bool isnull;
		Datum d = slot_getattr(r.slot, a_pc, &isnull);
		char compact[POSTCODE_COMPACT_MAX + 1];
		char code[AREA_CODE_MAX + 1];
		text *t;
		int n;
		PostcodeRow *row;

		if (isnull)
			continue;
		t = DatumGetTextPP(d);
		n = postcode_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), compact);
		if (n == 0)
			continue;
		if (nrows == caprows)
		{
			caprows *= 2;
			rows = repalloc_huge(rows, caprows * sizeof(PostcodeRow));
		}
		row = &rows[nrows++];
		row->key = postcode_key(compact, n);
		old = MemoryContextSwitchTo(postcode_cxt);
		row->l11 = reader_code(&r, a_l11, code)
					   ? area_intern_last(&b, code, &last11)
					   : -1;
		if (row->l11 >= 0)
			areas[row->l11].is_l11 = true;
		row->l21 = reader_code(&r, a_l21, code)
					   ? area_intern_last(&b, code, &last21)
					   : -1;
		if (row->l21 >= 0)
			areas[row->l21].is_l21 = true;
		MemoryContextSwitchTo(old);
	}
	reader_close(&r);

	/* 2. the other LSOA vintage of each area, for files that lack it */
	reader_open(&r, lsoa_map_relid);
	a_l11 = reader_column(&r, "lsoa11_code");
	a_l21 = reader_column(&r, "lsoa21_code");
	old = MemoryContextSwitchTo(postcode_cxt);
	while (reader_next(&r))
	{
		char c11[AREA_CODE_MAX + 1];
		char c21[AREA_CODE_MAX + 1];
		int32 self;

		if (!reader_code(&r, a_l11, c11) || !reader_code(&r, a_l21, c21))
			continue;
		self = area_find(&b, c11);
		if (self >= 0 && areas[self].is_l11)
			area_via_add(&b, self, c21, true);
		self = area_find(&b, c21);
		if (self >= 0 && areas[self].is_l21)
			area_via_add(&b, self, c11, false);
	}
	MemoryContextSwitchTo(old);
	reader_close(&r);

	/* 3. the hash table, at most 2/3 full */
	while (size < (uint64) nrows + (uint64) nrows / 2)
		size *= 2;
	pc_keys = MemoryContextAllocExtended(postcode_cxt, size * sizeof(uint64),
										 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	pc_l11 = MemoryContextAllocHuge(postcode_cxt, size * sizeof(int32));
	pc_l21 = MemoryContextAllocHuge(postcode_cxt, size * sizeof(int32));
	pc_mask = size - 1;
	for (i = 0; i < nrows; i++)
		postcode_insert(rows[i].key, rows[i].l11, rows[i].l21);
	MemoryContextDelete(tmp);
}

static void
postcode_cache_ensure(void)
{
	for (;;)
	{
		uint64 start;

		imd_cache_ensure();
		if (pc_keys != NULL &&
			refcache_valid(postcode_generation, postcode_transient))
			return;
		start = refcache_generation;
		postcode_cache_build();
		postcode_generation = start;
		postcode_transient = refcache_transient(start);
		/* the IMD part must be as fresh as what was derived from it */
		if (imd_generation != start)
			pc_keys = NULL;
	}
}

/* Shared prologue: the cache slot of a postcode argument, or -1 */
static int64
postcode_lookup_args(FunctionCallInfo fcinfo)
{
	text *pc = PG_GETARG_TEXT_PP(0);
	char compact[POSTCODE_COMPACT_MAX + 1];
	int n;

	refcache_begin(fcinfo, true);
	postcode_cache_ensure();
	n = postcode_parse(VARDATA_ANY(pc), VARSIZE_ANY_EXHDR(pc), compact);
	if (n == 0)
		return -1;
	return postcode_find(postcode_key(compact, n));
}

/* lsoa_for_postcode(postcode, vintage): the LSOA 2011 or 2021 code */
PG_FUNCTION_INFO_V1(lsoa_for_postcode);
Datum
lsoa_for_postcode(PG_FUNCTION_ARGS)
{
	int32 vintage = PG_GETARG_INT32(1);
	int64 slot;
	int32 area;

	if (vintage != 2011 && vintage != 2021)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown LSOA vintage %d", vintage),
						errhint("Use 2011 (LSOA 2011, IoD2019) or 2021 (LSOA "
								"2021, IoD2025).")));
	slot = postcode_lookup_args(fcinfo);
	if (slot < 0)
		PG_RETURN_NULL();
	if (vintage == 2011)
		area = pc_l11[slot] >= 0   ? pc_l11[slot]
			   : pc_l21[slot] >= 0 ? areas[pc_l21[slot]].to11.area
								   : -1;
	else
		area = pc_l21[slot] >= 0   ? pc_l21[slot]
			   : pc_l11[slot] >= 0 ? areas[pc_l11[slot]].to21.area
								   : -1;
	if (area < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(areas[area].code));
}

/* imd_decile_for_postcode(postcode, edition): the IMD decile of its LSOA */
PG_FUNCTION_INFO_V1(imd_decile_for_postcode);
Datum
imd_decile_for_postcode(PG_FUNCTION_ARGS)
{
	int32 edition = PG_GETARG_INT32(1);
	int64 slot;
	int decile;

	check_edition(edition);
	slot = postcode_lookup_args(fcinfo);
	if (slot < 0)
		PG_RETURN_NULL();
	if (edition == 2019)
		decile = pc_l11[slot] >= 0   ? areas[pc_l11[slot]].decile2019
				 : pc_l21[slot] >= 0 ? areas[pc_l21[slot]].to11.decile
									 : 0;
	else
		decile = pc_l21[slot] >= 0   ? areas[pc_l21[slot]].decile2025
				 : pc_l11[slot] >= 0 ? areas[pc_l11[slot]].to21.decile
									 : 0;
	if (decile == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(decile);
}

/* ---------------------------------------------------------------------
 * load_postcode_lookup
 * ---------------------------------------------------------------------
 */

/* The header's column names, lower-cased, unquoted, trimmed */
static List *
read_csv_header(const char *path)
{
	FILE *f = AllocateFile(path, PG_BINARY_R);
	StringInfoData line;
	List *names = NIL;
	StringInfoData field;
	const char *p;
	bool quoted = false;
	int c;

	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	initStringInfo(&line);
	while ((c = fgetc(f)) != EOF && c != '\n')
	{
		appendStringInfoChar(&line, (char) c);
		if (line.len > 65536)
			break;
	}
	FreeFile(f);
	if (line.len > 0 && line.data[line.len - 1] == '\r')
		line.data[--line.len] = '\0';
	p = line.data;
	if (line.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* UTF-8 byte-order mark */
	if (*p == '\0')
		ereport(
			ERROR,
			(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
			 errmsg("postcode lookup file \"%s\" has no header line", path),
			 errhint("The first line must name the columns, e.g. "
					 "pcds,lsoa11,doterm.")));

	initStringInfo(&field);
	for (;; p++)
	{
		if (quoted)
		{
			if (*p == '"' && p[1] == '"')
				appendStringInfoChar(&field, *p++);
			else if (*p == '"')
				quoted = false;
			else if (*p == '\0')
				break;
			else
				appendStringInfoChar(&field, *p);
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == ',' || *p == '\0')
		{
			char *name = pstrdup(field.data);
			int i;

			/* trim and lower-case */
			while (*name == ' ')
				name++;
			for (i = strlen(name); i > 0 && name[i - 1] == ' '; i--)
				name[i - 1] = '\0';
			for (i = 0; name[i]; i++)
				name[i] = pg_ascii_tolower((unsigned char) name[i]);
			names = lappend(names, name);
			resetStringInfo(&field);
			if (*p == '\0')
				break;
		}
		else
			appendStringInfoChar(&field, *p);
	}
	return names;
}

/* 1-based position of the first of the candidate names, or 0 */
static int
header_find(List *names, const char *const *candidates, const char **found)
{
	int k;

	for (k = 0; candidates[k] != NULL; k++)
	{
		ListCell *lc;
		int pos = 0;

		foreach (lc, names)
		{
			pos++;
			if (strcmp((char *) lfirst(lc), candidates[k]) == 0)
			{
				*found = candidates[k];
				return pos;
			}
		}
	}
	return 0;
}

static void
spi_exec(const char *sql, int expected)
{
	int rc = SPI_execute(sql, false, 0);

	if (rc != expected)
		elog(ERROR, "value_ext: SPI_execute failed (%d): %s", rc, sql);
}

/* Run a query returning (line bigint, value text) rows; the first, if any */
static bool
first_bad_line(const char *sql, int64 *line, char **value)
{
	bool isnull;

	spi_exec(sql, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return false;
	*line = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
	*value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (*value == NULL)
		*value = "";
	return true;
}

/*
 * load_postcode_lookup(path): replace the contents of postcode_lookup with
 * an ONS postcode directory file (NSPL or ONSPD layout), whose columns are
 * found by their header names. Everything happens in the caller's
 * transaction, so a file that fails any check leaves the old lookup as it
 * was.
 */
PG_FUNCTION_INFO_V1(load_postcode_lookup);
Datum
load_postcode_lookup(PG_FUNCTION_ARGS)
{
	char *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	static const char *const pc_names[] = {"pcds", "pcd",      "pcd2", "pcd7",
										   "pcd8", "postcode", NULL};
	static const char *const l11_names[] = {"lsoa11", "lsoa11cd", NULL};
	static const char *const l21_names[] = {"lsoa21", "lsoa21cd", NULL};
	static const char *const term_names[] = {"doterm", NULL};
	const char *pc_name = NULL;
	const char *l11_name = NULL;
	const char *l21_name = NULL;
	const char *term_name = NULL;
	List *names;
	int ncols;
	int pc_col, l11_col, l21_col, term_col;
	const char *nsp;
	StringInfoData sql;
	int i;
	int64 line;
	char *value;
	uint64 loaded;

	if (!superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(
			ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to load a postcode lookup file"),
			 errdetail("Only superusers and members of pg_read_server_files "
					   "may read files on the server."),
			 errhint("Ask an administrator to grant pg_read_server_files to "
					 "the loading role.")));

	names = read_csv_header(path);
	ncols = list_length(names);
	pc_col = header_find(names, pc_names, &pc_name);
	l11_col = header_find(names, l11_names, &l11_name);
	l21_col = header_find(names, l21_names, &l21_name);
	term_col = header_find(names, term_names, &term_name);
	if (pc_col == 0)
		ereport(ERROR,
				(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
				 errmsg("postcode lookup file \"%s\" has no postcode column",
						path),
				 errdetail("The header names none of pcds, pcd, pcd2, pcd7, "
						   "pcd8, postcode."),
				 errhint("Load an ONS postcode directory (NSPL or ONSPD) CSV "
						 "with its header line.")));
	if (l11_col == 0 && l21_col == 0)
		ereport(
			ERROR,
			(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
			 errmsg("postcode lookup file \"%s\" has no LSOA column", path),
			 errdetail("The header names none of lsoa11, lsoa11cd, lsoa21, "
					   "lsoa21cd."),
			 errhint("Load an ONS postcode directory (NSPL or ONSPD) CSV with "
					 "its header line.")));

	nsp = quote_identifier(
		get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

	SPI_connect();
	initStringInfo(&sql);

	/* 1. every column as text, with the file's line number */
	appendStringInfoString(&sql,
						   "CREATE TEMP TABLE value_ext_postcode_stage (line "
						   "bigint GENERATED ALWAYS AS IDENTITY (START 2)");
	for (i = 1; i <= ncols; i++)
		appendStringInfo(&sql, ", c%d text", i);
	appendStringInfoString(&sql, ") ON COMMIT DROP");
	spi_exec(sql.data, SPI_OK_UTILITY);

	resetStringInfo(&sql);
	appendStringInfoString(&sql, "COPY pg_temp.value_ext_postcode_stage (");
	for (i = 1; i <= ncols; i++)
		appendStringInfo(&sql, "%sc%d", i > 1 ? ", " : "", i);
	appendStringInfo(&sql, ") FROM %s WITH (FORMAT csv, HEADER true)",
					 quote_literal_cstr(path));
	spi_exec(sql.data, SPI_OK_UTILITY);

	/* 2. the rows as they will be stored */
	resetStringInfo(&sql);
	appendStringInfo(
		&sql,
		"CREATE TEMP TABLE value_ext_postcode_rows ON COMMIT DROP AS "
		"SELECT line, c%d AS raw, %s.postcode_normalize(c%d) AS postcode, "
		"%s AS lsoa11_code, %s AS lsoa21_code, %s AS doterm "
		"FROM pg_temp.value_ext_postcode_stage",
		pc_col, nsp, pc_col,
		l11_col
			? psprintf("pg_catalog.upper(NULLIF(pg_catalog.btrim(c%d), ''))",
					   l11_col)
			: "NULL::text",
		l21_col
			? psprintf("pg_catalog.upper(NULLIF(pg_catalog.btrim(c%d), ''))",
					   l21_col)
			: "NULL::text",
		term_col ? psprintf("NULLIF(pg_catalog.btrim(c%d), '')", term_col)
				 : "NULL::text");
	spi_exec(sql.data, SPI_OK_UTILITY);

	/* 3. checks, each naming the first offending line */
	if (first_bad_line("SELECT line, raw FROM pg_temp.value_ext_postcode_rows "
					   "WHERE postcode IS NULL ORDER BY line LIMIT 1",
					   &line, &value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid postcode on line %lld of postcode lookup "
						"file \"%s\"",
						(long long) line, path),
				 errdetail(
					 "Column \"%s\" holds \"%s\", which is not a UK postcode.",
					 pc_name, value),
				 errhint("Fix or remove that line; the previous postcode "
						 "lookup is unchanged.")));
	if (first_bad_line("SELECT line, coalesce(lsoa11_code, lsoa21_code) FROM "
					   "pg_temp.value_ext_postcode_rows "
					   "WHERE lsoa11_code !~ '^[A-Z0-9]{1,11}$' OR "
					   "lsoa21_code !~ '^[A-Z0-9]{1,11}$' "
					   "ORDER BY line LIMIT 1",
					   &line, &value))
		ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid LSOA code on line %lld of postcode "
							   "lookup file \"%s\"",
							   (long long) line, path),
						errdetail("The LSOA column holds \"%s\"; codes are 1 "
								  "to 11 letters and digits, e.g. E01008703.",
								  value),
						errhint("Fix or remove that line; the previous "
								"postcode lookup is unchanged.")));
	if (first_bad_line(
			"SELECT line, doterm FROM pg_temp.value_ext_postcode_rows "
			"WHERE doterm !~ '^[0-9]{6}$' ORDER BY line LIMIT 1",
			&line, &value))
		ereport(ERROR, (errcode(ERRCODE_INVALID_DATETIME_FORMAT),
						errmsg("invalid termination date on line %lld of "
							   "postcode lookup file \"%s\"",
							   (long long) line, path),
						errdetail("Column \"%s\" holds \"%s\"; it must be "
								  "empty or a year and month YYYYMM.",
								  term_name, value),
						errhint("Fix or remove that line; the previous "
								"postcode lookup is unchanged.")));
	if (first_bad_line(
			"SELECT max(line), postcode FROM pg_temp.value_ext_postcode_rows "
			"GROUP BY postcode HAVING count(*) > 1 ORDER BY 1 LIMIT 1",
			&line, &value))
		ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
						errmsg("duplicate postcode on line %lld of postcode "
							   "lookup file \"%s\"",
							   (long long) line, path),
						errdetail("Postcode \"%s\" appears on an earlier line "
								  "too (after normalisation).",
								  value),
						errhint("Fix or remove one of the lines; the previous "
								"postcode lookup is unchanged.")));

	/* 4. replace the previous load */
	resetStringInfo(&sql);
	appendStringInfo(&sql, "TRUNCATE %s.postcode_lookup", nsp);
	spi_exec(sql.data, SPI_OK_UTILITY);
	resetStringInfo(&sql);
	appendStringInfo(
		&sql,
		"INSERT INTO %s.postcode_lookup (postcode, lsoa11_code, lsoa21_code, "
		"terminated) "
		"SELECT postcode, lsoa11_code, lsoa21_code, doterm IS NOT NULL "
		"FROM pg_temp.value_ext_postcode_rows ORDER BY postcode",
		nsp);
	spi_exec(sql.data, SPI_OK_INSERT);
	loaded = SPI_processed;
	spi_exec("DROP TABLE pg_temp.value_ext_postcode_rows, "
			 "pg_temp.value_ext_postcode_stage",
			 SPI_OK_UTILITY);
	SPI_finish();
	PG_RETURN_INT64((int64) loaded);
}
