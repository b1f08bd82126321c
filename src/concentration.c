/*-------------------------------------------------------------------------
 *
 * concentration.c
 *	  Cost concentration of person-level costs: the aggregates top_share,
 *	  gini and cost_profile, the set-returning lorenz_curve, and their
 *	  stored-state forms: the aggregate value_list_agg, which returns the
 *	  state itself (from costs, or merging stored states), and the finals
 *	  top_share, gini, cost_profile and lorenz_curve over such a state.
 *
 * Every aggregate keeps all costs of its group in a value_list of width 1
 * (value_list.c): exact shares, Gini and percentiles need every value, and a
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
 * Stored states (README "Rollups from stored states"): value_list_agg
 * keeps the kind of state gini(cost) and cost_profile(cost) keep (width 1,
 * no parameter), marked VALUE_LIST_ANY_ORDER so that costs and merged
 * states are appended as they come (merging k sorted states pairwise would
 * cost k times their size), and its final function returns a sorted flat
 * copy, so the same costs always give the same text. A stored state is
 * that flat datum, marked VALUE_LIST_SORTED, and is read in place; one
 * read back from text (a dump) is marked again by value_list_in, which
 * checks the order. The finals never rely on the marks being there: a
 * state in any order (typed by hand) is sorted in a copy (sorted_costs), or
 * selected from (top_share), as the aggregates' own states are. The finals
 * are the aggregates' final code on the same sorted costs, and the
 * aggregates' results do not depend on the order of the costs, so a final over value_list_agg(cost) gives the
 * same bits as the aggregate over the same costs, however the states were
 * merged. The fraction and the correction flag are arguments of the
 * finals, not parameters of the state: one stored state serves every one.
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
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "concentration.h"

#include "exact_sum.h"
#include "float8_sort.h"
#include "results.h"
#include "value_list.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/float.h"
#include "utils/tuplestore.h"


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
 * Error 22023 unless the cost is finite and not negative. `aggname` names
 * the function (the aggregates a transition function serves, resolved by
 * value_list_aggregate_name when fcinfo is given), on the error path only.
 */
static void
check_cost(float8 cost, FunctionCallInfo fcinfo, const char *aggname)
{
	if (unlikely(!(cost >= 0 && cost <= DBL_MAX)))
		reject_cost(cost, fcinfo ? value_list_aggregate_name(fcinfo, aggname)
								 : aggname);
}

void
check_top_share_fraction(float8 fraction)
{
	if (!(fraction > 0 && fraction <= 1))
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("fraction of top_share must be between 0 and 1"),
			 errdetail("The fraction is %s.", float8out_internal(fraction)),
			 errhint("Give the share of people as a fraction above 0 and "
					 "at most 1, e.g. 0.2 for the costliest 20%%.")));
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
 * Error 22023: the parameter `param_name` of `aggname` was `started` for
 * the group (or the first state combined) and is `now` for this row (or
 * the second state).
 */
static pg_attribute_noreturn() void param_changed(const char *aggname,
												  const char *param_name,
												  float8 started, float8 now)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s of %s must be the same for every row of a group",
					param_name, aggname),
			 errdetail("The group started with %s and now has %s.",
					   param_text(param_name, started),
					   param_text(param_name, now)),
			 errhint("Pass a constant, or group by %s.", param_name)));
}

/*
 * concentration_combine's parameter error, the one the transition function
 * gives: top_share's fraction or gini's flag, told apart by the aggregate
 * (unknown when the combine function is called directly: the caller then
 * raises its general error).
 */
static void
concentration_params_error(FunctionCallInfo fcinfo, const float8 *started,
						   const float8 *now)
{
	const char *aggname = value_list_aggregate_name(fcinfo, NULL);

	if (aggname != NULL && strcmp(aggname, "top_share") == 0)
		param_changed(aggname, "fraction", started[0], now[0]);
	if (aggname != NULL && strcmp(aggname, "gini") == 0)
		param_changed(aggname, "sample_correction", started[0], now[0]);
}

