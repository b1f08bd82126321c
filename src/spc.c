/*-------------------------------------------------------------------------
 *
 * spc.c
 *	  Statistical process control (NHS England "Making Data Count",
 *	  NHSRplotthedots; Laney 2002 p' and u' charts), docs/methods.md
 *	  section 3: the spc_chart aggregate and type, spc_points and
 *	  spc_summary.
 *
 * spc_chart collects a series' points in its state, the type spc_chart:
 * a value_list (value_list.h: same layout, text and binary forms, append
 * and combine) of (period, value, rebase) or (period, numerator,
 * denominator, rebase), width 3 or 4, with one parameter, the period kind
 * (date or integer). Its final function sorts the points by period and
 * refuses a repeated period, so every combine order gives the same chart;
 * spc_points and spc_summary sort a chart that is not in order (a partial
 * state, or one typed by hand) the same way before reading it.
 *
 * The analysis (spc_points, spc_summary) works per segment (a rebase
 * starts one): a baseline (the segment, or its first fix_after_n points)
 * gives the centre and the limits; the rules run over the segment:
 *   XmR:  centre = mean (or median) of the baseline, MR = |y_t - y_t-1|
 *		   within it, mean MR after screening (MR >= 3.267 mean MR dropped,
 *		   mean taken again), limits centre +/- 2.66 mean MR, near limits
 *		   centre +/- (2/3) 2.66 mean MR;
 *   p'/u' (Laney): centre p = sum x / sum n over the baseline, within-point
 *		   sigma_i = sqrt(p (1 - p) / n_i) (u': sqrt(u / n_i)), z_i =
 *		   (y_i - p) / sigma_i, sigma_z = mean MR of the baseline's z / 1.128,
 *		   limits p +/- 3 sigma_i sigma_z (near: 2), p' clamped to [0, 1],
 *		   u' at 0.
 * Rules, first match wins: outside the limits, trend (trend_length points
 * strictly rising or falling), two of three (two of three consecutive
 * points on one side beyond the near limit, inside the limits, the three
 * strictly on that side), shift (shift_length points strictly on one
 * side). The direction comes from the winning rule.
 *
 * Aggregate rules (xaggr.sgml): the state is changed in place only under
 * AggCheckCallContext (value_list_add, value_list_combine); the final
 * function builds a new sorted chart and never changes the state.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"
#include "results.h"
#include "value_list.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type_d.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/syscache.h"

/* params[0] of a chart: what its periods are */
#define SPC_PERIOD_DATE 1
#define SPC_PERIOD_INTEGER 2

/* items: (period, value, rebase) or (period, numerator, denominator, rebase) */
#define SPC_VALUES_WIDTH 3
#define SPC_RATIO_WIDTH 4

/* integer periods are stored as float8: exact up to 2^53 */
#define SPC_MAX_PERIOD 9007199254740992.0

#define SPC_XMR_LIMIT 2.66  /* 3 / d2, d2 = 1.128, as NHSRplotthedots */
#define SPC_MR_SCREEN 3.267 /* D4: moving ranges at or above are outliers */
#define SPC_D2 1.128        /* Laney: sigma_z = mean MR / d2 */
#define SPC_TRIAL_POINTS 12 /* fewer baseline points: trial limits */
#define SPC_MAX_RUN 1000    /* longest shift or trend length accepted */

typedef enum SpcChartType
{
	SPC_XMR = 0,
	SPC_P_PRIME = 1,
	SPC_U_PRIME = 2
} SpcChartType;

typedef enum SpcRule
{
	RULE_NONE = 0,
	RULE_OUTSIDE = 1,
	RULE_TREND = 2,
	RULE_TWO_IN_THREE = 3,
	RULE_SHIFT = 4
} SpcRule;

static const char *const rule_names[] = {NULL, "outside_limits", "trend",
										 "two_in_three", "shift"};

typedef struct SpcOptions
{
	int improvement; /* 1 increase, -1 decrease, 0 neutral */
	bool has_target;
	float8 target;
	int64 fix_after_n; /* 0: the whole segment is the baseline */
	bool screen;
	bool median;
	SpcChartType chart_type;
	int shift_length;
	int trend_length;
} SpcOptions;

typedef struct SpcPoint
{
	float8 period;
	float8 y; /* value, or numerator / denominator */
	int32 segment;
	bool has_limits;
	bool trial;
	float8 centre, lower, upper, lower_near, upper_near;
	int8 side; /* sign(y - centre) */
	bool outside, trend, two_in_three, shift;
	int8 trend_dir;
	SpcRule rule;
	int8 dir; /* direction of the winning rule: 1 high, -1 low */
} SpcPoint;

