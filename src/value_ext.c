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

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

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

const char *
called_function_name(FunctionCallInfo fcinfo)
{
	Aggref *aggref = AggGetAggref(fcinfo);
	Oid fn = aggref ? aggref->aggfnoid
					: (fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid);
	char *name = OidIsValid(fn) ? get_func_name(fn) : NULL;

	return name ? name : "value_ext";
}

void
check_result_finite(double v, const char *what, const char *fname)
{
	if (unlikely(!isfinite(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s of %s is out of range for type double precision",
						what, fname),
				 errdetail("The %s computed from finite input exceeds the "
						   "largest double precision value (about 1.8e308).",
						   what),
				 errhint("Rescale the input, for example to thousands of "
						 "pounds, so that sums and products stay in range.")));
}

void
check_row_finite(TupleDesc tupdesc, const Datum *values, const bool *nulls,
				 const char *fname)
{
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (!nulls[i] && att->atttypid == FLOAT8OID)
			check_result_finite(DatumGetFloat8(values[i]),
								NameStr(att->attname), fname);
	}
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
	check_row_finite(tupdesc, values, nulls, called_function_name(fcinfo));
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
