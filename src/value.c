/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Value ratios and their intervals: the aggregates value_ratio (sum of
 *	  outcomes over sum of costs), value_ratio_ci (Fieller or delta-method
 *	  interval for that ratio) and cohort_ratio_ci (ratio of a cohort's mean
 *	  to the rest's mean, Fieller for independent samples), their float8[]
 *	  states and support functions. Formulas: docs/methods.md section 5.
 *
 * Aggregate rules (xaggr.sgml): states are float8[] with INITCOND, changed
 * in place only under AggCheckCallContext; combine functions build a fresh
 * array when they cannot update the first argument and never return the
 * second; final functions only read the state. Every support function is
 * callable from SQL, so each checks the array it is given.
 *
 * Moments are accumulated with the Youngs-Cramer update (sums plus
 * co-moments about the running mean) and merged with the pairwise formulas
 * of Chan, Golub and LeVeque, so parallel and serial plans agree to
 * rounding and no sum of squares ever cancels.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "distributions.h"
#include "results.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

/* value_ratio state: n, sum of outcomes, sum of costs */
#define VR_LEN 3

/*
 * value_ratio_ci state: n, sum y, sum x, Syy, Sxx, Sxy (co-moments about
 * the means), confidence, method (0 = unset, 1 = Fieller, 2 = delta).
 * An empty state has n = 0 and confidence 0: its parameters are taken from
 * the first row (or from the other side when combining).
 */
#define VRC_LEN 8
#define VRC_N 0
#define VRC_SY 1
#define VRC_SX 2
#define VRC_SYY 3
#define VRC_SXX 4
#define VRC_SXY 5
#define VRC_CONF 6
#define VRC_METHOD 7

#define METHOD_FIELLER 1
#define METHOD_DELTA 2

/*
 * cohort_ratio_ci state: for the cohort n1, sum1, S1 (squared deviations),
 * for the rest n0, sum0, S0, then the confidence.
 */
#define CRC_LEN 7

/* Interval statuses, shared by value_ratio_ci and cohort_ratio_ci. */
#define RI_STATUS_OK "ok"
#define RI_STATUS_UNBOUNDED "unbounded"
#define RI_STATUS_TOO_FEW "too few rows"
#define RI_STATUS_ZERO "zero denominator"

/*
 * The float8[] state of `aggname` with exactly `len` elements and no NULLs.
 * The support functions are callable from SQL with any array, so this is
 * checked before every use.
 */
static float8 *
state_values(ArrayType *state, int len, const char *aggname)
{
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != len ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for %s", aggname),
				 errdetail("The state must be a float8 array of %d elements "
						   "without NULLs; got %d dimension(s) and %d "
						   "element(s).",
						   len, ARR_NDIM(state),
						   ARR_NDIM(state) == 1 ? ARR_DIMS(state)[0] : 0),
				 errhint("Pass only states made by %s itself.", aggname)));
	/* no NULLs, one dimension: the data follow the fixed header */
	return (float8 *) ((char *) state + ARR_OVERHEAD_NONULLS(1));
}

/*
 * Error 22004 for a NULL state: the transition functions of value_ratio_ci
 * and cohort_ratio_ci are not strict (their parameters must not be NULL
 * either), so they see one when called directly.
 */
static void
check_state_not_null(FunctionCallInfo fcinfo, const char *aggname)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("state of %s must not be NULL", aggname),
						errhint("Pass a state made by %s, or call %s as an "
								"aggregate.",
								aggname, aggname)));
}

/*
 * The state argument for in-place update: the array itself when called as
 * an aggregate (it lives in the aggregate context), else a copy.
 */
static ArrayType *
writable_state(FunctionCallInfo fcinfo)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_ARRAYTYPE_P(0);
	return PG_GETARG_ARRAYTYPE_P_COPY(0);
}

