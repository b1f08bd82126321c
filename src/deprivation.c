/*-------------------------------------------------------------------------
 *
 * deprivation.c
 *	  Indices of deprivation: the decile rules (imd_decile, imd_quintile,
 *	  imd_decile_nation, is_core20) and the LSOA lookups (imd_decile,
 *	  imd_rank and imd_score by LSOA code) with the IMD part of the
 *	  lookups' backend cache, which the postcode lookups (postcode.c) build
 *	  on. How the cache is invalidated is refdata.c's business.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "deprivation.h"

#include "refdata.h"
#include "results.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

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
check_rank(FunctionCallInfo fcinfo, int32 rank, int32 areas)
{
	if (areas < 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("areas of %s must be at least 10",
						called_function_name(fcinfo)),
				 errdetail("The areas is %d.", areas),
				 errhint("Pass the number of areas in the index, e.g. 32844 "
						 "for IoD2019 LSOAs or 33755 for IoD2025.")));
	if (rank < 1 || rank > areas)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("rank of %s must be between 1 and %d",
							   called_function_name(fcinfo), areas),
						errdetail("The rank is %d.", rank),
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

	check_rank(fcinfo, rank, areas);
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

	check_rank(fcinfo, rank, areas);
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
		check_rank(fcinfo, rank, areas);
		PG_RETURN_INT32(decile_ceil(rank, areas, 10));
	}
	if (strcmp(nation, "Wales") == 0 || strcmp(nation, "Scotland") == 0 ||
		strcmp(nation, "Northern Ireland") == 0)
	{
		check_rank(fcinfo, rank, areas);
		PG_RETURN_INT32(decile_floor(rank, areas, 10));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("nation of imd_decile_nation must be one of England, "
					"Wales, Scotland, Northern Ireland"),
			 errdetail("The nation is \"%s\".", nation),
			 errhint("Nation names are case-sensitive.")));
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
			 errmsg("decile of is_core20 must be between 1 and 10"),
			 errdetail("The decile is %d.", decile),
			 errhint("Pass a national IMD decile, e.g. from imd_decile().")));
	PG_RETURN_BOOL(decile <= 2);
}

/* ---------------------------------------------------------------------
 * The IMD part of the backend cache: imd_lsoa by (edition, LSOA code)
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

static MemoryContext imd_cxt = NULL;
static HTAB *imd_hash = NULL;
static RefcacheStamp imd_stamp;

/* One row of imd_lsoa into the hash table (rows without a key are skipped) */
static void
imd_cache_add_row(HTAB *h, RefdataReader *r, AttrNumber a_edition,
				  AttrNumber a_code, AttrNumber a_score, AttrNumber a_rank,
				  AttrNumber a_decile)
{
	ImdKey key;
	ImdEntry *e;
	bool isnull;
	bool found;

	memset(&key, 0, sizeof(key));
	if (!refdata_reader_code(r, a_code, key.code))
		return;
	key.edition = DatumGetInt32(slot_getattr(r->slot, a_edition, &isnull));
	if (isnull)
		return;
	e = (ImdEntry *) hash_search(h, &key, HASH_ENTER, &found);
	e->rank = DatumGetInt32(slot_getattr(r->slot, a_rank, &isnull));
	if (isnull)
		e->rank = 0;
	e->decile = DatumGetInt32(slot_getattr(r->slot, a_decile, &isnull));
	if (isnull)
		e->decile = 0;
	e->score = DatumGetFloat8(slot_getattr(r->slot, a_score, &isnull));
	e->has_score = !isnull;
}

static void
imd_cache_build(void)
{
	HASHCTL ctl;
	RefdataReader r;
	AttrNumber a_edition, a_code, a_score, a_rank, a_decile;
	HTAB *h;

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

	refdata_reader_open(&r, refcache_table(IMD_CACHE_TABLE));
	a_edition = refdata_reader_column(&r, "edition");
	a_code = refdata_reader_column(&r, "lsoa_code");
	a_score = refdata_reader_column(&r, "imd_score");
	a_rank = refdata_reader_column(&r, "imd_rank");
	a_decile = refdata_reader_column(&r, "imd_decile");

	/* built complete before it is published in imd_hash */
	h = hash_create("value_ext IMD by LSOA", 70000, &ctl,
					HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	while (refdata_reader_next(&r))
		imd_cache_add_row(h, &r, a_edition, a_code, a_score, a_rank, a_decile);
	refdata_reader_close(&r);
	imd_hash = h;
}

uint64
imd_cache_ensure(void)
{
	while (imd_hash == NULL || !refcache_valid(&imd_stamp))
	{
		uint64 start = refcache_generation();

		imd_cache_build();
		refcache_stamp(&imd_stamp, start);
	}
	return imd_stamp.generation;
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

int
imd_cache_decile(int32 edition, const char *code)
{
	ImdEntry *e = imd_cache_lookup(edition, code);

	return e ? e->decile : 0;
}

void
imd_check_edition(FunctionCallInfo fcinfo, int32 edition)
{
	if (edition != 2019 && edition != 2025)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("edition of %s must be one of 2019, 2025",
							   called_function_name(fcinfo)),
						errdetail("The edition is %d.", edition),
						errhint("Use 2019 (IoD2019, LSOA 2011 codes) or 2025 "
								"(IoD2025, LSOA 2021 codes).")));
}

/* ---------------------------------------------------------------------
 * LSOA lookups
 * ---------------------------------------------------------------------
 */

/* Shared prologue of imd_decile/imd_rank/imd_score(lsoa_code, edition) */
static ImdEntry *
imd_lookup_args(FunctionCallInfo fcinfo)
{
	static const char *const tables[] = {IMD_CACHE_TABLE, NULL};
	text *code = PG_GETARG_TEXT_PP(0);
	int32 edition = PG_GETARG_INT32(1);
	char key[AREA_CODE_MAX + 1];

	imd_check_edition(fcinfo, edition);
	if (!area_code_key(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code), key))
		return NULL;
	refcache_begin(fcinfo, tables);
	imd_cache_ensure();
	return imd_cache_lookup(edition, key);
}

/* imd_decile(lsoa_code, edition): the official decile of an LSOA */
PG_FUNCTION_INFO_V1(imd_decile_lsoa);
Datum
imd_decile_lsoa(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || e->decile == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(e->decile);
}

/* imd_rank(lsoa_code, edition): the official rank of an LSOA */
PG_FUNCTION_INFO_V1(imd_rank);
Datum
imd_rank(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || e->rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(e->rank);
}

/* imd_score(lsoa_code, edition): the IMD score of an LSOA */
PG_FUNCTION_INFO_V1(imd_score);
Datum
imd_score(PG_FUNCTION_ARGS)
{
	ImdEntry *e = imd_lookup_args(fcinfo);

	if (e == NULL || !e->has_score)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(e->score);
}
