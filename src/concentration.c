/*-------------------------------------------------------------------------
 *
 * concentration.c
 *	  Cost concentration of person-level costs: the aggregates top_share,
 *	  gini and cost_profile, and the set-returning lorenz_curve.
 *
 * Every aggregate keeps all costs of its group in a value_list of width 1
 * (states.c): exact shares, Gini and percentiles need every value, and a
 * real state type lets parallel workers and Citus nodes ship partial
 * states as text. top_share keeps its fraction and gini(cost, bool) its
 * correction flag as the state's one parameter, so a group can only ever
 * be finished with one value of it.
 *
 * Aggregate rules (xaggr.sgml): update the state in place only under
 * AggCheckCallContext, otherwise copy it first; a combine function builds
 * a fresh state when the left one is NULL and never returns its right one.
 * Final functions never modify the state. Gini and cost_profile need the
 * costs in order: they read them in place when the state is sorted already
 * (after a parallel plan, whose combine step merges the workers' sorted
 * lists), else sort a copy. top_share does not: its state is marked
 * VALUE_LIST_ANY_ORDER (no sorting in the workers, no merging in the
 * leader) and its final function selects the costliest rows by radix
 * selection (top_share_select), sorting only the few values left at the
 * end. Totals and shares are exact sums (exact_sum.c), rounded once, so
 * they do not depend on the order of the costs: top_share and
 * cost_profile's shares give the same bits for the same costs, in any
 * plan. The executor shares one state between gini(cost) and
 * cost_profile(cost), and window aggregates call the final function again
 * as the frame grows.
 *
 * Definitions (README "Cost rollup and concentration"): x(1) <= ... <=
 * x(n) the ascending costs, T their total (exact, rounded once).
 *	 top_share(f): k = f n, m = floor(k); (sum of the m largest + (k - m)
 *		times the (m+1)-th largest) / T.
 *	 gini: sum((2i - n - 1) x(i)) / (n T); times n / (n - 1) if corrected.
 *	 percentiles: linear interpolation between order statistics at
 *		h = p (n - 1), as percentile_cont (Hyndman-Fan type 7).
 *	 Lorenz ordinate L(p): the ascending counterpart of top_share,
 *		L(p) = 1 - top_share(1 - p).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "exact_sum.h"
#include "float8_sort.h"
#include "results.h"
#include "value_list.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

/* Most points lorenz_curve draws (a chart needs far fewer). */
#define LORENZ_MAX_POINTS 100000

/* The columns of the cost_profile composite, in order. */
enum
{
	CP_PERSONS,
	CP_TOTAL,
	CP_MEAN,
	CP_MEDIAN,
	CP_P90,
	CP_P99,
	CP_MAX,
	CP_TOP1,
	CP_TOP5,
	CP_TOP20,
	CP_GINI,
	CP_NCOLUMNS
};

/* ----------------------------------------------------------------------
 * Compensated summation (Neumaier) for the Gini numerator, whose terms are
 * rounded products anyway and come in sorted order (totals and shares are
 * exact sums: exact_sum.c).
 * ----------------------------------------------------------------------
 */
typedef struct NeumaierSum
{
	double sum;
	double compensation;
} NeumaierSum;

static inline void
neumaier_add(NeumaierSum *s, double x)
{
	double t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->compensation += (s->sum - t) + x;
	else
		s->compensation += (x - t) + s->sum;
	s->sum = t;
}

static inline double
neumaier_result(const NeumaierSum *s)
{
	return s->sum + s->compensation;
}

/* ----------------------------------------------------------------------
 * Argument checks shared by the aggregates and lorenz_curve
 * ----------------------------------------------------------------------
 */
/*
 * The name to put in an error: the calling aggregate when the executor
 * tells us (one transition function serves gini and cost_profile), else
 * `fallback`. Looked up only on the way to an error.
 */
static const char *
caller_name(FunctionCallInfo fcinfo, const char *fallback)
{
	Aggref *aggref = fcinfo ? AggGetAggref(fcinfo) : NULL;
	char *name = aggref ? get_func_name(aggref->aggfnoid) : NULL;

	return name ? name : fallback;
}

