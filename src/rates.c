/*-------------------------------------------------------------------------
 *
 * rates.c
 *	  The rates module (40): proportion_ci, rate_ci and byars_ci, and the
 *	  proportion, crude_rate and mean_ci aggregates, with the confidence
 *	  intervals of PHEindicatormethods (OHID/UKHSA, as used by Fingertips):
 *	  Wilson score for proportions, exact Poisson below 10 events and Byar's
 *	  otherwise for rates, Student t for means. What it shares with the
 *	  other public-health modules lives in phe.c.
 *
 * Aggregate rules (xaggr.sgml): state lives in the aggregate context; the
 * transition updates it in place only when called as an aggregate; combine
 * never returns its second argument; final functions never modify state.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "distributions.h"
#include "phe.h"
#include "results.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#define COUNT_HINT "Counts of events or cases cannot be negative."

/*
 * Error 22023 unless x and n are finite, x is not negative, n is positive
 * and, for a proportion (x_le_n), x is at most n.
 */
static void
check_count_pair(double x, double n, bool x_le_n, const char *fname)
{
	phe_check_finite(x, "x", fname);
	phe_check_finite(n, "n", fname);
	phe_check_not_negative(x, "x", fname, COUNT_HINT);
	phe_check_positive(n, "n", fname,
					   "Leave out rows with an empty population, or pass NULL "
					   "to get a NULL result.");
	if (x_le_n && x > n)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("x of %s must not exceed n", fname),
			 errdetail("The x is %g and the n is %g.", x, n),
			 errhint("A proportion needs cases drawn from the denominator; "
					 "use rate_ci for events that can exceed it.")));
}

/* ---------------------------------------------------------------------
 * Proportions: Wilson score interval
 * ---------------------------------------------------------------------
 */

static Datum
proportion_result(FunctionCallInfo fcinfo, double x, double n,
				  double confidence, double multiplier)
{
	Datum values[3];
	bool nulls[3] = {false, false, false};
	double lower;
	double upper;

	if (confidence == 1.0)
	{
		/* the trivial interval, as PHE returns it */
		lower = 0.0;
		upper = 1.0;
	}
	else
	{
		double z = phe_z(confidence);
		double z2 = z * z;
		double root = z * sqrt(z2 + 4.0 * x * (1.0 - x / n));

		lower = (2.0 * x + z2 - root) / 2.0 / (n + z2);
		upper = (2.0 * x + z2 + root) / 2.0 / (n + z2);
	}
	values[0] = Float8GetDatum(x / n * multiplier);
	values[1] = Float8GetDatum(lower * multiplier);
	values[2] = Float8GetDatum(upper * multiplier);
	return composite_result(fcinfo, values, nulls);
}

/*
 * proportion_ci(x, n, confidence, multiplier): x / n with Wilson score
 * limits. STRICT: a NULL argument gives NULL.
 */
PG_FUNCTION_INFO_V1(proportion_ci);
Datum
proportion_ci(PG_FUNCTION_ARGS)
{
	double x = PG_GETARG_FLOAT8(0);
	double n = PG_GETARG_FLOAT8(1);
	double confidence = phe_confidence(PG_GETARG_FLOAT8(2), "proportion_ci");
	double multiplier = PG_GETARG_FLOAT8(3);

	phe_check_multiplier(multiplier, "proportion_ci");
	check_count_pair(x, n, true, "proportion_ci");
	PG_RETURN_DATUM(proportion_result(fcinfo, x, n, confidence, multiplier));
}

/* ---------------------------------------------------------------------
 * Rates: exact Poisson (x < 10) or Byar's
 * ---------------------------------------------------------------------
 */

static Datum
rate_result(FunctionCallInfo fcinfo, double x, double n, bool n_null,
			double confidence, double multiplier)
{
	Datum values[4];
	bool nulls[4] = {false, false, false, false};
	bool exact = (x < 10.0);

	if (n_null)
		nulls[0] = nulls[1] = nulls[2] = true;
	else
	{
		double lower;
		double upper;

		if (exact)
		{
			lower = poisson_exact_lower(x, confidence);
			upper = poisson_exact_upper(x, confidence);
		}
		else
		{
			lower = byars_lower(x, confidence);
			upper = byars_upper(x, confidence);
		}
		values[0] = Float8GetDatum(x / n * multiplier);
		set_limit_or_null(values, nulls, 1, lower / n * multiplier,
						  confidence);
		set_limit_or_null(values, nulls, 2, upper / n * multiplier,
						  confidence);
	}
	values[3] = CStringGetTextDatum(exact ? "Exact" : "Byars");
	return composite_result(fcinfo, values, nulls);
}

/*
 * rate_ci(x, n, confidence, multiplier): x / n * multiplier with exact
 * Poisson limits below 10 events and Byar's from 10. Not STRICT, to follow
 * PHE: a NULL count gives NULL; a NULL denominator with a known count gives
 * NULL value and limits but still names the method the count implies.
 */
