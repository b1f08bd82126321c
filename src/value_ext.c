/*-------------------------------------------------------------------------
 *
 * value_ext.c
 *	  Module entry point: the magic block and _PG_init.
 *
 * Each concept lives in its own file; a concept that needs start-up work
 * (a GUC, a cache callback) exposes an init function through its header
 * and is called from here, so loading order stays in one place.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "refdata.h"
#include "pseudonym.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);

void
_PG_init(void)
{
	refdata_init();
	pseudonym_init();
	/* value_ext.* names other than ours are mistakes: refuse them */
	MarkGUCPrefixReserved("value_ext");
}

/*
 * The version of the loaded shared library. After an upgrade a DBA can
 * compare it with pg_extension.extversion: a mismatch means the server
 * still has the old library loaded or ALTER EXTENSION ... UPDATE is due.
 */
PG_FUNCTION_INFO_V1(value_ext_library_version);
Datum
value_ext_library_version(PG_FUNCTION_ARGS)
{
	(void) fcinfo; /* no arguments */
	PG_RETURN_TEXT_P(cstring_to_text(VALUE_EXT_VERSION));
}