static void
check_cost(float8 cost, FunctionCallInfo fcinfo, const char *fallback)
{
	const char *fname;

	if (likely(cost >= 0 && cost <= DBL_MAX))
		return;
	fname = caller_name(fcinfo, fallback);
	if (isnan(cost) || isinf(cost))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost must be a finite number"),
				 errdetail("%s received the cost %s.", fname,
						   float8out_internal(cost)),
				 errhint("Replace NaN and infinite costs, or filter them "
						 "out, before calling %s.",
						 fname)));
	if (cost < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost must not be negative"),
				 errdetail("%s received the cost %s.", fname,
						   float8out_internal(cost)),
				 errhint("Aggregate the records to one row per person "
						 "first (sum each person's costs, so refunds and "
						 "adjustments net out), then call %s on the person "
						 "totals.",
						 fname)));
}

static void
check_fraction(float8 fraction)
{
	if (!(fraction > 0 && fraction <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fraction must be greater than 0 and at most 1"),
				 errdetail("top_share received the fraction %s.",
						   float8out_internal(fraction)),
				 errhint("Give the share of people as a fraction, e.g. 0.2 "
						 "for the costliest 20%%.")));
}

/* ----------------------------------------------------------------------
 * Transition and combine functions
 * ----------------------------------------------------------------------
 */

/* A parameter as the user wrote it: gini's flag as a boolean. */
static const char *
param_text(const char *param_name, float8 param)
{
	if (strcmp(param_name, "sample_correction") == 0)
		return param != 0 ? "true" : "false";
	return float8out_internal(param);
}

/*
 * Add the cost in argument 1 to the state in argument 0. `param` is the
 * group's parameter named `param_name` (nparams 0 or 1), already validated
 * by the caller. A row whose cost or parameter is NULL is skipped, as a
 * strict transition function would skip it.
 */
static Datum
cost_list_add(FunctionCallInfo fcinfo, const char *aggname, int nparams,
			  const char *param_name, float8 param, uint8 flags)
{
	ValueList *vl = NULL;
	float8 cost;

	if (PG_ARGISNULL(1) || (nparams > 0 && PG_ARGISNULL(2)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cost = PG_GETARG_FLOAT8(1);
	check_cost(cost, fcinfo, aggname);
	if (cost == 0)
		cost = 0.0; /* store -0 as 0: one text form per value */
	if (value_list_append_fast(fcinfo, 1, nparams, &param, &cost))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));

	if (!PG_ARGISNULL(0))
	{
		vl = PG_GETARG_VALUE_LIST(0);
		value_list_check(vl, 1, nparams, aggname);
		if (nparams > 0 && vl->params[0] != param)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be the same for every row of a group",
							param_name),
					 errdetail("This row has %s %s; earlier rows of the group "
							   "have %s.",
							   param_name, param_text(param_name, param),
							   param_text(param_name, vl->params[0])),
					 errhint("Pass a constant, or group by the parameter.")));
	}
	return value_list_add(fcinfo, vl, 1, nparams, &param, 64, flags, &cost);
}

/* cost_values_trans(value_list, cost): gini(cost) and cost_profile(cost) */
PG_FUNCTION_INFO_V1(cost_values_trans);
Datum
cost_values_trans(PG_FUNCTION_ARGS)
{
	return cost_list_add(fcinfo, "gini or cost_profile", 0, NULL, 0.0, 0);
}

/* top_share_trans(value_list, cost, fraction) */
PG_FUNCTION_INFO_V1(top_share_trans);
Datum
top_share_trans(PG_FUNCTION_ARGS)
{
	float8 fraction = PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2);

	if (!PG_ARGISNULL(2) && !PG_ARGISNULL(1))
		check_fraction(fraction);
	/* top_share selects its rows: any order of the costs will do */
	return cost_list_add(fcinfo, "top_share", 1, "fraction", fraction,
						 VALUE_LIST_ANY_ORDER);
}

/* gini_trans(value_list, cost, sample_correction) */
PG_FUNCTION_INFO_V1(gini_trans);
Datum
gini_trans(PG_FUNCTION_ARGS)
{
	float8 correction = (!PG_ARGISNULL(2) && PG_GETARG_BOOL(2)) ? 1.0 : 0.0;

	return cost_list_add(fcinfo, "gini", 1, "sample_correction", correction,
						 0);
}

/*
 * concentration_combine(value_list, value_list): the combine function of
 * every aggregate here. value_list_combine refuses states of different
 * widths or parameters (e.g. top_share with two fractions).
 */
PG_FUNCTION_INFO_V1(concentration_combine);
Datum
concentration_combine(PG_FUNCTION_ARGS)
{
	return value_list_combine(fcinfo, 1, -1, "a concentration aggregate");
}

/* ----------------------------------------------------------------------
 * Final functions: plain C on a sorted copy of the costs
 * ----------------------------------------------------------------------
 */

