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
#include "catalog/pg_aggregate.h"
#include "nodes/primnodes.h"
#include "utils/syscache.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

/* Is fn the transition, combine or final function of aggregate aggfn? */
static bool
supports_aggregate(Oid fn, Oid aggfn)
{
	HeapTuple tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggfn));
	bool result = false;

	if (HeapTupleIsValid(tup))
	{
		Form_pg_aggregate agg = (Form_pg_aggregate) GETSTRUCT(tup);

		result = fn == agg->aggtransfn || fn == agg->aggcombinefn ||
				 fn == agg->aggfinalfn;
		ReleaseSysCache(tup);
	}
	return result;
}

/*
 * The aggregate fcinfo's function supports, or InvalidOid: the executor's
 * aggregate when fn is its transition, combine or final function, or the
 * aggregate an aggregate of Citus wraps. Citus runs a split aggregate as
 * worker_partial_agg(agg, args...) on the workers and
 * coord_combine_agg(agg, state, ...) on the coordinator, which call the
 * wrapped aggregate's support functions with their own Aggref; its first
 * argument is the wrapped aggregate's OID, a constant. Reading that
 * argument, rather than matching the wrappers' names, names the aggregate
 * the user called even where two aggregates share a support function
 * (gini and cost_profile share their transition function).
 */
Oid
called_aggregate(FunctionCallInfo fcinfo)
{
	Oid fn = fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid;
	Aggref *aggref = AggGetAggref(fcinfo);
	TargetEntry *first;
	Node *arg;

	if (!OidIsValid(fn) || aggref == NULL)
		return InvalidOid;
	if (supports_aggregate(fn, aggref->aggfnoid))
		return aggref->aggfnoid;
	if (aggref->args == NIL)
		return InvalidOid;
	first = linitial_node(TargetEntry, aggref->args);
	arg = (Node *) first->expr;
	while (IsA(arg, RelabelType))
		arg = (Node *) ((RelabelType *) arg)->arg;
	if (IsA(arg, Const) && !((Const *) arg)->constisnull &&
		(((Const *) arg)->consttype == OIDOID ||
		 ((Const *) arg)->consttype == REGPROCEDUREOID ||
		 ((Const *) arg)->consttype == REGPROCOID))
	{
		Oid wrapped = DatumGetObjectId(((Const *) arg)->constvalue);

		if (supports_aggregate(fn, wrapped))
			return wrapped;
	}
	return InvalidOid;
}

/*
 * Called for an aggregate, a support function names the aggregate
 * (called_aggregate, also under Citus). Called directly, or in a wrapper
 * called_aggregate does not know, the support function's name without its
 * _trans, _combine or _final suffix is the aggregate's name (the naming
 * scheme of value_ext 1.1).
 */
const char *
called_function_name(FunctionCallInfo fcinfo)
{
	Oid fn = fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid;
	Oid agg = called_aggregate(fcinfo);
	char *name;
	static const char *const suffixes[] = {"_trans", "_combine", "_final"};

	if (!OidIsValid(fn))
		return "value_ext";
	if (OidIsValid(agg) && (name = get_func_name(agg)) != NULL)
		return name;
	name = get_func_name(fn);
	if (name == NULL)
		return "value_ext";
	for (size_t i = 0; i < lengthof(suffixes); i++)
	{
		size_t len = strlen(name);
		size_t slen = strlen(suffixes[i]);

		if (len > slen && strcmp(name + len - slen, suffixes[i]) == 0)
		{
			name[len - slen] = '\0';
			break;
		}
	}
	return name;
}

void
check_finite_arg(double v, const char *arg, const char *fname,
				 const char *hint)
{
	if (unlikely(!isfinite(v)))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s of %s must be finite", arg, fname),
						errdetail("The %s is %s.", arg, float8out_internal(v)),
						hint ? errhint("%s", hint) : 0));
}

void
reject_cost(double cost, const char *fname)
{
	if (isnan(cost) || isinf(cost))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost of %s must be finite", fname),
				 errdetail("The cost is %s.", float8out_internal(cost)),
				 errhint("Replace NaN and infinite costs, or filter them "
						 "out, before calling %s.",
						 fname)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cost of %s must not be negative", fname),
			 errdetail("The cost is %s.", float8out_internal(cost)),
			 errhint("Aggregate the records to one row per person first (sum "
					 "each person's costs, so refunds and adjustments net "
					 "out), then call %s on the person totals.",
					 fname)));
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

/* The first non-NULL float8 column holding NaN or +-Infinity, or -1. */
static int
first_nonfinite_column(TupleDesc tupdesc, const Datum *values,
					   const bool *nulls)
{
	for (int i = 0; i < tupdesc->natts; i++)
		if (!nulls[i] && TupleDescAttr(tupdesc, i)->atttypid == FLOAT8OID &&
			!isfinite(DatumGetFloat8(values[i])))
			return i;
	return -1;
}

void
check_row_finite(TupleDesc tupdesc, const Datum *values, const bool *nulls,
				 const char *fname)
{
	int i = first_nonfinite_column(tupdesc, values, nulls);

	if (i >= 0)
		check_result_finite(DatumGetFloat8(values[i]),
							NameStr(TupleDescAttr(tupdesc, i)->attname),
							fname);
}

Datum
composite_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc tupdesc;
	int bad;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning a composite called in a context "
						"that cannot accept it")));
	tupdesc = BlessTupleDesc(tupdesc);
	/* the name is looked up only for the error */
	bad = first_nonfinite_column(tupdesc, values, nulls);
	if (bad >= 0)
		check_result_finite(DatumGetFloat8(values[bad]),
							NameStr(TupleDescAttr(tupdesc, bad)->attname),
							called_function_name(fcinfo));
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
