/*-------------------------------------------------------------------------
 *
 * pseudonym.h
 *	  Start-up of the pseudonymisation module (pseudonym.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef PSEUDONYM_H
#define PSEUDONYM_H

/* registers the GUC value_ext.pseudonym_key_file (from _PG_init) */
extern void pseudonym_init(void);

#endif /* PSEUDONYM_H */