/* ---------------------------------------------------------------------
 * The chart: checks shared by the aggregate, the type's input and readers
 * ---------------------------------------------------------------------
 */

static bool
is_ratio_chart(const ValueList *vl)
{
	return vl->width == SPC_RATIO_WIDTH;
}

static pg_attribute_noreturn() void invalid_chart(const char *fname,
												  const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid state for %s", fname), errdetail("%s", why)));
}

/*
 * Error 22023 unless vl is an spc_chart of its shape: width 3 or 4, the
 * period kind, whole periods in range, finite values, numerators not
 * negative, denominators positive, rebase flags 0 or 1. The order of the
 * points is not checked (see sorted_chart).
 */
static void
check_chart(const ValueList *vl, const char *fname)
{
	float8 max_period;

	if (vl->version != VALUE_LIST_VERSION ||
		(vl->width != SPC_VALUES_WIDTH && vl->width != SPC_RATIO_WIDTH) ||
		vl->nparams != 1)
		invalid_chart(fname, "It is not a state of spc_chart.");
	if (vl->params[0] != SPC_PERIOD_DATE &&
		vl->params[0] != SPC_PERIOD_INTEGER)
		invalid_chart(fname, "The period kind is unknown.");
	max_period = vl->params[0] == SPC_PERIOD_DATE ? (float8) PG_INT32_MAX
												  : SPC_MAX_PERIOD;
	for (int64 i = 0; i < vl->count; i++)
	{
		const float8 *it = VALUE_LIST_ITEM(vl, i);
		float8 rebase = it[vl->width - 1];

		if (!(fabs(it[0]) <= max_period) || it[0] != floor(it[0]) ||
			(vl->params[0] == SPC_PERIOD_DATE &&
			 !IS_VALID_DATE((DateADT) it[0])))
			invalid_chart(fname, "A period is out of range.");
		if (rebase != 0.0 && rebase != 1.0)
			invalid_chart(fname, "A rebase flag is neither 0 nor 1.");
		for (int j = 1; j < vl->width - 1; j++)
			if (!isfinite(it[j]))
				invalid_chart(fname, "A value is not finite.");
		if (is_ratio_chart(vl) && !(it[1] >= 0.0 && it[2] > 0.0))
			invalid_chart(fname, "A numerator is negative or a denominator "
								 "is not positive.");
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/* The text of a period for messages. */
static char *
period_text(float8 kind, float8 period)
{
	if (kind == SPC_PERIOD_DATE)
		return DatumGetCString(
			DirectFunctionCall1(date_out, DateADTGetDatum((DateADT) period)));
	return psprintf(INT64_FORMAT, (int64) period);
}

/* ---------------------------------------------------------------------
 * spc_chart(period, value [, rebase]) and
 * spc_chart(period, numerator, denominator [, rebase])
 * ---------------------------------------------------------------------
 */

/*
 * The SQL type of the period argument (date or bigint: the overloads share
 * this C function). From the call's expression when there is one; Citus's
 * worker_partial_agg calls transition functions without one, so then from
 * the function's declared arguments, looked up once per call site.
 */
static Oid
period_type(FunctionCallInfo fcinfo)
{
	Oid type = get_fn_expr_argtype(fcinfo->flinfo, 1);

	if (OidIsValid(type))
		return type;
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		HeapTuple tup =
			SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
		Oid *cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));

		*cached = InvalidOid;
		if (HeapTupleIsValid(tup))
		{
			Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);

			if (proc->pronargs > 1)
				*cached = proc->proargtypes.values[1];
			ReleaseSysCache(tup);
		}
		fcinfo->flinfo->fn_extra = cached;
	}
	return *(Oid *) fcinfo->flinfo->fn_extra;
}