static void
check_finite(float8 v, const char *what, const char *aggname)
{
	check_finite_arg(
		v, what, aggname,
		"Filter out NaN and infinite values, or map them to NULL so "
		"the row is skipped.");
}

static int
parse_ratio_method(text *method)
{
	char *m = text_to_cstring(method);
	int code = 0;

	if (strcmp(m, "fieller") == 0)
		code = METHOD_FIELLER;
	else if (strcmp(m, "delta") == 0)
		code = METHOD_DELTA;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("method of value_ratio_ci must be one of 'fieller', "
						"'delta'"),
				 errdetail("The method is \"%s\".", m),
				 errhint("'fieller' (the default) may give an unbounded "
						 "interval; 'delta' never does.")));
	pfree(m);
	return code;
}

static const char *
ratio_method_name(float8 code)
{
	return code == METHOD_DELTA ? "delta" : "fieller";
}

/*
 * Error 22023 for a confidence that changes within a group of `aggname`
 * (or between two states being combined).
 */
static pg_attribute_noreturn() void confidence_changed(const char *aggname,
													   float8 started,
													   float8 now)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("confidence of %s must be the same for every row of a "
					"group",
					aggname),
			 errdetail("The group started with %s and now has %s.",
					   float8out_internal(started), float8out_internal(now)),
			 errhint("Pass a constant, or group by confidence.")));
}

/* The same for value_ratio_ci's method. */
static pg_attribute_noreturn() void method_changed(const char *started,
												   const char *now)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("method of value_ratio_ci must be the same for every row "
					"of a group"),
			 errdetail("The group started with \"%s\" and now has \"%s\".",
					   started, now),
			 errhint("Pass a constant, or group by method.")));
}

/* ---------------------------------------------------------------------
 * value_ratio(outcome, cost): sum(outcome) / sum(cost)
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(value_ratio_trans);
Datum
value_ratio_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state = writable_state(fcinfo);
	float8 *s = state_values(state, VR_LEN, "value_ratio");
	float8 y = PG_GETARG_FLOAT8(1);
	float8 x = PG_GETARG_FLOAT8(2);

	check_finite(y, "outcome", "value_ratio");
	check_finite(x, "cost", "value_ratio");
	s[0] += 1.0;
	s[1] += y;
	s[2] += x;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(value_ratio_combine);
Datum
value_ratio_combine(PG_FUNCTION_ARGS)
{
	ArrayType *state = writable_state(fcinfo);
	float8 *a = state_values(state, VR_LEN, "value_ratio");
	float8 *b = state_values(PG_GETARG_ARRAYTYPE_P(1), VR_LEN, "value_ratio");

	for (int i = 0; i < VR_LEN; i++)
		a[i] += b[i];
	PG_RETURN_ARRAYTYPE_P(state);
}

/* NULL for an empty group or a zero total cost. */
PG_FUNCTION_INFO_V1(value_ratio_final);
Datum
value_ratio_final(PG_FUNCTION_ARGS)
{
	float8 *s = state_values(PG_GETARG_ARRAYTYPE_P(0), VR_LEN, "value_ratio");

	if (s[0] == 0.0 || s[2] == 0.0)
		PG_RETURN_NULL();
	check_result_finite(s[1], "total outcome", "value_ratio");
	check_result_finite(s[2], "total cost", "value_ratio");
	check_result_finite(s[1] / s[2], "ratio", "value_ratio");
	PG_RETURN_FLOAT8(s[1] / s[2]);
}

/* ---------------------------------------------------------------------
 * value_ratio_ci(outcome, cost [, confidence [, method]])
 * ---------------------------------------------------------------------
 */

