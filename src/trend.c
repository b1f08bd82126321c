/*-------------------------------------------------------------------------
 *
 * trend.c
 *	  Fingertips recent-trend markers as PHEindicatormethods'
 *	  assign_trend_markers computes them: the trend_marker aggregates over
 *	  one series, judged on its last five periods.
 *
 * Aggregate rules (xaggr.sgml): state lives in the aggregate context; the
 * transition updates it in place only when called as an aggregate; combine
 * never returns its second argument; final functions never modify state.
 *
 * The state is a value_list that keeps every point of the series, because
 * the last five periods are known only once all rows (and all partial
 * states) are in: the final function looks for duplicates among the sorted
 * periods and picks the five latest points, so the result does not depend
 * on the order rows or states arrive in.
 *
 *	  proportions (width 4, no parameter): period, numerator, denominator,
 *		missing (bit 1: numerator NULL, bit 2: denominator NULL)
 *	  values with limits (width 5, parameter: the confidence as given):
 *		period, value, lower, upper, missing (bits 1, 2, 4: value, lower,
 *		upper NULL)
 *
 * A NULL stands for a missing value of its period (the package's NA), so
 * it is stored as 0 with its bit set: value_list items are always finite.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"
#include "phe.h"
#include "results.h"
#include "value_list.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#define TREND_WINDOW 5
/* Fingertips' published threshold: chi-squared on 1 df, about p < 0.002 */
#define TREND_THRESHOLD 9.5495

#define PROP_WIDTH 4
#define OTHER_WIDTH 5

#define MISSING_FIRST 1  /* numerator or value */
#define MISSING_SECOND 2 /* denominator or lower */
#define MISSING_THIRD 4  /* upper */

/* ---------------------------------------------------------------------
 * Argument checks (CONTRIBUTING.md's wording)
 * ---------------------------------------------------------------------
 */

static void
check_finite(float8 v, const char *arg)
{
	check_finite_arg(v, arg, "trend_marker",
					 "Pass NULL for a missing value of a period.");
}

/*
 * Error 22023 unless c is a confidence as PHE documents it: 0.9-0.9999 or
 * 90-99.99 (percent). The state keeps it as given, so that a group mixing
 * 95 and 0.95 is told so in the user's own numbers.
 */
static void
check_confidence(float8 c)
{
	if (!isfinite(c))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence of trend_marker must be finite"),
				 errdetail("The confidence is %s.", float8out_internal(c)),
				 errhint("Pass the confidence level of the limits, such as "
						 "0.95.")));
	if (!(c >= 0.9 && c <= 0.9999) && !(c >= 90.0 && c <= 99.99))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence of trend_marker must be between 0.9 and "
						"0.9999"),
				 errdetail("The confidence is %s.", float8out_internal(c)),
				 errhint("Percentages between 90 and 99.99 are accepted too. "
						 "Limits at 100%% confidence are unbounded and cannot "
						 "weigh the points.")));
}

/* the fraction of a checked confidence */
static inline float8
confidence_fraction(float8 c)
{
	return c >= 90.0 ? c / 100.0 : c;
}

static void
pg_attribute_noreturn() invalid_state(const char *detail)
{
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid state for trend_marker"),
					errdetail("%s", detail)));
}

/* Error 22023 unless vl has one of the two shapes of trend_marker. */
static void
check_shape(const ValueList *vl)
{
	if (vl->version != VALUE_LIST_VERSION)
		invalid_state("The state has an unknown version.");
	if (!((vl->width == PROP_WIDTH && vl->nparams == 0) ||
		  (vl->width == OTHER_WIDTH && vl->nparams == 1)))
		invalid_state("The state holds neither proportions (4 numbers a "
					  "point) nor values with limits (5 numbers a point and "
					  "the confidence).");
}

static void
pg_attribute_noreturn() confidence_differs(float8 first, float8 now)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("confidence of trend_marker must be the same for every "
					"row of a group"),
			 errdetail("The group started with %s and now has %s.",
					   float8out_internal(first), float8out_internal(now)),
			 errhint("Pass the confidence as a constant.")));
}