/* The period argument as stored, and its kind; errors name spc_chart. */
static float8
read_period(FunctionCallInfo fcinfo, float8 *kind)
{
	Oid type = period_type(fcinfo);

	if (PG_ARGISNULL(1))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("period of spc_chart must not be NULL"),
						errhint("Leave out rows without a period.")));
	if (type == DATEOID)
	{
		DateADT d = PG_GETARG_DATEADT(1);

		if (DATE_NOT_FINITE(d))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("period of spc_chart must be finite"),
							errdetail("The period is %s.",
									  period_text(SPC_PERIOD_DATE, d)),
							errhint("Give each point a real date.")));
		*kind = SPC_PERIOD_DATE;
		return (float8) d;
	}
	if (type == INT8OID)
	{
		int64 p = PG_GETARG_INT64(1);

		if (p < -(int64) SPC_MAX_PERIOD || p > (int64) SPC_MAX_PERIOD)
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period of spc_chart must be between "
						"-9007199254740992 and 9007199254740992"),
				 errdetail("The period is " INT64_FORMAT ".", p),
				 errhint("Number the periods 1, 2, 3, ... or use dates.")));
		*kind = SPC_PERIOD_INTEGER;
		return (float8) p;
	}
	ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
					errmsg("period of spc_chart must be a date or a bigint")));
	return 0.0; /* not reached */
}

static void
check_finite_value(float8 v, const char *arg)
{
	check_finite_arg(
		v, arg, "spc_chart",
		"Map NaN and infinite values to NULL so they are skipped.");
}

/*
 * The common tail of both transition functions: the state checked against
 * this row's period kind, then the point appended (a NULL measurement adds
 * nothing; a group of only such rows makes an empty chart, NULL).
 */
static Datum
chart_add(FunctionCallInfo fcinfo, int width, float8 kind, bool skip,
		  const float8 *item)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);

	if (vl != NULL)
	{
		value_list_check(vl, width, 1, "spc_chart");
		if (vl->params[0] != kind)
			invalid_chart("spc_chart", "It holds another kind of period.");
	}
	if (skip)
	{
		if (vl != NULL)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_VALUE_LIST(value_list_create(width, 1, &kind, 64));
	}
	if (value_list_append_fast(fcinfo, width, 1, &kind, item))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	return value_list_add(fcinfo, vl, width, 1, &kind, 64, 0, item);
}

/* (state, period, value [, rebase boolean]) */
PG_FUNCTION_INFO_V1(spc_chart_trans);
Datum
spc_chart_trans(PG_FUNCTION_ARGS)
{
	float8 item[SPC_VALUES_WIDTH];
	float8 kind;

	item[0] = read_period(fcinfo, &kind);
	item[1] = PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2);
	/* a NULL rebase is no rebase */
	item[2] =
		PG_NARGS() > 3 && !PG_ARGISNULL(3) && PG_GETARG_BOOL(3) ? 1.0 : 0.0;
	if (!PG_ARGISNULL(2))
	{
		check_finite_value(item[1], "value");
		if (item[1] == 0.0)
			item[1] = 0.0; /* -0 as 0: one text form per value */
	}
	return chart_add(fcinfo, SPC_VALUES_WIDTH, kind, PG_ARGISNULL(2), item);
}

/* (state, period, numerator, denominator [, rebase boolean]) */
PG_FUNCTION_INFO_V1(spc_chart_trans_ratio);
Datum
spc_chart_trans_ratio(PG_FUNCTION_ARGS)
{
	float8 item[SPC_RATIO_WIDTH];
	float8 kind;
	bool skip = PG_ARGISNULL(2) || PG_ARGISNULL(3);

	item[0] = read_period(fcinfo, &kind);
	item[1] = PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2);
	item[2] = PG_ARGISNULL(3) ? 1.0 : PG_GETARG_FLOAT8(3);
	item[3] =
		PG_NARGS() > 4 && !PG_ARGISNULL(4) && PG_GETARG_BOOL(4) ? 1.0 : 0.0;
	if (!skip)
	{
		check_finite_value(item[1], "numerator");
		check_finite_value(item[2], "denominator");
		if (item[1] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("numerator of spc_chart must not be negative"),
					 errdetail("The numerator is %g.", item[1]),
					 errhint("Numerators are counts of events or people.")));
		if (!(item[2] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("denominator of spc_chart must be positive"),
					 errdetail("The denominator is %g.", item[2]),
					 errhint("Map periods without a denominator to NULL so "
							 "they are skipped.")));
		if (item[1] == 0.0)
			item[1] = 0.0;
	}
	return chart_add(fcinfo, SPC_RATIO_WIDTH, kind, skip, item);
}

PG_FUNCTION_INFO_V1(spc_chart_combine);
Datum
spc_chart_combine(PG_FUNCTION_ARGS)
{
	/* width 0: either shape, but both states must have the same one */
	return value_list_combine(fcinfo, 0, 1, "spc_chart");
}