/* Add one (y, x) pair: Youngs-Cramer, co-moments about the running mean. */
static inline void
moments_add(float8 *s, float8 y, float8 x)
{
	float8 n = s[VRC_N] + 1.0;

	s[VRC_SY] += y;
	s[VRC_SX] += x;
	if (n > 1.0)
	{
		/* deviations of the new point from the new mean, times n */
		float8 dy = y * n - s[VRC_SY];
		float8 dx = x * n - s[VRC_SX];
		float8 scale = 1.0 / (n * (n - 1.0));

		s[VRC_SYY] += dy * dy * scale;
		s[VRC_SXX] += dx * dx * scale;
		s[VRC_SXY] += dy * dx * scale;
	}
	s[VRC_N] = n;
}

PG_FUNCTION_INFO_V1(value_ratio_ci_trans);
Datum
value_ratio_ci_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state;
	float8 *s;
	float8 y, x;
	float8 confidence = 0.95;
	int method = METHOD_FIELLER;

	/* STRICT in the data arguments only: parameters may not be NULL */
	check_state_not_null(fcinfo, "value_ratio_ci");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (PG_NARGS() > 3 && PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("confidence of value_ratio_ci must not be NULL"),
				 errhint("Omit it to use 0.95.")));
	if (PG_NARGS() > 4 && PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("method of value_ratio_ci must not be NULL"),
						errhint("Omit it to use 'fieller'.")));

	state = writable_state(fcinfo);
	s = state_values(state, VRC_LEN, "value_ratio_ci");
	y = PG_GETARG_FLOAT8(1);
	x = PG_GETARG_FLOAT8(2);
	check_finite(y, "outcome", "value_ratio_ci");
	check_finite(x, "cost", "value_ratio_ci");

	if (PG_NARGS() > 3)
		confidence = PG_GETARG_FLOAT8(3);
	if (s[VRC_N] == 0.0)
	{
		/* first row: validate the parameters once and keep them */
		(void) normal_critical_value(confidence, "value_ratio_ci");
		if (PG_NARGS() > 4)
			method = parse_ratio_method(PG_GETARG_TEXT_PP(4));
		s[VRC_CONF] = confidence;
		s[VRC_METHOD] = method;
	}
	else
	{
		if (confidence != s[VRC_CONF])
			confidence_changed("value_ratio_ci", s[VRC_CONF], confidence);
		if (PG_NARGS() > 4)
		{
			text *m = PG_GETARG_TEXT_PP(4);
			const char *expect = ratio_method_name(s[VRC_METHOD]);

			if (VARSIZE_ANY_EXHDR(m) != strlen(expect) ||
				memcmp(VARDATA_ANY(m), expect, strlen(expect)) != 0)
				method_changed(expect, text_to_cstring(m));
		}
	}
	moments_add(s, y, x);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Merge moments b into a (parallel formulas); parameters must agree. */
static void
moments_merge(float8 *a, const float8 *b)
{
	float8 na = a[VRC_N], nb = b[VRC_N], n;
	float8 dy, dx;

	if (nb == 0.0)
		return;
	if (na == 0.0)
	{
		memcpy(a, b, VRC_LEN * sizeof(float8));
		return;
	}
	if (a[VRC_CONF] != b[VRC_CONF])
		confidence_changed("value_ratio_ci", a[VRC_CONF], b[VRC_CONF]);
	if (a[VRC_METHOD] != b[VRC_METHOD])
		method_changed(ratio_method_name(a[VRC_METHOD]),
					   ratio_method_name(b[VRC_METHOD]));
	n = na + nb;
	dy = a[VRC_SY] / na - b[VRC_SY] / nb;
	dx = a[VRC_SX] / na - b[VRC_SX] / nb;
	a[VRC_SYY] += b[VRC_SYY] + dy * dy * na * nb / n;
	a[VRC_SXX] += b[VRC_SXX] + dx * dx * na * nb / n;
	a[VRC_SXY] += b[VRC_SXY] + dy * dx * na * nb / n;
	a[VRC_SY] += b[VRC_SY];
	a[VRC_SX] += b[VRC_SX];
	a[VRC_N] = n;
}