/* ---------------------------------------------------------------------
 * Transition and combine
 * ---------------------------------------------------------------------
 */

/*
 * trend_marker_trans(state, period, numerator, denominator) for proportions;
 * trend_marker_trans(state, period, value, lower, upper [, confidence]) for
 * values with limits. Not strict: a NULL number is a missing value of its
 * period, and the point is kept so the window still covers its period.
 */
PG_FUNCTION_INFO_V1(trend_marker_trans);
Datum
trend_marker_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	bool prop = PG_NARGS() == 4;
	int width = prop ? PROP_WIDTH : OTHER_WIDTH;
	int nparams = prop ? 0 : 1;
	float8 item[OTHER_WIDTH];
	float8 confidence = 0.95;
	int missing = 0;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period of trend_marker must not be NULL"),
				 errhint("Leave out rows without a period. A NULL value, "
						 "numerator, denominator or limit marks a missing "
						 "value of its period instead.")));
	if (PG_NARGS() == 6)
	{
		if (PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("confidence of trend_marker must not be NULL"),
					 errhint("Pass the confidence level of the limits, such "
							 "as 0.95, or leave it out for 95%% limits.")));
		confidence = PG_GETARG_FLOAT8(5);
		check_confidence(confidence);
	}

	item[0] = (float8) PG_GETARG_INT32(1);
	for (int i = 2; i < width; i++)
	{
		static const char *const prop_args[] = {"numerator", "denominator"};
		static const char *const other_args[] = {"value", "lower", "upper"};

		if (PG_ARGISNULL(i))
		{
			item[i - 1] = 0.0;
			missing |= 1 << (i - 2);
			continue;
		}
		item[i - 1] = PG_GETARG_FLOAT8(i);
		check_finite(item[i - 1], prop ? prop_args[i - 2] : other_args[i - 2]);
	}
	item[width - 1] = (float8) missing;
	if (prop)
	{
		if (!(missing & MISSING_FIRST) && item[1] < 0.0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("numerator of trend_marker must not be "
								   "negative"),
							errdetail("The numerator is %s.",
									  float8out_internal(item[1]))));
		if (!(missing & MISSING_SECOND) && item[2] <= 0.0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("denominator of trend_marker must be "
								   "positive"),
							errdetail("The denominator is %s.",
									  float8out_internal(item[2]))));
	}

	if (vl != NULL)
	{
		check_shape(vl);
		if (vl->width != width)
			invalid_state("The state holds the other kind of trend_marker "
						  "(proportions or values with limits).");
		if (!prop && vl->params[0] != confidence)
			confidence_differs(vl->params[0], confidence);
	}
	return value_list_add(fcinfo, vl, width, nparams, &confidence, 8, 0, item);
}

/*
 * Combine: the points of both states, in any order (the final function
 * sorts them). Both states must be of the same kind and, for values with
 * limits, of the same confidence.
 */
PG_FUNCTION_INFO_V1(trend_marker_combine);
Datum
trend_marker_combine(PG_FUNCTION_ARGS)
{
	ValueList *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	ValueList *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_VALUE_LIST(1);

	if (a != NULL)
		check_shape(a);
	if (b != NULL)
		check_shape(b);
	if (a != NULL && b != NULL)
	{
		if (a->width != b->width)
			invalid_state("One state holds proportions and the other values "
						  "with limits.");
		if (a->nparams == 1 && a->params[0] != b->params[0])
			confidence_differs(a->params[0], b->params[0]);
	}
	return value_list_combine(fcinfo, 0, -1, "trend_marker");
}

/* ---------------------------------------------------------------------
 * The tests (PHEindicatormethods R/utils.R, written in centred form)
 * ---------------------------------------------------------------------
 */