/* qsort_arg comparator: row indexes by period */
static int
period_cmp(const void *a, const void *b, void *arg)
{
	const ValueList *vl = (const ValueList *) arg;
	float8 x = VALUE_LIST_ITEM(vl, *(const int64 *) a)[0];
	float8 y = VALUE_LIST_ITEM(vl, *(const int64 *) b)[0];

	sort_interrupt_tick();
	return x < y ? -1 : (x > y ? 1 : 0);
}

/*
 * The chart with its points in period order: vl itself when they already
 * are, else a sorted copy (new and flat). A repeated period is error 22023
 * naming `fname`.
 */
static ValueList *
sorted_chart(ValueList *vl, const char *fname)
{
	ValueList *chart;
	int64 *order;
	int64 i;

	for (i = 1; i < vl->count; i++)
		if (!(VALUE_LIST_ITEM(vl, i)[0] > VALUE_LIST_ITEM(vl, i - 1)[0]))
			break;
	if (i >= vl->count)
		return vl;
	order = palloc_extended(vl->count * sizeof(int64), MCXT_ALLOC_HUGE);
	for (i = 0; i < vl->count; i++)
		order[i] = i;
	qsort_arg(order, vl->count, sizeof(int64), period_cmp, vl);

	chart = value_list_create(vl->width, 1, vl->params, vl->count);
	for (i = 0; i < vl->count; i++)
	{
		const float8 *it = VALUE_LIST_ITEM(vl, order[i]);

		if (i > 0 && it[0] == VALUE_LIST_ITEM(chart, i - 1)[0])
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period of %s must not repeat within a chart", fname),
				 errdetail("The period is %s.",
						   period_text(vl->params[0], it[0])),
				 errhint("Sum or average each period's rows first, or "
						 "group by the series.")));
		memcpy(VALUE_LIST_ITEM(chart, i), it, vl->width * sizeof(float8));
		chart->count = i + 1;
	}
	pfree(order);
	return chart;
}

/*
 * The state's points in period order: a new chart (a final function never
 * changes its state), NULL when there are none.
 */
PG_FUNCTION_INFO_V1(spc_chart_final);
Datum
spc_chart_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	ValueList *chart;

	check_chart(vl, "spc_chart");
	if (vl->count == 0)
		PG_RETURN_NULL();
	chart = sorted_chart(vl, "spc_chart");
	if (chart == vl)
	{
		/* already in order: a flat copy of exactly its points */
		chart = value_list_create(vl->width, 1, vl->params, vl->count);
		memcpy(chart->items, vl->items,
			   vl->count * vl->width * sizeof(float8));
		chart->count = vl->count;
	}
	PG_RETURN_VALUE_LIST(chart);
}

/*
 * The type spc_chart: value_list's text and binary forms, then checked
 * (any order: partial states travel through them).
 */
PG_FUNCTION_INFO_V1(spc_chart_in);
Datum
spc_chart_in(PG_FUNCTION_ARGS)
{
	Datum d = DirectFunctionCall1(value_list_in, PG_GETARG_DATUM(0));

	check_chart(DatumGetValueList(d), "spc_chart");
	PG_RETURN_DATUM(d);
}

PG_FUNCTION_INFO_V1(spc_chart_recv);
Datum
spc_chart_recv(PG_FUNCTION_ARGS)
{
	Datum d = DirectFunctionCall1(value_list_recv, PG_GETARG_DATUM(0));

	check_chart(DatumGetValueList(d), "spc_chart");
	PG_RETURN_DATUM(d);
}

/* ---------------------------------------------------------------------
 * The analysis: spc_points and spc_summary
 * ---------------------------------------------------------------------
 */

/* Index of t in names[0..n), or error 22023 listing `choices`. */
static int
parse_option(FunctionCallInfo fcinfo, int argno, const char *arg,
			 const char *fname, const char *const *names, int n,
			 const char *choices)
{
	text *t;
	const char *s;
	size_t len;

	if (PG_ARGISNULL(argno))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("%s of %s must not be NULL", arg, fname),
						errhint("Omit %s to use its default.", arg)));
	t = PG_GETARG_TEXT_PP(argno);
	s = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("%s of %s must be one of %s", arg, fname, choices),
					errdetail("The %s is \"%s\".", arg, text_to_cstring(t))));
	return -1; /* not reached */
}