PG_FUNCTION_INFO_V1(value_ratio_ci_combine);
Datum
value_ratio_ci_combine(PG_FUNCTION_ARGS)
{
	ArrayType *state = writable_state(fcinfo);
	float8 *a = state_values(state, VRC_LEN, "value_ratio_ci");
	float8 *b =
		state_values(PG_GETARG_ARRAYTYPE_P(1), VRC_LEN, "value_ratio_ci");

	moments_merge(a, b);
	PG_RETURN_ARRAYTYPE_P(state);
}

typedef struct RatioInterval
{
	float8 ratio, lower, upper;
	bool has_ratio, has_bounds;
	const char *status;
} RatioInterval;

/*
 * Fieller's set for R = my/mx: the R with
 *   (my - R mx)^2 <= z^2 (vyy - 2 R vxy + R^2 vxx),
 * i.e. a R^2 - 2 b R + c <= 0 with a = mx^2 - z^2 vxx, b = my mx - z^2 vxy,
 * c = my^2 - z^2 vyy. When a <= 0 (g = z^2 vxx / mx^2 >= 1: the mean
 * denominator is not significantly different from zero) the set is
 * unbounded. Otherwise its ends are the roots, computed in the form that
 * avoids cancellation (q = b + sign(b) sqrt(D), roots q/a and c/q).
 */
static void
fieller_interval(float8 my, float8 mx, float8 vyy, float8 vxx, float8 vxy,
				 float8 z, RatioInterval *out)
{
	float8 z2 = z * z;
	float8 a = mx * mx - z2 * vxx;
	float8 b = my * mx - z2 * vxy;
	float8 c = my * my - z2 * vyy;
	float8 disc, q, r1, r2;

	if (!(a > 0.0))
	{
		out->status = RI_STATUS_UNBOUNDED;
		return;
	}
	/* D >= 0 in exact arithmetic since R = my/mx lies in the set */
	disc = Max(b * b - a * c, 0.0);
	q = b + (b >= 0.0 ? sqrt(disc) : -sqrt(disc));
	if (q == 0.0)
		r1 = r2 = b / a;
	else
	{
		r1 = q / a;
		r2 = c / q;
	}
	out->lower = Min(r1, r2);
	out->upper = Max(r1, r2);
	out->has_bounds = true;
	out->status = RI_STATUS_OK;
}

/* Delta method: R +/- z sqrt(vyy - 2 R vxy + R^2 vxx) / |mx|. */
static void
delta_interval(float8 r, float8 mx, float8 vyy, float8 vxx, float8 vxy,
			   float8 z, RatioInterval *out)
{
	float8 var = vyy - 2.0 * r * vxy + r * r * vxx;
	float8 half = z * sqrt(Max(var, 0.0)) / fabs(mx);

	out->lower = r - half;
	out->upper = r + half;
	out->has_bounds = true;
	out->status = RI_STATUS_OK;
}

/*
 * A power of two near the larger of |mean| and the standard error: the
 * scale at which the interval arithmetic (products of means and variances)
 * cannot overflow. Powers of two scale every rounded result exactly, so
 * the interval is the same bits as without scaling wherever that did not
 * overflow.
 */
static float8
moment_scale(float8 mean, float8 var)
{
	float8 m = Max(fabs(mean), sqrt(Max(var, 0.0)));

	return m > 0.0 ? ldexp(1.0, ilogb(m)) : 1.0;
}

/*
 * The interval for R = my / mx from the means and the (co)variances of the
 * means, computed at the scale of moment_scale (y by ky, x by kx) and
 * scaled back. r is the ratio as the caller computed it from the sums (the
 * delta method centres on it).
 */
static void
ratio_interval(float8 r, float8 my, float8 mx, float8 vyy, float8 vxx,
			   float8 vxy, float8 z, int method, RatioInterval *ri)
{
	float8 ky = moment_scale(my, vyy), kx = moment_scale(mx, vxx);
	float8 back = ky / kx;

	my /= ky;
	vyy /= ky * ky;
	mx /= kx;
	vxx /= kx * kx;
	vxy = vxy / ky / kx;
	if (method == METHOD_DELTA)
		delta_interval(r / back, mx, vyy, vxx, vxy, z, ri);
	else
		fieller_interval(my, mx, vyy, vxx, vxy, z, ri);
	ri->lower *= back;
	ri->upper *= back;
}