/* One point of the window: time (centred on the last period) and data. */
typedef struct TrendPoint
{
	float8 t;
	float8 a; /* numerator, or value */
	float8 b; /* denominator, or weight (sigma_min / sigma)^2 */
	float8 y; /* logit of the proportion (proportions only) */
} TrendPoint;

/*
 * Least-squares slope of y (proportions: the logit) on t, weighted by b for
 * values with limits and unweighted for proportions, leaving out point
 * `skip` (-1: none). *sxx gets the weighted sum of squares of t about its
 * mean. Centring (t on the last period, y on the last point's y) keeps
 * periods like 202401 exact and sums of values near 1e308 finite.
 */
static float8
trend_slope(const TrendPoint *p, int n, bool prop, int skip, float8 *sxx)
{
	float8 sw = 0.0;
	float8 st = 0.0;
	float8 sy = 0.0;
	float8 tbar;
	float8 ybar;
	float8 sxy = 0.0;
	float8 ss = 0.0;

	float8 y0 = prop ? p[n - 1].y : p[n - 1].a;

	for (int i = 0; i < n; i++)
	{
		float8 w = prop ? 1.0 : p[i].b;
		float8 y = (prop ? p[i].y : p[i].a) - y0;

		if (i == skip)
			continue;
		sw += w;
		st += w * p[i].t;
		sy += w * y;
	}
	tbar = st / sw;
	ybar = sy / sw;
	for (int i = 0; i < n; i++)
	{
		float8 w = prop ? 1.0 : p[i].b;
		float8 y = (prop ? p[i].y : p[i].a) - y0;
		float8 dt = p[i].t - tbar;

		if (i == skip)
			continue;
		sxy += w * dt * (y - ybar);
		ss += w * dt * dt;
	}
	if (sxx)
		*sxx = ss;
	return sxy / ss;
}

/*
 * The chi-squared trend test on the counts, PHE's
 *	 D (D Sct - C Sdt)^2 / (C (D - C) (D Sdt2 - Sdt^2))
 * (C, D: total numerator and denominator; Sct = sum c t, ...), which equals
 *	 [sum (c - pbar d)(t - tbar)]^2 / (pbar (1 - pbar) sum d (t - tbar)^2)
 * with pbar = C / D and tbar = Sdt / D: the same number without the
 * cancellation of the raw sums.
 */
static float8
prop_statistic(const TrendPoint *p, int n)
{
	float8 c = 0.0;
	float8 d = 0.0;
	float8 sdt = 0.0;
	float8 pbar;
	float8 tbar;
	float8 num = 0.0;
	float8 sdtt = 0.0;

	for (int i = 0; i < n; i++)
	{
		c += p[i].a;
		d += p[i].b;
		sdt += p[i].b * p[i].t;
	}
	pbar = c / d;
	tbar = sdt / d;
	for (int i = 0; i < n; i++)
	{
		float8 dt = p[i].t - tbar;

		num += (p[i].a - pbar * p[i].b) * dt;
		sdtt += p[i].b * dt * dt;
	}
	return num * num / (pbar * ((d - c) / d) * sdtt);
}

/* R's sign(): -1, 0 or 1 */
static inline int
sign_of(float8 x)
{
	return (x > 0.0) - (x < 0.0);
}

/* Error 22023 unless the points of a state are ones the transition made. */
static void
check_points(const ValueList *vl)
{
	for (int64 i = 0; i < vl->count; i++)
	{
		const float8 *it = VALUE_LIST_ITEM(vl, i);
		float8 missing = it[vl->width - 1];
		int max_missing = vl->width == PROP_WIDTH ? 3 : 7;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (it[0] != rint(it[0]) || it[0] < PG_INT32_MIN ||
			it[0] > PG_INT32_MAX)
			invalid_state("A period is not an integer.");
		if (missing != rint(missing) || missing < 0 || missing > max_missing)
			invalid_state("A point has an unknown missing-value mark.");
		if (vl->width == PROP_WIDTH &&
			((!((int) missing & MISSING_FIRST) && it[1] < 0.0) ||
			 (!((int) missing & MISSING_SECOND) && it[2] <= 0.0)))
			invalid_state("A point has a negative numerator or a denominator "
						  "that is not positive.");
	}
	if (vl->nparams == 1 &&
		!(vl->params[0] >= 0.9 && vl->params[0] <= 0.9999) &&
		!(vl->params[0] >= 90.0 && vl->params[0] <= 99.99))
		invalid_state("The confidence is not between 0.9 and 0.9999.");
}