/* Error 22023 for a state read back from text holding a negative cost. */
static pg_attribute_noreturn() void negative_cost_in_state(float8 cost,
														   const char *aggname)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("value_list state holds a negative cost"),
			 errdetail("%s found the cost %s in its state.", aggname,
					   float8out_internal(cost)),
			 errhint("Build states with value_ext's aggregates only.")));
}

/*
 * The costs of vl in ascending order (value_list_sorted_values: the state's
 * own items when it is sorted already, else a sorted copy, which *copied
 * says to free; the state itself is never changed). States read back from
 * text are checked here too: value_list_in accepts any finite value, but a
 * cost must not be negative.
 */
static const float8 *
sorted_costs(const ValueList *vl, const char *aggname, bool *copied)
{
	const float8 *costs = value_list_sorted_values(vl, copied);

	if (vl->count > 0 && costs[0] < 0)
		negative_cost_in_state(costs[0], aggname);
	return costs;
}

/* An exact sum as a double, or error 22003 when it is out of range. */
static double
sum_result(const ExactSum *s, int64 n, const char *what)
{
	double result = exact_sum_result(s);

	if (!isfinite(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("total cost is out of range for type double "
						"precision"),
				 errdetail("The %s holds " INT64_FORMAT " costs.", what, n)));
	return result;
}