/* The value_ratio_interval or cohort_ratio_interval row. */
static Datum
interval_datum(FunctionCallInfo fcinfo, const RatioInterval *ri, int64 n1,
			   int64 n0, bool two_counts)
{
	Datum values[6];
	bool nulls[6] = {false};
	int natts = two_counts ? 6 : 5;

	values[0] = Float8GetDatum(ri->ratio);
	nulls[0] = !ri->has_ratio;
	values[1] = Float8GetDatum(ri->lower);
	nulls[1] = !ri->has_bounds;
	values[2] = Float8GetDatum(ri->upper);
	nulls[2] = !ri->has_bounds;
	values[3] = Int64GetDatum(n1);
	if (two_counts)
		values[4] = Int64GetDatum(n0);
	values[natts - 1] = CStringGetTextDatum(ri->status);
	return composite_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(value_ratio_ci_final);
Datum
value_ratio_ci_final(PG_FUNCTION_ARGS)
{
	const float8 *s =
		state_values(PG_GETARG_ARRAYTYPE_P(0), VRC_LEN, "value_ratio_ci");
	float8 n = s[VRC_N];
	RatioInterval ri = {0};

	check_result_finite(s[VRC_SY], "total outcome", "value_ratio_ci");
	check_result_finite(s[VRC_SX], "total cost", "value_ratio_ci");
	check_result_finite(s[VRC_SYY], "spread of outcome", "value_ratio_ci");
	check_result_finite(s[VRC_SXX], "spread of cost", "value_ratio_ci");
	check_result_finite(s[VRC_SXY], "co-spread of outcome and cost",
						"value_ratio_ci");
	if (n >= 1.0 && s[VRC_SX] != 0.0)
	{
		ri.ratio = s[VRC_SY] / s[VRC_SX];
		ri.has_ratio = true;
	}
	if (n < 2.0)
		ri.status = RI_STATUS_TOO_FEW;
	else if (s[VRC_SX] == 0.0)
		ri.status = RI_STATUS_ZERO;
	else
	{
		/* variances of the means: co-moments / (n - 1) / n */
		float8 my = s[VRC_SY] / n, mx = s[VRC_SX] / n;
		float8 scale = 1.0 / (n * (n - 1.0));
		float8 vyy = s[VRC_SYY] * scale, vxx = s[VRC_SXX] * scale,
			   vxy = s[VRC_SXY] * scale;
		float8 z = normal_critical_value(s[VRC_CONF], "value_ratio_ci");

		if (s[VRC_METHOD] != METHOD_DELTA && s[VRC_METHOD] != METHOD_FIELLER)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid state for value_ratio_ci"),
					 errdetail("The state's method code is %s; value_ratio_ci "
							   "stores 1 (fieller) or 2 (delta).",
							   float8out_internal(s[VRC_METHOD])),
					 errhint("Pass only states made by value_ratio_ci "
							 "itself.")));
		ratio_interval(ri.ratio, my, mx, vyy, vxx, vxy, z, (int) s[VRC_METHOD],
					   &ri);
	}
	return interval_datum(fcinfo, &ri, (int64) n, 0, false);
}