static int
run_length(FunctionCallInfo fcinfo, int argno, const char *arg,
		   const char *fname)
{
	int32 v;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s of %s must not be NULL", arg, fname),
				 errhint("Omit %s to use the default of 7 points.", arg)));
	v = PG_GETARG_INT32(argno);
	if (v < 2 || v > SPC_MAX_RUN)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s of %s must be between 2 and %d", arg, fname,
							   SPC_MAX_RUN),
						errdetail("The %s is %d.", arg, v),
						errhint("Making Data Count uses 7 points.")));
	return v;
}

/*
 * The options of spc_points and spc_summary, arguments 1..8:
 * (improvement, target, fix_after_n, screen_outliers, centre_line,
 * chart_type, shift_length, trend_length).
 */
static void
read_options(FunctionCallInfo fcinfo, const ValueList *vl, const char *fname,
			 SpcOptions *o)
{
	static const char *const improvements[] = {"neutral", "increase",
											   "decrease"};
	static const char *const centres[] = {"mean", "median"};
	static const char *const types[] = {"xmr", "p_prime", "u_prime"};
	int i;

	i = parse_option(fcinfo, 1, "improvement", fname, improvements, 3,
					 "'increase', 'decrease', 'neutral'");
	o->improvement = i == 1 ? 1 : (i == 2 ? -1 : 0);
	o->has_target = !PG_ARGISNULL(2);
	o->target = o->has_target ? PG_GETARG_FLOAT8(2) : 0.0;
	if (o->has_target && !isfinite(o->target))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("target of %s must be finite", fname),
						errdetail("The target is %g.", o->target),
						errhint("Pass NULL for no target.")));
	o->fix_after_n = 0;
	if (!PG_ARGISNULL(3))
	{
		int32 n = PG_GETARG_INT32(3);

		if (n < SPC_TRIAL_POINTS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fix_after_n of %s must be between %d and %d",
							fname, SPC_TRIAL_POINTS, PG_INT32_MAX),
					 errdetail("The fix_after_n is %d.", n),
					 errhint("Limits from fewer than %d points are trial "
							 "limits; pass NULL to use every point of a "
							 "segment.",
							 SPC_TRIAL_POINTS)));
		o->fix_after_n = n;
	}
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("screen_outliers of %s must not be NULL", fname),
				 errhint("Omit screen_outliers to screen (the default).")));
	o->screen = PG_GETARG_BOOL(4);
	o->median = parse_option(fcinfo, 5, "centre_line", fname, centres, 2,
							 "'mean', 'median'") == 1;
	if (is_ratio_chart(vl))
		o->chart_type =
			(SpcChartType) parse_option(fcinfo, 6, "chart_type", fname, types,
										3, "'xmr', 'p_prime', 'u_prime'");
	else
		o->chart_type = (SpcChartType) parse_option(
			fcinfo, 6, "chart_type", fname, types, 1,
			"'xmr' (a chart of values; p_prime and u_prime need "
			"numerators and denominators)");
	if (o->chart_type != SPC_XMR && o->median)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("centre_line of %s must be one of 'mean' (Laney "
						"charts centre on the pooled rate)",
						fname),
				 errdetail("The centre_line is \"median\".")));
	o->shift_length = run_length(fcinfo, 7, "shift_length", fname);
	o->trend_length = run_length(fcinfo, 8, "trend_length", fname);
}

/* mean of the moving ranges of v[0..n), n >= 2, screened if asked */
static float8
mean_moving_range(const float8 *v, int64 n, bool screen)
{
	float8 sum = 0.0, mr_bar, kept_sum = 0.0;
	int64 kept = 0;

	for (int64 t = 1; t < n; t++)
		sum += fabs(v[t] - v[t - 1]);
	mr_bar = sum / (n - 1);
	/* all ranges 0: nothing is an outlier (and nothing would be kept) */
	if (!screen || !(mr_bar > 0.0))
		return mr_bar;
	for (int64 t = 1; t < n; t++)
	{
		float8 mr = fabs(v[t] - v[t - 1]);

		if (mr < SPC_MR_SCREEN * mr_bar)
		{
			kept_sum += mr;
			kept++;
		}
	}
	return kept_sum / kept; /* kept >= 1: the smallest range is below */
}