PG_FUNCTION_INFO_V1(rate_ci);
Datum
rate_ci(PG_FUNCTION_ARGS)
{
	double x;
	double n = 0.0;
	double confidence;
	double multiplier;
	bool n_null = PG_ARGISNULL(1);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	x = PG_GETARG_FLOAT8(0);
	confidence = phe_confidence(PG_GETARG_FLOAT8(2), "rate_ci");
	multiplier = PG_GETARG_FLOAT8(3);
	phe_check_multiplier(multiplier, "rate_ci");
	if (n_null)
	{
		phe_check_finite(x, "x", "rate_ci");
		phe_check_not_negative(x, "x", "rate_ci", COUNT_HINT);
	}
	else
	{
		n = PG_GETARG_FLOAT8(1);
		check_count_pair(x, n, false, "rate_ci");
	}
	PG_RETURN_DATUM(rate_result(fcinfo, x, n, n_null, confidence, multiplier));
}

/*
 * byars_ci(x, confidence): Byar's approximate Poisson limits for a count,
 * the limits rate_ci and dsr use from 10 events. STRICT. The lower limit
 * is NULL where the approximation goes negative (tiny counts at high
 * confidence), as PHE returns it.
 */
PG_FUNCTION_INFO_V1(byars_ci);
Datum
byars_ci(PG_FUNCTION_ARGS)
{
	double x = PG_GETARG_FLOAT8(0);
	double confidence = phe_confidence(PG_GETARG_FLOAT8(1), "byars_ci");
	Datum values[3];
	bool nulls[3] = {false, false, false};

	phe_check_finite(x, "x", "byars_ci");
	phe_check_not_negative(x, "x", "byars_ci", COUNT_HINT);
	values[0] = Float8GetDatum(x);
	set_limit_or_null(values, nulls, 1, byars_lower(x, confidence),
					  confidence);
	set_limit_or_null(values, nulls, 2, byars_upper(x, confidence),
					  confidence);
	PG_RETURN_DATUM(composite_result(fcinfo, values, nulls));
}

/* ---------------------------------------------------------------------
 * proportion(x, n, ...) and crude_rate(x, n, ...) aggregates
 *
 * State float8[5]: {rows, sum x, sum n, confidence, multiplier}; the
 * parameters are fixed by the first row and must agree afterwards.
 * ---------------------------------------------------------------------
 */
#define CR_LEN 5
#define CR_ROWS 0
#define CR_X 1
#define CR_N 2
#define CR_CONF 3
#define CR_MULT 4

/*
 * Shared transition of proportion() and crude_rate(). The aggregates come
 * in overloads of 2, 3 and 4 arguments (aggregates take no defaults), so
 * the missing confidence and multiplier take the scalar functions'
 * defaults here. A row with a NULL argument is skipped.
 */