/*
 * Add the cost in argument 1 to the state in argument 0. `param` is the
 * group's parameter named `param_name` (nparams 0 or 1), already validated
 * by the caller; `aggname` the aggregates served (value_list_aggregate_name
 * picks the one called, on the error path). A row whose cost or parameter
 * is NULL is skipped, as a strict transition function would skip it.
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
		if (unlikely(!value_list_has_shape(vl, 1, nparams)))
			value_list_check_failed(
				vl, 1, nparams, value_list_aggregate_name(fcinfo, aggname));
		if (nparams > 0 && vl->params[0] != param)
			param_changed(value_list_aggregate_name(fcinfo, aggname),
						  param_name, vl->params[0], param);
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

/* value_list_agg_trans(value_list, cost): value_list_agg(cost) */
PG_FUNCTION_INFO_V1(value_list_agg_trans);
Datum
value_list_agg_trans(PG_FUNCTION_ARGS)
{
	/* the final function sorts once: no sorting before */
	return cost_list_add(fcinfo, "value_list_agg", 0, NULL, 0.0,
						 VALUE_LIST_ANY_ORDER);
}

/* top_share_trans(value_list, cost, fraction) */
PG_FUNCTION_INFO_V1(top_share_trans);
Datum
top_share_trans(PG_FUNCTION_ARGS)
{
	float8 fraction = PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2);

	if (!PG_ARGISNULL(2) && !PG_ARGISNULL(1))
		check_top_share_fraction(fraction);
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
 * every aggregate here. value_list_combine_params refuses states of
 * different widths or parameters (e.g. top_share with two fractions).
 */
PG_FUNCTION_INFO_V1(concentration_combine);
Datum
concentration_combine(PG_FUNCTION_ARGS)
{
	return value_list_combine_params(fcinfo, 1, -1,
									 "top_share, gini or cost_profile",
									 concentration_params_error);
}

/*
 * value_list_agg_combine(value_list, value_list): the combine function of
 * both value_list_agg aggregates and the transition function of
 * value_list_agg(value_list), whose rows are states: merging a stored
 * state into the group's is what combining a partial one does. Only plain
 * cost states (width 1, no parameter) are accepted. value_list_agg's
 * states are VALUE_LIST_ANY_ORDER: costs and states are appended as they
 * come, and value_list_agg_final sorts them once.
 */
PG_FUNCTION_INFO_V1(value_list_agg_combine);
Datum
value_list_agg_combine(PG_FUNCTION_ARGS)
{
	/* appended: merging k sorted states pairwise would cost k times more */
	return value_list_combine_any_order(fcinfo, 1, 0, "value_list_agg");
}

/* ----------------------------------------------------------------------
 * Final functions: plain C on a sorted copy of the costs
 * ----------------------------------------------------------------------
 */

/* Error 22023 for a state read back from text holding a negative cost. */
static pg_attribute_noreturn() void negative_cost_in_state(float8 cost,
														   const char *aggname)
{
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid state for %s", aggname),
					errdetail("The state holds the negative cost %s.",
							  float8out_internal(cost)),
					errhint("Pass only states made by %s itself.", aggname)));
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

/* An exact sum as a double, or error 22003 naming fname when out of range. */
static double
sum_result(const ExactSum *s, const char *fname)
{
	double result = exact_sum_result(s);

	check_result_finite(result, "total cost", fname);
	return result;
}

