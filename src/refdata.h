/*-------------------------------------------------------------------------
 *
 * refdata.h
 *	  What the lookups' backend caches share (refdata.c): the generation
 *	  counting behind their invalidation, finding and locking the tables
 *	  they read, a reader over such a table, and area codes as keys.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef REFDATA_H
#define REFDATA_H

#include "access/relscan.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

/* registers the relcache callback of the lookup caches (from _PG_init) */
extern void refdata_init(void);

/*
 * A cache part (the IMD hash, the postcode table) is valid while the
 * generation it was built at is current. RefcacheStamp records that, and
 * whether the build may serve only the query that made it (see refdata.c).
 */
typedef struct RefcacheStamp
{
	uint64 generation;
	uint64 transient; /* 0, or the only query it may serve */
} RefcacheStamp;

/*
 * Once per call site (per FmgrInfo, i.e. per query): find the tables the
 * lookup's cache reads (a NULL-terminated list of names) in the schema of
 * the called function, and lock them as reading them would. Taking the
 * locks processes pending invalidations. refcache_table then gives the OID
 * of a table as the latest call site found it.
 */
extern void refcache_begin(FunctionCallInfo fcinfo, const char *const *tables);
extern Oid refcache_table(const char *name);

/* the current generation: take it before a build and stamp with it after */
extern uint64 refcache_generation(void);
extern void refcache_stamp(RefcacheStamp *stamp, uint64 start);
extern bool refcache_valid(const RefcacheStamp *stamp);

/* Longest area code we keep (GSS codes are 9 characters, NI SOA 8). */
#define AREA_CODE_MAX 11

/*
 * A text area code trimmed of ASCII blanks and upper-cased into out (zero
 * padded); false when empty or longer than AREA_CODE_MAX.
 */
extern bool area_code_key(const char *s, int len, char out[AREA_CODE_MAX + 1]);

/* A scan of one table for building a cache (see refdata_reader_open). */
typedef struct RefdataReader
{
	Relation rel;
	Snapshot snapshot;
	TableScanDesc scan;
	TupleTableSlot *slot;
} RefdataReader;

extern void refdata_reader_open(RefdataReader *r, Oid relid);
extern AttrNumber refdata_reader_column(RefdataReader *r, const char *name);
extern bool refdata_reader_next(RefdataReader *r);
extern bool refdata_reader_code(RefdataReader *r, AttrNumber att,
								char out[AREA_CODE_MAX + 1]);
extern void refdata_reader_close(RefdataReader *r);

#endif /* REFDATA_H */
