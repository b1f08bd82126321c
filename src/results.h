/*-------------------------------------------------------------------------
 *
 * results.h
 *	  Results that users see: composite rows, the name of the function the
 *	  user called, and the rule that finite input never gives NaN or
 *	  Infinity (results.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <math.h>

#include "access/tupdesc.h"
#include "fmgr.h"

/*
 * Helpers for SQL-callable functions that return a composite.
 * composite_result forms the row of the function's declared result type;
 * set_limit_or_null stores a confidence limit, or NULL where the method
 * left NaN for a limit that does not exist, or where the limit is
 * unbounded because the confidence is 1 (100%).
 */
extern Datum composite_result(FunctionCallInfo fcinfo, Datum *values,
							  bool *nulls);

/*
 * The name of the function the user called, for error messages: a support
 * function names its aggregate (also under Citus, whose wrapper aggregates
 * would otherwise be named), any other function itself. Looks up the
 * catalogue: call it on the error path only.
 */
extern const char *called_function_name(FunctionCallInfo fcinfo);

/*
 * The aggregate whose support function fcinfo's function is, as the
 * executor runs it (directly, or inside Citus's worker_partial_agg and
 * coord_combine_agg, which pass the aggregate's OID as their first
 * argument), or InvalidOid. Looks up the catalogue: error path only.
 */
extern Oid called_aggregate(FunctionCallInfo fcinfo);

/*
 * Error 22023 "ARG of FN must be finite" (detail "The ARG is VALUE.") unless
 * the input v is finite; hint may be NULL.
 */
extern void check_finite_arg(double v, const char *arg, const char *fname,
							 const char *hint);
/*
 * A person's cost that is NaN, infinite or negative: error 22023 "cost of
 * FN must be finite" or "... must not be negative", with the hint to sum
 * each person's records first. The concentration aggregates and the cost
 * sketch call it after their own fast test of the cost.
 */
extern pg_attribute_noreturn() void reject_cost(double cost,
												const char *fname);
/*
 * Finite input never gives NaN or Infinity: error 22003 naming `what`
 * unless v is finite. check_row_finite applies it to every non-NULL
 * float8 column of a result row (composite_result does it for every
 * composite).
 */
extern void check_result_finite(double v, const char *what, const char *fname);
extern void check_row_finite(TupleDesc tupdesc, const Datum *values,
							 const bool *nulls, const char *fname);

static inline void
set_limit_or_null(Datum *values, bool *nulls, int i, double v,
				  double confidence)
{
	if (isnan(v) || (isinf(v) && confidence >= 1.0))
		nulls[i] = true;
	else
		values[i] = Float8GetDatum(v);
}

#endif /* RESULTS_H */
