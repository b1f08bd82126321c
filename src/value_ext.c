/*-------------------------------------------------------------------------
 *
 * value_ext.c
 *	  Module entry point: the magic block and _PG_init.
 *
 * Each concept lives in its own file; a concept that needs start-up work
 * (a GUC, a cache callback) exposes an init function through value_ext.h
 * and is called from here, so loading order stays in one place.
 *
 *-------------------------------------------------------------------------
 */
#include "value_ext.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

void _PG_init(void);

void
_PG_init(void)
{
	deprivation_init();
	pseudonym_init();
}

PG_FUNCTION_INFO_V1(value_ext_library_version);

/*
 * The version of the loaded shared library. After an upgrade a DBA can
 * compare it with pg_extension.extversion: a mismatch means the server
 * still has the old library loaded or ALTER EXTENSION ... UPDATE is due.
 */
Datum
value_ext_library_version(PG_FUNCTION_ARGS)
{
	(void) fcinfo; /* no arguments */
	PG_RETURN_TEXT_P(cstring_to_text(VALUE_EXT_VERSION));
}

Datum
composite_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning a composite called in a context "
						"that cannot accept it")));
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