static Datum
count_ratio_trans(FunctionCallInfo fcinfo, bool is_prop)
{
	const char *aggname = is_prop ? "proportion" : "crude_rate";
	ArrayType *state = phe_state_arg(fcinfo, CR_LEN);
	float8 *s = PHE_STATE_DATA(state);
	int nargs = PG_NARGS();
	double x;
	double n;
	double row[CR_LEN];

	for (int i = 1; i < nargs; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_ARRAYTYPE_P(state);
	x = PG_GETARG_FLOAT8(1);
	n = PG_GETARG_FLOAT8(2);
	row[CR_CONF] =
		phe_confidence(nargs > 3 ? PG_GETARG_FLOAT8(3) : 0.95, aggname);
	row[CR_MULT] =
		nargs > 4 ? PG_GETARG_FLOAT8(4) : (is_prop ? 1.0 : 100000.0);
	phe_check_multiplier(row[CR_MULT], aggname);
	check_count_pair(x, n, is_prop, aggname);

	if (s[CR_ROWS] > 0)
		phe_check_same_params(s[CR_CONF], s[CR_MULT], row[CR_CONF],
							  row[CR_MULT], aggname);

	state = phe_state_writable(fcinfo, state, CR_LEN);
	s = PHE_STATE_DATA(state);
	s[CR_ROWS] += 1.0;
	s[CR_X] += x;
	s[CR_N] += n;
	s[CR_CONF] = row[CR_CONF];
	s[CR_MULT] = row[CR_MULT];
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(proportion_trans);
Datum
proportion_trans(PG_FUNCTION_ARGS)
{
	return count_ratio_trans(fcinfo, true);
}

PG_FUNCTION_INFO_V1(crude_rate_trans);
Datum
crude_rate_trans(PG_FUNCTION_ARGS)
{
	return count_ratio_trans(fcinfo, false);
}

/* Combine of proportion() and crude_rate(): the sums add up. */
PG_FUNCTION_INFO_V1(count_ratio_combine);
Datum
count_ratio_combine(PG_FUNCTION_ARGS)
{
	return phe_sum_state_combine(fcinfo, CR_LEN, NULL);
}

PG_FUNCTION_INFO_V1(proportion_final);
Datum
proportion_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, CR_LEN);

	if (s[CR_ROWS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(
		proportion_result(fcinfo, s[CR_X], s[CR_N], s[CR_CONF], s[CR_MULT]));
}

PG_FUNCTION_INFO_V1(crude_rate_final);
Datum
crude_rate_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, CR_LEN);

	if (s[CR_ROWS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(
		rate_result(fcinfo, s[CR_X], s[CR_N], false, s[CR_CONF], s[CR_MULT]));
}

/* ---------------------------------------------------------------------
 * mean_ci(value, confidence): Student t interval of a mean
 *
 * State float8[4]: {n, mean, M2, confidence}; Welford updates and Chan's
 * pairwise combination, never a naive sum of squares.
 * ---------------------------------------------------------------------
 */
#define MN_LEN 4
#define MN_N 0
#define MN_MEAN 1
#define MN_M2 2
#define MN_CONF 3

PG_FUNCTION_INFO_V1(mean_ci_trans);
Datum
mean_ci_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state = phe_state_arg(fcinfo, MN_LEN);
	float8 *s = PHE_STATE_DATA(state);
	double v;
	double conf;
	double delta;

	if (PG_ARGISNULL(1) || (PG_NARGS() > 2 && PG_ARGISNULL(2)))
		PG_RETURN_ARRAYTYPE_P(state);
	v = PG_GETARG_FLOAT8(1);
	conf =
		phe_confidence(PG_NARGS() > 2 ? PG_GETARG_FLOAT8(2) : 0.95, "mean_ci");
	phe_check_finite(v, "value", "mean_ci");
	if (s[MN_N] > 0 && s[MN_CONF] != conf)
		phe_param_changed("confidence", s[MN_CONF], conf, "mean_ci");
	state = phe_state_writable(fcinfo, state, MN_LEN);
	s = PHE_STATE_DATA(state);
	s[MN_N] += 1.0;
	delta = v - s[MN_MEAN];
	s[MN_MEAN] += delta / s[MN_N];
	s[MN_M2] += delta * (v - s[MN_MEAN]);
	s[MN_CONF] = conf;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(mean_ci_combine);
Datum
mean_ci_combine(PG_FUNCTION_ARGS)
{
	float8 *a = phe_state_values(fcinfo, 0, MN_LEN);
	float8 *b = phe_state_values(fcinfo, 1, MN_LEN);
	float8 out[MN_LEN];

	if (a[MN_N] == 0)
		memcpy(out, b, sizeof(out));
	else if (b[MN_N] == 0)
		memcpy(out, a, sizeof(out));
	else
	{
		double n = a[MN_N] + b[MN_N];
		double delta = b[MN_MEAN] - a[MN_MEAN];

		if (a[MN_CONF] != b[MN_CONF])
			phe_param_changed("confidence", a[MN_CONF], b[MN_CONF], "mean_ci");
		out[MN_N] = n;
		out[MN_MEAN] = a[MN_MEAN] + delta * (b[MN_N] / n);
		out[MN_M2] =
			a[MN_M2] + b[MN_M2] + delta * delta * a[MN_N] * b[MN_N] / n;
		out[MN_CONF] = a[MN_CONF];
	}
	PG_RETURN_ARRAYTYPE_P(phe_state_build(out, MN_LEN));
}

/*
 * (value, lower, upper, count, stdev): one value gives the mean with NULL
 * limits and standard deviation; no values give NULL.
 */
PG_FUNCTION_INFO_V1(mean_ci_final);
Datum
mean_ci_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, MN_LEN);
	Datum values[5];
	bool nulls[5] = {false, false, false, false, false};
	double n = s[MN_N];

	if (n == 0)
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(s[MN_MEAN]);
	values[3] = Int64GetDatum((int64) n);
	if (n < 2)
		nulls[1] = nulls[2] = nulls[4] = true;
	else
	{
		double sd = sqrt(s[MN_M2] / (n - 1.0));
		double half =
			t_quantile(s[MN_CONF] + (1.0 - s[MN_CONF]) / 2.0, n - 1.0) * sd /
			sqrt(n);

		/* half is infinite, or NaN when sd = 0, at 100% confidence */
		set_limit_or_null(values, nulls, 1, s[MN_MEAN] - half, s[MN_CONF]);
		set_limit_or_null(values, nulls, 2, s[MN_MEAN] + half, s[MN_CONF]);
		values[4] = Float8GetDatum(sd);
	}
	PG_RETURN_DATUM(composite_result(fcinfo, values, nulls));
}