/* Total of n costs, in any order (exact, rounded once). */
static double
total_of(const float8 *costs, int64 n)
{
	ExactSum s;

	exact_sum_init(&s);
	for (int64 i = 0; i < n; i++)
	{
		exact_sum_add(&s, costs[i]);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return sum_result(&s, n, "group");
}

/*
 * The top-share numerator for fraction f of n costs: with k = f n and
 * m = floor(k), the m largest costs plus (k - m) times the (m+1)-th largest
 * (rounded product). `s` holds the exact sum of the top costs already
 * added; `next` is the (m+1)-th largest, when m < n.
 */
static double
top_sum_result(ExactSum *s, int64 n, double k, int64 m, float8 next)
{
	if (m < n && k > (double) m)
		exact_sum_add(s, (k - (double) m) * next);
	return exact_sum_result(s);
}

/* k = f n and m = floor(k), at most n */
static int64
top_count(double fraction, int64 n, double *k)
{
	int64 m;

	*k = fraction * (double) n;
	m = (int64) floor(*k);
	/* fraction <= 1, so only rounding could take m past n */
	return Min(m, n);
}

/* Share of `total` (> 0) held by the costliest fraction of n ascending costs. */
static double
top_share_of(const float8 *costs, int64 n, double fraction, double total)
{
	double k;
	int64 m = top_count(fraction, n, &k);
	ExactSum s;

	exact_sum_init(&s);
	for (int64 i = n - m; i < n; i++)
	{
		exact_sum_add(&s, costs[i]);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return top_sum_result(&s, n, k, m, m < n ? costs[n - 1 - m] : 0) / total;
}

/*
 * Below this many costs, top_share sorts a copy: selection's histograms
 * would cost more than the sort.
 */
#define SELECT_MIN_COSTS 2048
/* Selection narrows the candidates 11 bits at a time... */
#define SELECT_DIGIT_BITS 11
#define SELECT_BUCKETS (1 << SELECT_DIGIT_BITS)
/* ...and sorts them once this few are left. */
#define SELECT_SORT_MAX 64

/* The exact sum of mantissas of one exponent field: a 128-bit integer. */
typedef struct UnitSum
{
	uint64 lo;
	uint64 hi;
} UnitSum;

static inline void
unit_sum_add(UnitSum *s, uint64 m)
{
	s->lo += m;
	s->hi += (s->lo < m);
}

/*
 * The order key of a non-negative cost (its bits without the sign: the
 * exponent field, then the mantissa), and its mantissa with the hidden bit.
 */
static inline uint64
cost_key(float8 x, uint64 *mantissa)
{
	uint64 u;

	memcpy(&u, &x, sizeof(u));
	/* the mantissa as exact_sum_split reads it, straight from the bits */
	*mantissa = (u & UINT64CONST(0xFFFFFFFFFFFFF)) |
				((uint64) ((u & UINT64CONST(0x7FF0000000000000)) != 0) << 52);
	return u & ~(UINT64CONST(1) << 63);
}

/*
 * top_share of n costs in any order, without sorting them all (the state
 * of top_share is never sorted). An MSD radix selection that keeps sums,
 * 11 bits of the cost's key at a time (its bits without the sign: first
 * the exponent field, then the mantissa from the top). Each level counts
 * the candidates by digit and adds up each digit's mantissas as a 128-bit
 * integer (exact, and cheaper than an ExactSum per cost; within a bucket
 * every mantissa has the same scale). The counts show which bucket holds
 * the (m+1)-th largest cost: the buckets above it go to the top sum whole,
 * and its own costs are the next level's candidates, until a few are left
 * to sort. The first level reads every cost, so it also takes the total
 * and looks for negative costs. Exact sums make the result the one
 * top_share_of gives for the same costs sorted. Sets *total; the share is
 * meaningless when it is 0.
 */
static double
top_share_select(const float8 *costs, int64 n, double fraction, double *total)
{
	uint32 *counts = palloc(SELECT_BUCKETS * sizeof(uint32));
	UnitSum *sums = palloc(SELECT_BUCKETS * sizeof(UnitSum));
	ExactSum top;
	double k;
	int64 m = top_count(fraction, n, &k);
	int64 need = m; /* how many of the candidates belong to the top */
	const float8 *from = costs;
	float8 *cand = NULL; /* the candidates after the first level */
	int64 ncand = n;
	int field = 0; /* their exponent field, all the same */
	int low = 63;  /* key bits not yet looked at */
	double share;

	Assert(n >= 1 && n < (int64) PG_UINT32_MAX);
	exact_sum_init(&top);
	do
	{
		bool first = (cand == NULL);
		int width = Min(SELECT_DIGIT_BITS, low);
		int shift = low - width;
		uint64 mask = (UINT64CONST(1) << width) - 1;
		bool negative = false;
		int bucket;
		int64 j = 0;

		memset(counts, 0, (mask + 1) * sizeof(uint32));
		memset(sums, 0, (mask + 1) * sizeof(UnitSum));
		for (int64 i = 0; i < ncand; i++)
		{
			uint64 mantissa;
			uint64 key = cost_key(from[i], &mantissa);
			int d = (int) ((key >> shift) & mask);

			negative |= (from[i] < 0);
			counts[d]++;
			unit_sum_add(&sums[d], mantissa);
			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}

		if (first)
		{
			ExactSum all;

			/* the first level's buckets are the exponent fields */
			if (negative)
				for (int64 i = 0; i < n; i++)
					if (costs[i] < 0)
						negative_cost_in_state(costs[i], "top_share");
			/* value_list_in and _recv take finite values only */
			Assert(counts[0x7FF] == 0);
			exact_sum_init(&all);
			for (int e = 0; e < 0x7FF; e++)
				if (counts[e] > 0)
					exact_sum_add_units(&all, sums[e].lo, sums[e].hi,
										Max(e, 1));
			*total = sum_result(&all, n, "group");
			if (*total == 0 || m == n)
			{
				/* nobody costs anything, or the top share is everything */
				pfree(counts);
				pfree(sums);
				return *total == 0 ? 0 : 1;
			}
		}

		/* the bucket of the (need+1)-th largest; those above are in */
		for (bucket = (int) mask; counts[bucket] <= need; bucket--)
		{
			need -= counts[bucket];
			if (counts[bucket] > 0)
				exact_sum_add_units(&top, sums[bucket].lo, sums[bucket].hi,
									Max(first ? bucket : field, 1));
		}
		if (first)
		{
			field = bucket;
			/* one slot more: the branch-free loop writes one past the last */
			cand = palloc_extended((counts[bucket] + 1) * sizeof(float8),
								   MCXT_ALLOC_HUGE);
		}
		/* keep the bucket's costs (in place after the first level: j <= i) */
		for (int64 i = 0; i < ncand; i++)
		{
			uint64 mantissa;
			uint64 key = cost_key(from[i], &mantissa);

			cand[j] = from[i];
			j += ((int) ((key >> shift) & mask) == bucket);
			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		Assert(j == counts[bucket]);
		from = cand;
		ncand = j;
		low = shift;
	} while (ncand > SELECT_SORT_MAX && low > 0);
	Assert(need < ncand);

	/* the `need` largest candidates join the top; the next is next */
	sort_float8(cand, ncand);
	for (int64 i = ncand - need; i < ncand; i++)
		exact_sum_add(&top, cand[i]);
	share = top_sum_result(&top, n, k, m, cand[ncand - 1 - need]) / *total;
	pfree(cand);
	pfree(counts);
	pfree(sums);
	return share;
}

/*
 * The Gini numerator sum((2i - n - 1) x(i)) of n ascending costs, each
 * cost multiplied by `scale` (a power of two, so exact unless it underflows).
 */
static double
gini_numerator(const float8 *costs, int64 n, double scale)
{
	NeumaierSum s = {0, 0};

	for (int64 i = 0; i < n; i++)
	{
		/* 2i - n - 1 with i counted from 1: exact in a double */
		neumaier_add(&s, (double) (2 * i + 1 - n) * (costs[i] * scale));
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return neumaier_result(&s);
}

/*
 * Population Gini of n ascending costs with a finite total > 0. Near the
 * top of the double range the numerator or n T overflows although the
 * ratio is in [0, 1); the Gini does not change when every cost is scaled,
 * so that case is computed again with the costs scaled by a power of two
 * that puts the largest below 1 (costs more than 2^1000 times smaller than
 * the largest then lose bits, which cannot move the result).
 */
static double
gini_of(const float8 *costs, int64 n, double total)
{
	double result = gini_numerator(costs, n, 1.0) / ((double) n * total);
	double scale;

	if (likely(isfinite(result)))
		return result;
	scale = ldexp(1.0, -(ilogb(costs[n - 1]) + 1));
	return gini_numerator(costs, n, scale) / ((double) n * (total * scale));
}

/*
 * Percentile p of n >= 1 ascending costs, interpolating as
 * percentile_cont does (same arithmetic, so the results are equal).
 */
static double
percentile_of(const float8 *costs, int64 n, double p)
{
	double h = p * (double) (n - 1);
	int64 lo = (int64) floor(h);
	int64 hi = (int64) ceil(h);

	if (lo == hi)
		return costs[lo];
	return costs[lo] + (h - (double) lo) * (costs[hi] - costs[lo]);
}

/* top_share_final(value_list) */
PG_FUNCTION_INFO_V1(top_share_final);
Datum
top_share_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	int64 n = vl->count;
	double total;
	double result;

	value_list_check(vl, 1, 1, "top_share");
	check_fraction(vl->params[0]);
	if (n == 0)
		PG_RETURN_NULL();
	if ((vl->flags & VALUE_LIST_SORTED) || n < SELECT_MIN_COSTS)
	{
		bool copied;
		const float8 *costs = sorted_costs(vl, "top_share", &copied);

		total = total_of(costs, n);
		result = total == 0 ? 0 : top_share_of(costs, n, vl->params[0], total);
		if (copied)
			pfree(unconstify(float8 *, costs));
	}
	else
		result = top_share_select(vl->items, n, vl->params[0], &total);
	if (total == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* Gini of a state's costs, or false (NULL result) when undefined. */
static bool
state_gini(const ValueList *vl, bool sample_correction, double *result)
{
	int64 n = vl->count;
	const float8 *costs;
	bool copied;
	double total;

	if (n == 0 || (sample_correction && n == 1))
		return false;
	costs = sorted_costs(vl, "gini", &copied);
	total = total_of(costs, n);
	if (total != 0)
	{
		*result = gini_of(costs, n, total);
		if (sample_correction)
			*result *= (double) n / (double) (n - 1);
	}
	if (copied)
		pfree(unconstify(float8 *, costs));
	return total != 0;
}

/* gini_final(value_list): the population form, state of gini(cost) */
PG_FUNCTION_INFO_V1(gini_final);
Datum
gini_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	double result;

	value_list_check(vl, 1, 0, "gini");
	if (!state_gini(vl, false, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* gini_correction_final(value_list): state of gini(cost, correction) */
PG_FUNCTION_INFO_V1(gini_correction_final);
Datum
gini_correction_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	double result;

	value_list_check(vl, 1, 1, "gini");
	if (vl->params[0] != 0 && vl->params[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value_list state does not belong to gini"),
				 errdetail("The correction parameter is %s; gini stores 0 "
						   "or 1.",
						   float8out_internal(vl->params[0]))));
	if (!state_gini(vl, vl->params[0] == 1, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* cost_profile_final(value_list) -> cost_profile */
PG_FUNCTION_INFO_V1(cost_profile_final);
Datum
cost_profile_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	int64 n = vl->count;
	TupleDesc tupdesc;
	Datum values[CP_NCOLUMNS];
	bool nulls[CP_NCOLUMNS];
	const float8 *costs;
	bool copied;
	double total;

	value_list_check(vl, 1, 0, "cost_profile");
	if (n == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != CP_NCOLUMNS)
		elog(ERROR, "cost_profile_final must return the cost_profile type");
	tupdesc = BlessTupleDesc(tupdesc);

	costs = sorted_costs(vl, "cost_profile", &copied);
	total = total_of(costs, n);
	memset(nulls, 0, sizeof(nulls));
	values[CP_PERSONS] = Int64GetDatum(n);
	values[CP_TOTAL] = Float8GetDatum(total);
	values[CP_MEAN] = Float8GetDatum(total / (double) n);
	values[CP_MEDIAN] = Float8GetDatum(percentile_of(costs, n, 0.5));
	values[CP_P90] = Float8GetDatum(percentile_of(costs, n, 0.9));
	values[CP_P99] = Float8GetDatum(percentile_of(costs, n, 0.99));
	values[CP_MAX] = Float8GetDatum(costs[n - 1]);
	if (total == 0)
	{
		/* shares and Gini are undefined when nobody costs anything */
		nulls[CP_TOP1] = nulls[CP_TOP5] = nulls[CP_TOP20] = true;
		nulls[CP_GINI] = true;
		values[CP_TOP1] = values[CP_TOP5] = values[CP_TOP20] = (Datum) 0;
		values[CP_GINI] = (Datum) 0;
	}
	else
	{
		values[CP_TOP1] = Float8GetDatum(top_share_of(costs, n, 0.01, total));
		values[CP_TOP5] = Float8GetDatum(top_share_of(costs, n, 0.05, total));
		values[CP_TOP20] = Float8GetDatum(top_share_of(costs, n, 0.2, total));
		values[CP_GINI] = Float8GetDatum(gini_of(costs, n, total));
	}
	if (copied)
		pfree(unconstify(float8 *, costs));
	check_row_finite(tupdesc, values, nulls, "cost_profile");
	PG_RETURN_DATUM(
		HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ----------------------------------------------------------------------
 * lorenz_curve(costs float8[], points integer)
 *	  -> TABLE(population_share float8, cost_share float8)
 * ----------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(lorenz_curve);
Datum
lorenz_curve(PG_FUNCTION_ARGS)
{
	ArrayType *array = PG_GETARG_ARRAYTYPE_P(0);
	int32 points = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum *elems;
	bool *elem_nulls;
	int nelems;
	float8 *costs;
	int64 n = 0;
	double total;
	ExactSum below;
	int64 summed = 0;

	if (points < 1 || points > LORENZ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 1 and %d", LORENZ_MAX_POINTS),
				 errdetail("lorenz_curve received points = %d.", points),
				 errhint("Use 10 for deciles, 20 for 5%% steps, 100 for "
						 "percentiles.")));

	InitMaterializedSRF(fcinfo, 0);

	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &elem_nulls, &nelems);
	costs = palloc_extended(Max(nelems, 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	for (int i = 0; i < nelems; i++)
	{
		if (elem_nulls[i])
			continue;
		costs[n] = DatumGetFloat8(elems[i]);
		check_cost(costs[n], NULL, "lorenz_curve");
		n++;
	}
	if (n == 0)
		return (Datum) 0; /* nothing to share: no rows */
	sort_float8(costs, n);

	exact_sum_init(&below);
	for (int64 i = 0; i < n; i++)
		exact_sum_add(&below, costs[i]);
	total = sum_result(&below, n, "array");
	if (total == 0)
		return (Datum) 0;

	/* ordinates: exact sums of the smallest costs up to each point */
	exact_sum_init(&below);
	for (int j = 0; j <= points; j++)
	{
		Datum values[2];
		bool nulls[2] = {false, false};
		/* k = j n / points: j n is exact, one rounding in the division */
		double k = ((double) j * (double) n) / (double) points;
		int64 m = (int64) floor(k);
		double share;

		if (m > n)
			m = n;
		while (summed < m)
			exact_sum_add(&below, costs[summed++]);
		if (m < n && k > (double) m)
		{
			/* the pro-rata person, added for this point only */
			double part = (k - (double) m) * costs[m];

			exact_sum_add(&below, part);
			share = exact_sum_result(&below);
			exact_sum_sub(&below, part);
		}
		else
			share = exact_sum_result(&below);
		values[0] = Float8GetDatum((double) j / (double) points);
		values[1] = Float8GetDatum(share / total);
		check_row_finite(rsinfo->setDesc, values, nulls, "lorenz_curve");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
		CHECK_FOR_INTERRUPTS();
	}
	pfree(costs);
	return (Datum) 0;
}
