/*-------------------------------------------------------------------------
 *
 * phe.c
 *	  The small library the public-health modules (rates, dsr, life,
 *	  inequality) share: confidence as PHEindicatormethods accepts it,
 *	  Byar's and exact Poisson limits, the fixed-size float8[] states of
 *	  their aggregates, and the argument checks, so that each rule reads
 *	  the same in every module (CONTRIBUTING.md, "Error messages").
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "phe.h"

#include "distributions.h"
#include "results.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"


double
phe_confidence(double confidence, const char *fname)
{
	/* PHE: a fraction in [0.9, 1] or a percentage in [90, 100] */
	if (!(confidence >= 0.9 && confidence <= 1.0) &&
		!(confidence >= 90.0 && confidence <= 100.0))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("confidence of %s must be between 0.9 and 1 or "
							   "between 90 and 100",
							   fname),
						errdetail("The confidence is %g.", confidence),
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

/* Error 22023 unless state is a float8[] of len non-NULL elements. */
static void
check_state(ArrayType *state, int len, FunctionCallInfo fcinfo)
{
	/* the aggregate's name is looked up only for the error */
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != len ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != FLOAT8OID)
	{
		const char *fname = called_function_name(fcinfo);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for %s", fname),
				 errdetail("The state is not a float8[] of %d non-NULL "
						   "elements.",
						   len),
				 errhint("Pass only states made by %s itself.", fname)));
	}
}

float8 *
phe_state_values(FunctionCallInfo fcinfo, int argno, int len)
{
	ArrayType *state = PG_GETARG_ARRAYTYPE_P(argno);

	check_state(state, len, fcinfo);
	return PHE_STATE_DATA(state);
}

ArrayType *
phe_state_arg(FunctionCallInfo fcinfo, int len)
{
	ArrayType *state;

	/*
	 * The transition functions are not STRICT (a NULL data argument skips the
	 * row), so a direct call can pass a NULL state; aggregates never do, as
	 * their INITCOND is a zero state.
	 */
	if (PG_ARGISNULL(0))
	{
		const char *fname = called_function_name(fcinfo);

		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("state of %s must not be NULL", fname),
				 errhint("Call %s as an aggregate; its transition function "
						 "is not meant to be called directly.",
						 fname)));
	}
	state = PG_GETARG_ARRAYTYPE_P(0);
	check_state(state, len, fcinfo);
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

ArrayType *
phe_state_writable(FunctionCallInfo fcinfo, ArrayType *state, int len)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	return phe_state_build(PHE_STATE_DATA(state), len);
}

void
phe_check_finite(double v, const char *arg, const char *fname)
{
	if (unlikely(!isfinite(v)))
		check_finite_arg(
			v, arg, fname,
			psprintf("Remove NaN and infinite values before calling %s.",
					 fname));
}

void
phe_check_not_negative(double v, const char *arg, const char *fname,
					   const char *hint)
{
	if (v < 0.0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s of %s must not be negative", arg, fname),
						errdetail("The %s is %g.", arg, v),
						hint ? errhint("%s", hint) : 0));
}

void
phe_check_positive(double v, const char *arg, const char *fname,
				   const char *hint)
{
	if (v <= 0.0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s of %s must be positive", arg, fname),
						errdetail("The %s is %g.", arg, v),
						hint ? errhint("%s", hint) : 0));
}

void
phe_check_multiplier(double multiplier, const char *fname)
{
	phe_check_finite(multiplier, "multiplier", fname);
	phe_check_positive(multiplier, "multiplier", fname,
					   "Use 1 for a fraction, 100 for a percentage, 100000 "
					   "for a rate per 100,000.");
}

void
phe_check_age(int32 age, const char *fname)
{
	if (age < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("age of %s must not be negative", fname),
				 errdetail("The age is %d.", age),
				 errhint("Pass age in completed years (0 and above).")));
}

void
phe_null_argument(const char *arg, const char *fname, const char *hint)
{
	ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("%s of %s must not be NULL", arg, fname),
					errhint("%s", hint)));
	pg_unreachable();
}

void
phe_param_changed(const char *arg, double started, double now,
				  const char *fname)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		 errmsg("%s of %s must be the same for every row of a group", arg,
				fname),
		 errdetail("The group started with %g and now has %g.", started, now),
		 errhint("Pass the %s as a constant.", arg)));
	pg_unreachable();
}

void
phe_check_same_params(double conf_a, double mult_a, double conf_b,
					  double mult_b, const char *fname)
{
	if (conf_a != conf_b)
		phe_param_changed("confidence", conf_a, conf_b, fname);
	if (mult_a != mult_b)
		phe_param_changed("multiplier", mult_a, mult_b, fname);
}

Datum
phe_sum_state_combine(FunctionCallInfo fcinfo, int len, const char *fname)
{
	float8 *a = phe_state_values(fcinfo, 0, len);
	float8 *b = phe_state_values(fcinfo, 1, len);
	float8 *out = palloc(len * sizeof(float8));
	int conf = len - 2;
	int mult = len - 1;

	if (a[0] == 0)
		memcpy(out, b, len * sizeof(float8));
	else if (b[0] == 0)
		memcpy(out, a, len * sizeof(float8));
	else
	{
		if (a[conf] != b[conf] || a[mult] != b[mult])
			phe_check_same_params(a[conf], a[mult], b[conf], b[mult],
								  fname ? fname
										: called_function_name(fcinfo));
		for (int i = 0; i < conf; i++)
			out[i] = a[i] + b[i];
		out[conf] = a[conf];
		out[mult] = a[mult];
	}
	return PointerGetDatum(phe_state_build(out, len));
}