/* Total of n costs, in any order (exact, rounded once). */
static double
total_of(const float8 *costs, int64 n, const char *fname)
{
	ExactSum s;

	exact_sum_init(&s);
	for (int64 i = 0; i < n; i++)
	{
		exact_sum_add(&s, costs[i]);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return sum_result(&s, fname);
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
 * One level of top_share's selection: the candidates counted by one digit
 * of their key (bits shift .. shift + width - 1), and the exact sum of
 * their mantissas per digit.
 */
typedef struct SelectLevel
{
	uint32 *counts; /* SELECT_BUCKETS: candidates per digit */
	UnitSum *sums;  /* SELECT_BUCKETS: their mantissas' sum per digit */
	int shift;
	uint64 mask; /* (1 << width) - 1 */
} SelectLevel;

/*
 * Count and sum the n candidates in `from` by digit. Returns whether any
 * is negative (only a state read back from text can hold one).
 */
static bool
select_histogram(SelectLevel *level, const float8 *from, int64 n)
{
	/* locals: stores to counts[] could alias the struct's fields */
	uint32 *counts = level->counts;
	UnitSum *sums = level->sums;
	int shift = level->shift;
	uint64 mask = level->mask;
	bool negative = false;

	memset(counts, 0, (mask + 1) * sizeof(uint32));
	memset(sums, 0, (mask + 1) * sizeof(UnitSum));
	for (int64 i = 0; i < n; i++)
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
	return negative;
}

/*
 * The first level reads every cost and its buckets are the exponent
 * fields: refuse a negative cost, and return the exact total.
 */
static double
select_total(const SelectLevel *level, const float8 *costs, int64 n,
			 bool negative)
{
	ExactSum all;

	if (negative)
		for (int64 i = 0; i < n; i++)
			if (costs[i] < 0)
				negative_cost_in_state(costs[i], "top_share");
	/* value_list_in and _recv take finite values only */
	Assert(level->counts[0x7FF] == 0);
	exact_sum_init(&all);
	for (int e = 0; e < 0x7FF; e++)
		if (level->counts[e] > 0)
			exact_sum_add_units(&all, level->sums[e].lo, level->sums[e].hi,
								Max(e, 1));
	return sum_result(&all, "top_share");
}

/*
 * The bucket holding the (*need + 1)-th largest candidate. The buckets
 * above it join the top sum whole and leave *need; their mantissas are
 * scaled by `field`, the candidates' exponent field, or at the first level
 * (field < 0) by the bucket's own, the buckets being the exponent fields.
 */
static int
select_bucket(const SelectLevel *level, int64 *need, ExactSum *top, int field)
{
	int bucket;

	for (bucket = (int) level->mask; level->counts[bucket] <= *need; bucket--)
	{
		*need -= level->counts[bucket];
		if (level->counts[bucket] > 0)
			exact_sum_add_units(top, level->sums[bucket].lo,
								level->sums[bucket].hi,
								Max(field < 0 ? bucket : field, 1));
	}
	return bucket;
}

/*
 * Keep the n candidates of `from` whose digit is `bucket` in `cand`, in
 * order, and return how many (in place when cand is from: j <= i).
 * Branch-free: cand needs one slot more than it keeps.
 */
static int64
select_keep(const SelectLevel *level, const float8 *from, int64 n, int bucket,
			float8 *cand)
{
	int shift = level->shift;
	uint64 mask = level->mask;
	int64 j = 0;

	for (int64 i = 0; i < n; i++)
	{
		uint64 mantissa;
		uint64 key = cost_key(from[i], &mantissa);

		cand[j] = from[i];
		j += ((int) ((key >> shift) & mask) == bucket);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	Assert(j == level->counts[bucket]);
	return j;
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
	SelectLevel level;
	ExactSum top;
	double k;
	int64 m = top_count(fraction, n, &k);
	int64 need = m; /* how many of the candidates belong to the top */
	const float8 *from = costs;
	float8 *cand = NULL; /* the candidates after the first level */
	int64 ncand = n;
	int field = -1; /* their exponent field, all the same, once known */
	int low = 63;   /* key bits not yet looked at */
	double share;

	Assert(n >= 1 && n < (int64) PG_UINT32_MAX);
	level.counts = palloc(SELECT_BUCKETS * sizeof(uint32));
	level.sums = palloc(SELECT_BUCKETS * sizeof(UnitSum));
	exact_sum_init(&top);
	do
	{
		int width = Min(SELECT_DIGIT_BITS, low);
		bool negative;
		int bucket;

		level.shift = low - width;
		level.mask = (UINT64CONST(1) << width) - 1;
		negative = select_histogram(&level, from, ncand);
		if (cand == NULL)
		{
			*total = select_total(&level, costs, n, negative);
			if (*total == 0 || m == n)
			{
				/* nobody costs anything, or the top share is everything */
				pfree(level.counts);
				pfree(level.sums);
				return *total == 0 ? 0 : 1;
			}
		}
		bucket = select_bucket(&level, &need, &top, field);
		if (cand == NULL)
		{
			field = bucket;
			cand = palloc_extended((level.counts[bucket] + 1) * sizeof(float8),
								   MCXT_ALLOC_HUGE);
		}
		ncand = select_keep(&level, from, ncand, bucket, cand);
		from = cand;
		low = level.shift;
	} while (ncand > SELECT_SORT_MAX && low > 0);
	Assert(need < ncand);

	/* the `need` largest candidates join the top; the next is next */
	sort_float8(cand, ncand);
	for (int64 i = ncand - need; i < ncand; i++)
		exact_sum_add(&top, cand[i]);
	share = top_sum_result(&top, n, k, m, cand[ncand - 1 - need]) / *total;
	pfree(cand);
	pfree(level.counts);
	pfree(level.sums);
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

/*
 * top_share of a state's costs for `fraction` (checked by the caller), or
 * false (NULL result) for no costs or a zero total.
 */
static bool
state_top_share(const ValueList *vl, double fraction, double *result)
{
	int64 n = vl->count;
	double total;

	if (n == 0)
		return false;
	if ((vl->flags & VALUE_LIST_SORTED) || n < SELECT_MIN_COSTS)
	{
		bool copied;
		const float8 *costs = sorted_costs(vl, "top_share", &copied);

		total = total_of(costs, n, "top_share");
		*result = total == 0 ? 0 : top_share_of(costs, n, fraction, total);
		if (copied)
			pfree(unconstify(float8 *, costs));
	}
	else
		*result = top_share_select(vl->items, n, fraction, &total);
	return total != 0;
}

/* top_share_final(value_list) */
PG_FUNCTION_INFO_V1(top_share_final);
Datum
top_share_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	double result;

	value_list_check(vl, 1, 1, "top_share");
	check_top_share_fraction(vl->params[0]);
	if (!state_top_share(vl, vl->params[0], &result))
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
	total = total_of(costs, n, "gini");
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
				 errmsg("invalid state for gini"),
				 errdetail("The state's sample_correction is %s; gini stores "
						   "0 or 1.",
						   float8out_internal(vl->params[0])),
				 errhint("Pass only states made by gini itself.")));
	if (!state_gini(vl, vl->params[0] == 1, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* The cost_profile composite of a state's costs (NULL for none). */
static Datum
state_cost_profile(FunctionCallInfo fcinfo, const ValueList *vl)
{
	int64 n = vl->count;
	Datum values[CP_NCOLUMNS];
	bool nulls[CP_NCOLUMNS];
	const float8 *costs;
	bool copied;
	double total;

	if (n == 0)
		PG_RETURN_NULL();

	costs = sorted_costs(vl, "cost_profile", &copied);
	total = total_of(costs, n, "cost_profile");
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
	return composite_result(fcinfo, values, nulls);
}

/* cost_profile_final(value_list) -> cost_profile */
PG_FUNCTION_INFO_V1(cost_profile_final);
Datum
cost_profile_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);

	value_list_check(vl, 1, 0, "cost_profile");
	return state_cost_profile(fcinfo, vl);
}

/* ----------------------------------------------------------------------
 * lorenz_curve(costs float8[], points integer)
 *	  -> TABLE(population_share float8, cost_share float8)
 * ----------------------------------------------------------------------
 */

/* The non-NULL costs of the array, checked, in a new array of *n. */
static float8 *
array_costs(ArrayType *array, int64 *n)
{
	Datum *elems;
	bool *elem_nulls;
	int nelems;
	float8 *costs;

	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &elem_nulls, &nelems);
	costs = palloc_extended(Max(nelems, 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	*n = 0;
	for (int i = 0; i < nelems; i++)
	{
		if (elem_nulls[i])
			continue;
		costs[*n] = DatumGetFloat8(elems[i]);
		check_cost(costs[*n], NULL, "lorenz_curve");
		(*n)++;
	}
	return costs;
}

/*
 * The points + 1 rows of the curve of n ascending costs with total > 0:
 * the ordinates are exact sums of the smallest costs up to each point.
 */
static void
lorenz_rows(ReturnSetInfo *rsinfo, const float8 *costs, int64 n, double total,
			int32 points)
{
	ExactSum below;
	int64 summed = 0;

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
}

void
check_lorenz_points(int32 points)
{
	if (points < 1 || points > LORENZ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points of lorenz_curve must be between 1 and %d",
						LORENZ_MAX_POINTS),
				 errdetail("The points is %d.", points),
				 errhint("Use 10 for deciles, 20 for 5%% steps, 100 for "
						 "percentiles.")));
}

PG_FUNCTION_INFO_V1(lorenz_curve);
Datum
lorenz_curve(PG_FUNCTION_ARGS)
{
	ArrayType *array = PG_GETARG_ARRAYTYPE_P(0);
	int32 points = PG_GETARG_INT32(1);
	float8 *costs;
	int64 n;
	double total;

	check_lorenz_points(points);
	InitMaterializedSRF(fcinfo, 0);
	costs = array_costs(array, &n);
	if (n == 0)
		return (Datum) 0; /* nothing to share: no rows */
	sort_float8(costs, n);
	total = total_of(costs, n, "lorenz_curve");
	if (total != 0)
		lorenz_rows((ReturnSetInfo *) fcinfo->resultinfo, costs, n, total,
					points);
	pfree(costs);
	return (Datum) 0;
}

/* ----------------------------------------------------------------------
 * Stored states: value_list_agg's final function, and the finals over a
 * state (a cost state of width 1 without parameters, made by
 * value_list_agg; "invalid state for FN" names the final called)
 * ----------------------------------------------------------------------
 */

/*
 * Error 22023 "invalid state for FN" unless vl is a cost state as
 * value_list_agg makes it: width 1, no parameters, no negative cost (a
 * state typed by hand can hold one; a sorted state shows it first). The
 * hint names value_list_agg, the maker of the states these finals read.
 */
static void
check_cost_state(const ValueList *vl, const char *fname)
{
	if (unlikely(!value_list_has_shape(vl, 1, 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for %s", fname),
				 errdetail("The state has version %d, width %d and %d "
						   "parameters; %s needs version %d, width 1 and 0 "
						   "parameters.",
						   vl->version, vl->width, vl->nparams, fname,
						   VALUE_LIST_VERSION),
				 errhint("Pass a state made by value_list_agg.")));
	for (int64 i = 0; i < vl->count; i++)
	{
		if (unlikely(vl->items[i] < 0))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("invalid state for %s", fname),
							errdetail("The state holds the negative cost %s.",
									  float8out_internal(vl->items[i])),
							errhint("Pass a state made by value_list_agg.")));
		if (vl->flags & VALUE_LIST_SORTED)
			break; /* the smallest cost comes first */
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/*
 * value_list_agg_final(value_list) -> value_list: a new flat copy of the
 * state with its costs in ascending order (the state itself is not
 * touched), so the same costs always give the same text and a stored
 * state reads back sorted. A state merged from one holding a negative
 * cost (typed by hand) is refused here, where the sorted costs show it.
 */
PG_FUNCTION_INFO_V1(value_list_agg_final);
Datum
value_list_agg_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	int64 n = vl->count;
	ValueList *out;

	value_list_check(vl, 1, 0, "value_list_agg");
	out = value_list_create(1, 0, NULL, Max(n, 1));
	if (vl->flags & VALUE_LIST_SORTED)
		memcpy_interruptible(out->items, vl->items, n * sizeof(float8));
	else
		sort_float8_into(vl->items, n, out->items);
	out->count = n;
	out->flags = VALUE_LIST_SORTED;
	if (n > 0 && out->items[0] < 0)
		negative_cost_in_state(out->items[0], "value_list_agg");
	PG_RETURN_VALUE_LIST(out);
}

/* top_share_state(value_list, fraction): top_share(value_list, float8) */
PG_FUNCTION_INFO_V1(top_share_state);
Datum
top_share_state(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	float8 fraction = PG_GETARG_FLOAT8(1);
	double result;

	check_cost_state(vl, "top_share");
	check_top_share_fraction(fraction);
	if (!state_top_share(vl, fraction, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/*
 * gini_state(value_list [, sample_correction]): gini(value_list) and
 * gini(value_list, boolean)
 */
PG_FUNCTION_INFO_V1(gini_state);
Datum
gini_state(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	bool sample_correction = PG_NARGS() > 1 && PG_GETARG_BOOL(1);
	double result;

	check_cost_state(vl, "gini");
	if (!state_gini(vl, sample_correction, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* cost_profile_state(value_list): cost_profile(value_list) */
PG_FUNCTION_INFO_V1(cost_profile_state);
Datum
cost_profile_state(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);

	check_cost_state(vl, "cost_profile");
	return state_cost_profile(fcinfo, vl);
}

/*
 * lorenz_curve_state(value_list, points): lorenz_curve(value_list, integer),
 * the rows lorenz_curve gives for an array of the same costs.
 */
PG_FUNCTION_INFO_V1(lorenz_curve_state);
Datum
lorenz_curve_state(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	int32 points = PG_GETARG_INT32(1);
	const float8 *costs;
	bool copied;
	double total;

	check_lorenz_points(points);
	check_cost_state(vl, "lorenz_curve");
	InitMaterializedSRF(fcinfo, 0);
	if (vl->count == 0)
		return (Datum) 0; /* nothing to share: no rows */
	costs = sorted_costs(vl, "lorenz_curve", &copied);
	total = total_of(costs, vl->count, "lorenz_curve");
	if (total != 0)
		lorenz_rows((ReturnSetInfo *) fcinfo->resultinfo, costs, vl->count,
					total, points);
	if (copied)
		pfree(unconstify(float8 *, costs));
	return (Datum) 0;
}