/* Centre and limits of segment pts[s..e) of a chart of values. */
static void
xmr_limits(SpcPoint *pts, int64 s, int64 e, int64 nb, const SpcOptions *o)
{
	float8 *v = palloc(nb * sizeof(float8));
	float8 centre, sum = 0.0, h = 0.0;

	for (int64 i = 0; i < nb; i++)
	{
		v[i] = pts[s + i].y;
		sum += v[i];
	}
	if (o->median)
	{
		float8 *sorted = palloc(nb * sizeof(float8));

		sort_float8_into(v, nb, sorted);
		centre = nb % 2 ? sorted[nb / 2]
						: sorted[nb / 2 - 1] / 2.0 + sorted[nb / 2] / 2.0;
		pfree(sorted);
	}
	else
		centre = sum / nb;
	if (nb >= 2)
		h = SPC_XMR_LIMIT * mean_moving_range(v, nb, o->screen);
	for (int64 i = s; i < e; i++)
	{
		pts[i].centre = centre;
		pts[i].has_limits = nb >= 2;
		if (nb >= 2)
		{
			pts[i].lower = centre - h;
			pts[i].upper = centre + h;
			pts[i].lower_near = centre - h * 2.0 / 3.0;
			pts[i].upper_near = centre + h * 2.0 / 3.0;
		}
	}
	pfree(v);
}

/* Centre and per-point limits of segment pts[s..e), Laney p' or u'. */
static void
laney_limits(SpcPoint *pts, const ValueList *vl, int64 s, int64 e, int64 nb,
			 SpcChartType type)
{
	float8 sx = 0.0, sn = 0.0, centre, var, sigma_z = 0.0;

	for (int64 i = s; i < s + nb; i++)
	{
		sx += VALUE_LIST_ITEM(vl, i)[1];
		sn += VALUE_LIST_ITEM(vl, i)[2];
	}
	centre = sx / sn;
	/* p (1 - p) or u: the variance of one unit of denominator */
	var = type == SPC_P_PRIME ? centre * (1.0 - centre) : centre;
	if (nb >= 2)
	{
		float8 *z = palloc(nb * sizeof(float8));

		for (int64 i = 0; i < nb; i++)
		{
			float8 sigma = sqrt(var / VALUE_LIST_ITEM(vl, s + i)[2]);

			/* sigma 0 (a centre of 0 or 1): every baseline point is on it */
			z[i] = sigma > 0.0 ? (pts[s + i].y - centre) / sigma : 0.0;
		}
		sigma_z = mean_moving_range(z, nb, false) / SPC_D2;
		pfree(z);
	}
	for (int64 i = s; i < e; i++)
	{
		float8 sigma = sqrt(var / VALUE_LIST_ITEM(vl, i)[2]) * sigma_z;
		float8 hi_cap = type == SPC_P_PRIME ? 1.0 : INFINITY;

		pts[i].centre = centre;
		pts[i].has_limits = nb >= 2;
		if (nb >= 2)
		{
			pts[i].lower = Max(centre - 3.0 * sigma, 0.0);
			pts[i].upper = Min(centre + 3.0 * sigma, hi_cap);
			pts[i].lower_near = Max(centre - 2.0 * sigma, 0.0);
			pts[i].upper_near = Min(centre + 2.0 * sigma, hi_cap);
		}
	}
}

/* Flag trends in pts[s..e): runs of strictly rising (dir 1) or falling. */
static void
flag_trends(SpcPoint *pts, int64 s, int64 e, int dir, int length)
{
	int64 start = s;

	for (int64 i = s + 1; i <= e; i++)
	{
		if (i < e &&
			(dir > 0 ? pts[i].y > pts[i - 1].y : pts[i].y < pts[i - 1].y))
			continue;
		/* the run start .. i - 1 ends here */
		if (i - start >= length)
			for (int64 t = start; t < i; t++)
			{
				/*
				 * A turning point ends one trend and starts the other: it
				 * keeps the direction of the trend that ends at it.
				 */
				if (!pts[t].trend || t == i - 1)
					pts[t].trend_dir = dir;
				pts[t].trend = true;
			}
		start = i;
	}
}

