/*-------------------------------------------------------------------------
 *
 * deprivation.h
 *	  Start-up of the deprivation lookups' backend cache (deprivation.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef DEPRIVATION_H
#define DEPRIVATION_H

/* registers the relcache callback of the lookup cache (from _PG_init) */
extern void deprivation_init(void);

#endif /* DEPRIVATION_H */