/*
 * "Duplicate years in group" when two points share a period, else NULL.
 * From the periods alone, sorted (a copy of one number a point: the state
 * stays as it is, and a radix sort is linear and interruptible).
 */
static const char *
duplicate_periods(const ValueList *vl)
{
	int64 n = vl->count;
	float8 *periods = palloc_extended(n * sizeof(float8), MCXT_ALLOC_HUGE);
	const char *reason = NULL;

	for (int64 i = 0; i < n; i++)
		periods[i] = VALUE_LIST_ITEM(vl, i)[0];
	sort_float8(periods, n);
	for (int64 i = 1; i < n && reason == NULL; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (periods[i] == periods[i - 1])
			reason = "Duplicate years in group";
	}
	pfree(periods);
	return reason;
}

/* The TREND_WINDOW latest points (periods unique), oldest first, into w. */
static void
latest_window(const ValueList *vl, const float8 *w[TREND_WINDOW])
{
	int filled = 0;

	for (int64 i = 0; i < vl->count; i++)
	{
		const float8 *it = VALUE_LIST_ITEM(vl, i);
		int k;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (filled < TREND_WINDOW)
		{
			/* not full yet: insert in order */
			for (k = filled++; k > 0 && w[k - 1][0] > it[0]; k--)
				w[k] = w[k - 1];
			w[k] = it;
		}
		else if (it[0] > w[0][0])
		{
			/* later than the oldest kept: drop that, insert in order */
			for (k = 0; k + 1 < TREND_WINDOW && w[k + 1][0] < it[0]; k++)
				w[k] = w[k + 1];
			w[k] = it;
		}
	}
}

/*
 * The window's points as the test reads them (periods relative to the
 * last; proportions as counts and the logit, values with their interval's
 * width), or the reason the marker cannot be calculated, in the package's
 * order: missing values, then the cases where the R code would crash.
 */
static const char *
window_points(const float8 *w[TREND_WINDOW], int width, bool prop,
			  TrendPoint p[TREND_WINDOW])
{
	float8 last = w[TREND_WINDOW - 1][0];
	int any_missing = 0;

	for (int i = 0; i < TREND_WINDOW; i++)
		any_missing |= (int) w[i][width - 1];
	if (any_missing & MISSING_FIRST ||
		(prop && (any_missing & MISSING_SECOND)))
		return "Missing values";
	if (any_missing)
		return "Missing at least one confidence interval value";
	for (int i = 0; i < TREND_WINDOW; i++)
	{
		const float8 *it = w[i];

		p[i].t = it[0] - last;
		p[i].a = it[1];
		if (prop)
		{
			/* the logit, infinite at 0% and 100%: R would crash */
			if (it[1] > it[2])
				return "Numerator greater than denominator";
			p[i].b = it[2];
			p[i].y = log(it[1]) - log(it[2] - it[1]);
		}
		else
			p[i].b = fabs(it[3] - it[2]); /* width, weight below */
	}
	for (int i = 0; i < TREND_WINDOW; i++)
	{
		if (prop && (p[i].a == 0.0 || p[i].a == p[i].b))
			return "Proportion of 0% or 100%";
		if (!prop && p[i].b == 0.0)
			return "Zero-width confidence interval";
	}
	return NULL;
}

/*
 * The slope and the chi-squared statistic of the window: for proportions
 * the test for trend on the counts; for values with limits weighted least
 * squares with sigma = width / (2 z), weights 1 / sigma^2. The weights
 * are scaled by the narrowest interval's sigma_min^2 so that tiny or huge
 * widths cannot overflow: the slope does not depend on the scale, and
 * beta^2 / Var(beta) = beta^2 Sxx (unscaled) = (beta / sigma_min)^2 Sxx
 * (scaled).
 */