/* The rules over segment pts[s..e). */
static void
flag_rules(SpcPoint *pts, int64 s, int64 e, const SpcOptions *o)
{
	bool *close = palloc((e - s) * sizeof(bool));
	int64 start;

	for (int64 i = s; i < e; i++)
	{
		SpcPoint *p = &pts[i];

		p->side = p->y > p->centre ? 1 : (p->y < p->centre ? -1 : 0);
		p->outside = p->has_limits && (p->y > p->upper || p->y < p->lower);
		close[i - s] = p->has_limits && !p->outside &&
					   (p->y > p->upper_near || p->y < p->lower_near);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	flag_trends(pts, s, e, 1, o->trend_length);
	flag_trends(pts, s, e, -1, o->trend_length);
	for (int64 j = s; j + 2 < e; j++)
	{
		int side = pts[j].side;

		if (side != 0 && pts[j + 1].side == side && pts[j + 2].side == side &&
			close[j - s] + close[j + 1 - s] + close[j + 2 - s] >= 2)
			for (int64 t = j; t < j + 3; t++)
				if (close[t - s])
					pts[t].two_in_three = true;
	}
	start = s;
	for (int64 i = s + 1; i <= e; i++)
	{
		if (i < e && pts[i].side != 0 && pts[i].side == pts[i - 1].side)
			continue;
		if (pts[start].side != 0 && i - start >= o->shift_length)
			for (int64 t = start; t < i; t++)
				pts[t].shift = true;
		start = i;
	}
	for (int64 i = s; i < e; i++)
	{
		SpcPoint *p = &pts[i];

		if (p->outside)
		{
			p->rule = RULE_OUTSIDE;
			p->dir = p->y > p->upper ? 1 : -1;
		}
		else if (p->trend)
		{
			p->rule = RULE_TREND;
			p->dir = p->trend_dir;
		}
		else if (p->two_in_three)
		{
			p->rule = RULE_TWO_IN_THREE;
			p->dir = p->side;
		}
		else if (p->shift)
		{
			p->rule = RULE_SHIFT;
			p->dir = p->side;
		}
	}
	pfree(close);
}

/* Every point of the chart with its segment, limits and rules. */
static SpcPoint *
analyse(const ValueList *vl, const SpcOptions *o, const char *fname)
{
	int64 n = vl->count;
	SpcPoint *pts = palloc_extended(Max(n, 1) * sizeof(SpcPoint),
									MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	int32 segment = 0;
	int64 s = 0;

	for (int64 i = 0; i < n; i++)
	{
		const float8 *it = VALUE_LIST_ITEM(vl, i);

		if (i == 0 || it[vl->width - 1] != 0.0)
			segment++;
		pts[i].period = it[0];
		pts[i].segment = segment;
		pts[i].y = is_ratio_chart(vl) ? it[1] / it[2] : it[1];
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (o->chart_type == SPC_P_PRIME && it[1] > it[2])
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("numerator of %s must be between 0 and the "
								   "denominator",
								   fname),
							errdetail("The numerator is %g.", it[1]),
							errhint("A p' chart is of proportions; use "
									"chart_type 'u_prime' for rates.")));
	}
	for (int64 i = 1; i <= n; i++)
	{
		int64 nb;

		if (i < n && pts[i].segment == pts[s].segment)
			continue;
		/* segment s .. i - 1 */
		nb = o->fix_after_n > 0 ? Min(o->fix_after_n, i - s) : i - s;
		if (o->chart_type == SPC_XMR)
			xmr_limits(pts, s, i, nb, o);
		else
			laney_limits(pts, vl, s, i, nb, o->chart_type);
		for (int64 t = s; t < i; t++)
			pts[t].trial = nb < SPC_TRIAL_POINTS;
		flag_rules(pts, s, i, o);
		s = i;
		CHECK_FOR_INTERRUPTS();
	}
	return pts;
}

static const char *
point_type(const SpcPoint *p, const SpcOptions *o)
{
	if (p->rule == RULE_NONE)
		return "common_cause";
	if (o->improvement == 0)
		return p->dir > 0 ? "special_cause_neutral_high"
						  : "special_cause_neutral_low";
	return p->dir * o->improvement > 0 ? "special_cause_improvement"
									   : "special_cause_concern";
}

/*
 * The chart argument, checked and in period order; NULL when it is NULL or
 * has no points.
 */
static ValueList *
chart_arg(FunctionCallInfo fcinfo, const char *fname)
{
	ValueList *vl;

	if (PG_ARGISNULL(0))
		return NULL;
	vl = PG_GETARG_VALUE_LIST(0);
	check_chart(vl, fname);
	if (vl->count == 0)
		return NULL;
	return sorted_chart(vl, fname);
}

/* period_date and period columns */
static void
set_period(Datum *values, bool *nulls, int i, const ValueList *vl,
		   float8 period)
{
	nulls[i] = nulls[i + 1] = true;
	if (vl->params[0] == SPC_PERIOD_DATE)
	{
		values[i] = DateADTGetDatum((DateADT) period);
		nulls[i] = false;
	}
	else
	{
		values[i + 1] = Int64GetDatum((int64) period);
		nulls[i + 1] = false;
	}
}

