/*-------------------------------------------------------------------------
 *
 * phe.c
 *	  The small library the public-health modules (rates, dsr, life,
 *	  inequality) share: confidence as PHEindicatormethods accepts it,
 *	  Byar's and exact Poisson limits, and the fixed-size float8[] states
 *	  of their aggregates.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "phe.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "distributions.h"
#include "utils/array.h"


double
phe_confidence(double confidence, const char *what)
{
	/* PHE: a fraction in [0.9, 1] or a percentage in [90, 100] */
	if (!(confidence >= 0.9 && confidence <= 1.0) &&
		!(confidence >= 90.0 && confidence <= 100.0))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s confidence must be between 0.9 and 1 or "
							   "between 90 and 100",
							   what),
						errdetail("The confidence given was %g.", confidence),
						errhint("Use 0.95 (or 95) for 95%% limits and 0.998 "
								"(or 99.8) for 99.8%% limits.")));
	return confidence >= 90.0 ? confidence / 100.0 : confidence;
}

double
phe_z(double confidence)
{
	return normal_quantile(confidence + (1.0 - confidence) / 2.0);
}

double
byars_lower(double x, double confidence)
{
	double z = phe_z(confidence);
	double lower = x * pow(1.0 - 1.0 / (9.0 * x) - z / (3.0 * sqrt(x)), 3);

	/* PHE: Byar's is unusable when it goes negative (tiny counts) */
	return (lower < 0.0 || isnan(lower)) ? NAN : lower;
}

double
byars_upper(double x, double confidence)
{
	double z = phe_z(confidence);
	double x1 = x + 1.0;

	return x1 * pow(1.0 - 1.0 / (9.0 * x1) + z / (3.0 * sqrt(x1)), 3);
}

double
poisson_exact_lower(double x, double confidence)
{
	return chisq_quantile((1.0 - confidence) / 2.0, 2.0 * x) / 2.0;
}

double
poisson_exact_upper(double x, double confidence)
{
	return chisq_quantile(confidence + (1.0 - confidence) / 2.0,
						  2.0 * x + 2.0) /
		   2.0;
}

float8 *
phe_state_values(ArrayType *state, int len, const char *aggname)
{
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != len ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != FLOAT8OID)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s aggregate state", aggname),
			 errdetail("The state must be a float8[] of %d non-NULL elements.",
					   len),
			 errhint("Pass only states produced by %s itself.", aggname)));
	return PHE_STATE_DATA(state);
}

ArrayType *
phe_state_arg(FunctionCallInfo fcinfo, int len, const char *aggname)
{
	ArrayType *state;

	/*
	 * The transition functions are not STRICT (a NULL data argument skips the
	 * row), so a direct call can pass a NULL state; aggregates never do, as
	 * their INITCOND is a zero state.
	 */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s aggregate state must not be NULL", aggname),
				 errhint("Call %s as an aggregate; its transition function "
						 "is not meant to be called directly.",
						 aggname)));
	state = PG_GETARG_ARRAYTYPE_P(0);
	phe_state_values(state, len, aggname);
	return state;
}

ArrayType *
phe_state_build(const float8 *values, int len)
{
	Datum *d = palloc(len * sizeof(Datum));
	ArrayType *result;

	for (int i = 0; i < len; i++)
		d[i] = Float8GetDatum(values[i]);
	result = construct_array(d, len, FLOAT8OID, sizeof(float8),
							 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(d);
	return result;
}

void
phe_check_finite(double v, const char *what, const char *fname)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must be finite", fname, what),
				 errdetail("The value given for %s was %g.", what, v),
				 errhint("Remove NaN and infinite values before calling %s.",
						 fname)));
}

void
phe_check_same_params(double conf_a, double mult_a, double conf_b,
					  double mult_b, const char *aggname)
{
	if (conf_a != conf_b || mult_a != mult_b)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s parameters must be the same for every row of a group",
					aggname),
			 errdetail("Confidence %g and %g (multiplier %g and %g) were both "
					   "given in one group.",
					   conf_a, conf_b, mult_a, mult_b),
			 errhint("Pass the confidence and multiplier as constants.")));
}
