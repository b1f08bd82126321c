/*-------------------------------------------------------------------------
 *
 * results.c
 *	  What every SQL-callable function shares on its way out: composite
 *	  rows of the declared result type, the name of the function the user
 *	  called (for error messages), and the rule that finite input never
 *	  gives NaN or Infinity.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "results.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "utils/lsyscache.h"

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
