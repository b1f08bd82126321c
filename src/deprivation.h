/*-------------------------------------------------------------------------
 *
 * deprivation.h
 *	  The IMD part of the lookups' backend cache (deprivation.c), which the
 *	  postcode lookups (postcode.c) build on.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef DEPRIVATION_H
#define DEPRIVATION_H

#include "fmgr.h"

/* the table the IMD cache reads, for refcache_begin's list */
#define IMD_CACHE_TABLE "imd_lsoa"

/*
 * Make the IMD cache current (after refcache_begin at the call site);
 * returns the generation it was built at, so a cache derived from it can
 * tell whether it is as fresh.
 */
extern uint64 imd_cache_ensure(void);

/* the official decile of an area code key in an edition, 0 = not an area */
extern int imd_cache_decile(int32 edition, const char *code);

/* error 22023 unless edition is 2019 or 2025 */
extern void imd_check_edition(FunctionCallInfo fcinfo, int32 edition);

#endif /* DEPRIVATION_H */