#define POINTS_COLUMNS 20

PG_FUNCTION_INFO_V1(spc_points);
Datum
spc_points(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ValueList *vl = chart_arg(fcinfo, "spc_points");
	SpcOptions o;
	SpcPoint *pts;

	InitMaterializedSRF(fcinfo, 0);
	if (vl == NULL)
		return (Datum) 0;
	read_options(fcinfo, vl, "spc_points", &o);
	pts = analyse(vl, &o, "spc_points");
	for (int64 i = 0; i < vl->count; i++)
	{
		const SpcPoint *p = &pts[i];
		Datum values[POINTS_COLUMNS];
		bool nulls[POINTS_COLUMNS] = {false};

		values[0] = Int32GetDatum((int32) (i + 1));
		set_period(values, nulls, 1, vl, p->period);
		values[3] = Int32GetDatum(p->segment);
		values[4] = Float8GetDatum(p->y);
		nulls[5] = !is_ratio_chart(vl);
		values[5] = Float8GetDatum(nulls[5] ? 0.0 : VALUE_LIST_ITEM(vl, i)[2]);
		values[6] = Float8GetDatum(p->centre);
		values[7] = Float8GetDatum(p->lower);
		values[8] = Float8GetDatum(p->upper);
		values[9] = Float8GetDatum(p->lower_near);
		values[10] = Float8GetDatum(p->upper_near);
		nulls[7] = nulls[8] = nulls[9] = nulls[10] = !p->has_limits;
		values[11] = Float8GetDatum(o.target);
		nulls[11] = !o.has_target;
		values[12] = BoolGetDatum(p->trial);
		values[13] = BoolGetDatum(p->outside);
		values[14] = BoolGetDatum(p->trend);
		values[15] = BoolGetDatum(p->two_in_three);
		values[16] = BoolGetDatum(p->shift);
		nulls[17] = p->rule == RULE_NONE;
		if (!nulls[17])
			values[17] = CStringGetTextDatum(rule_names[p->rule]);
		values[18] = Int16GetDatum(p->dir);
		values[19] = CStringGetTextDatum(point_type(p, &o));
		check_row_finite(rsinfo->setDesc, values, nulls, "spc_points");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

#define SUMMARY_COLUMNS 13

PG_FUNCTION_INFO_V1(spc_summary);
Datum
spc_summary(PG_FUNCTION_ARGS)
{
	ValueList *vl = chart_arg(fcinfo, "spc_summary");
	SpcOptions o;
	SpcPoint *pts;
	const SpcPoint *last;
	Datum values[SUMMARY_COLUMNS];
	bool nulls[SUMMARY_COLUMNS] = {false};
	int32 special = 0;
	const char *assurance = "none";

	if (vl == NULL)
		PG_RETURN_NULL();
	read_options(fcinfo, vl, "spc_summary", &o);
	pts = analyse(vl, &o, "spc_summary");
	last = &pts[vl->count - 1];
	for (int64 i = 0; i < vl->count; i++)
		special += pts[i].rule != RULE_NONE;
	/*
	 * Assurance: where the target lies against the last point's limits,
	 * read in the improvement direction (none without a target, a
	 * direction or limits).
	 */
	if (o.has_target && o.improvement != 0 && last->has_limits)
	{
		if (o.target > last->upper)
			assurance =
				o.improvement > 0 ? "consistent_fail" : "consistent_pass";
		else if (o.target < last->lower)
			assurance =
				o.improvement > 0 ? "consistent_pass" : "consistent_fail";
		else
			assurance = "hit_or_miss";
	}
	values[0] = Int32GetDatum((int32) vl->count);
	values[1] = Int32GetDatum(last->segment);
	set_period(values, nulls, 2, vl, last->period);
	values[4] = Float8GetDatum(last->y);
	values[5] = Float8GetDatum(last->centre);
	values[6] = Float8GetDatum(last->lower);
	values[7] = Float8GetDatum(last->upper);
	nulls[6] = nulls[7] = !last->has_limits;
	values[8] = BoolGetDatum(last->trial);
	nulls[9] = last->rule == RULE_NONE;
	if (!nulls[9])
		values[9] = CStringGetTextDatum(rule_names[last->rule]);
	values[10] = CStringGetTextDatum(point_type(last, &o));
	values[11] = Int32GetDatum(special);
	values[12] = CStringGetTextDatum(assurance);
	return composite_result(fcinfo, values, nulls);
}