/* ---------------------------------------------------------------------
 * cohort_ratio_ci(value, in_cohort [, confidence])
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(cohort_ratio_ci_trans);
Datum
cohort_ratio_ci_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state;
	float8 *s, *g;
	float8 v, n, confidence = 0.95;

	check_state_not_null(fcinfo, "cohort_ratio_ci");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("confidence of cohort_ratio_ci must not be NULL"),
					 errhint("Omit it to use 0.95.")));
		confidence = PG_GETARG_FLOAT8(3);
	}
	state = writable_state(fcinfo);
	s = state_values(state, CRC_LEN, "cohort_ratio_ci");
	v = PG_GETARG_FLOAT8(1);
	check_finite(v, "value", "cohort_ratio_ci");

	if (s[0] + s[3] == 0.0)
	{
		(void) normal_critical_value(confidence, "cohort_ratio_ci");
		s[6] = confidence;
	}
	else if (confidence != s[6])
		confidence_changed("cohort_ratio_ci", s[6], confidence);

	/* one Youngs-Cramer update of (n, sum, S) for the row's group */
	g = PG_GETARG_BOOL(2) ? &s[0] : &s[3];
	n = g[0] + 1.0;
	g[1] += v;
	if (n > 1.0)
	{
		float8 d = v * n - g[1];

		g[2] += d * d / (n * (n - 1.0));
	}
	g[0] = n;
	PG_RETURN_ARRAYTYPE_P(state);
}

static void
group_merge(float8 *a, const float8 *b)
{
	float8 na = a[0], nb = b[0], d;

	if (nb == 0.0)
		return;
	if (na == 0.0)
	{
		memcpy(a, b, 3 * sizeof(float8));
		return;
	}
	d = a[1] / na - b[1] / nb;
	a[2] += b[2] + d * d * na * nb / (na + nb);
	a[1] += b[1];
	a[0] = na + nb;
}

PG_FUNCTION_INFO_V1(cohort_ratio_ci_combine);
Datum
cohort_ratio_ci_combine(PG_FUNCTION_ARGS)
{
	ArrayType *state = writable_state(fcinfo);
	float8 *a = state_values(state, CRC_LEN, "cohort_ratio_ci");
	float8 *b =
		state_values(PG_GETARG_ARRAYTYPE_P(1), CRC_LEN, "cohort_ratio_ci");

	if (b[0] + b[3] > 0.0)
	{
		if (a[0] + a[3] == 0.0)
			a[6] = b[6];
		else if (a[6] != b[6])
			confidence_changed("cohort_ratio_ci", a[6], b[6]);
		group_merge(&a[0], &b[0]);
		group_merge(&a[3], &b[3]);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(cohort_ratio_ci_final);
Datum
cohort_ratio_ci_final(PG_FUNCTION_ARGS)
{
	const float8 *s =
		state_values(PG_GETARG_ARRAYTYPE_P(0), CRC_LEN, "cohort_ratio_ci");
	float8 n1 = s[0], n0 = s[3];
	RatioInterval ri = {0};

	check_result_finite(s[1], "total value in the cohort", "cohort_ratio_ci");
	check_result_finite(s[4], "total value outside the cohort",
						"cohort_ratio_ci");
	check_result_finite(s[2], "spread of value in the cohort",
						"cohort_ratio_ci");
	check_result_finite(s[5], "spread of value outside the cohort",
						"cohort_ratio_ci");
	if (n1 >= 1.0 && n0 >= 1.0 && s[4] != 0.0)
	{
		ri.ratio = (s[1] / n1) / (s[4] / n0);
		ri.has_ratio = true;
	}
	if (n1 < 2.0 || n0 < 2.0)
		ri.status = RI_STATUS_TOO_FEW;
	else if (s[4] == 0.0)
		ri.status = RI_STATUS_ZERO;
	else
	{
		/* independent samples: covariance of the two means is zero */
		float8 v1 = s[2] / (n1 - 1.0) / n1;
		float8 v0 = s[5] / (n0 - 1.0) / n0;

		ratio_interval(ri.ratio, s[1] / n1, s[4] / n0, v1, v0, 0.0,
					   normal_critical_value(s[6], "cohort_ratio_ci"),
					   METHOD_FIELLER, &ri);
	}
	return interval_datum(fcinfo, &ri, (int64) n1, (int64) n0, true);
}