static void
trend_test(TrendPoint p[TREND_WINDOW], bool prop, float8 confidence,
		   float8 *slope, float8 *statistic)
{
	float8 z, wmin, sxx;

	if (prop)
	{
		*slope = trend_slope(p, TREND_WINDOW, true, -1, NULL);
		*statistic = prop_statistic(p, TREND_WINDOW);
		return;
	}
	z = phe_z(confidence_fraction(confidence));
	wmin = p[0].b;
	for (int i = 1; i < TREND_WINDOW; i++)
		wmin = Min(wmin, p[i].b);
	for (int i = 0; i < TREND_WINDOW; i++)
	{
		float8 r = wmin / p[i].b;

		p[i].b = r * r;
	}
	*slope = trend_slope(p, TREND_WINDOW, false, -1, &sxx);
	*statistic = *slope / (wmin / (2.0 * z));
	*statistic = *statistic * *statistic * sxx;
}

/*
 * Marker and reason of a computed test: significant above the threshold,
 * unless dropping a single point turns the slope round (an outlier).
 */
static void
classify_trend(const TrendPoint p[TREND_WINDOW], bool prop, float8 slope,
			   float8 statistic, const char **marker, const char **reason)
{
	*marker = "No significant change";
	*reason = "No significant trend";
	if (!(statistic > TREND_THRESHOLD))
		return;
	for (int j = 0; j < TREND_WINDOW; j++)
	{
		float8 s = trend_slope(p, TREND_WINDOW, prop, j, NULL);

		check_result_finite(s, "slope", "trend_marker");
		if (sign_of(s) != sign_of(slope))
		{
			*reason = "Outlier found";
			return;
		}
	}
	*marker = slope < 0.0 ? "Decreasing" : "Increasing";
	*reason = "No outliers and significant trend";
}

/*
 * trend_result (marker, reason, slope, statistic, points): the recent trend
 * of the series' last five periods. Every "Cannot be calculated" comes with
 * NULL slope and statistic; points is the number of points in the series.
 */
PG_FUNCTION_INFO_V1(trend_marker_final);
Datum
trend_marker_final(PG_FUNCTION_ARGS)
{
	ValueList *vl;
	bool prop;
	const char *marker = "Cannot be calculated";
	const char *reason;
	TrendPoint p[TREND_WINDOW];
	float8 slope = 0.0;
	float8 statistic = 0.0;
	Datum values[5];
	bool nulls[5] = {false, false, true, true, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	check_shape(vl);
	check_points(vl);
	prop = vl->width == PROP_WIDTH;
	if (vl->count == 0)
		PG_RETURN_NULL();

	/* the package's order: duplicates, then length, then the window */
	reason = duplicate_periods(vl);
	if (reason == NULL && vl->count < TREND_WINDOW)
		reason = "Not enough data points";
	if (reason == NULL)
	{
		const float8 *w[TREND_WINDOW];

		latest_window(vl, w);
		reason = window_points(w, vl->width, prop, p);
	}
	if (reason == NULL)
	{
		trend_test(p, prop, vl->params[0], &slope, &statistic);
		check_result_finite(slope, "slope", "trend_marker");
		check_result_finite(statistic, "statistic", "trend_marker");
		nulls[2] = nulls[3] = false;
		classify_trend(p, prop, slope, statistic, &marker, &reason);
	}

	values[0] = CStringGetTextDatum(marker);
	values[1] = CStringGetTextDatum(reason);
	values[2] = Float8GetDatum(slope);
	values[3] = Float8GetDatum(statistic);
	values[4] = Int32GetDatum((int32) Min(vl->count, PG_INT32_MAX));
	PG_RETURN_DATUM(composite_result(fcinfo, values, nulls));
}
