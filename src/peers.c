/*-------------------------------------------------------------------------
 *
 * peers.c
 *	  Comparisons with peers (docs/methods.md section 2): peer_zscore, a
 *	  window function scoring each row against the other rows of its
 *	  partition; peer_benchmark, the mean of the best k values of a group
 *	  (RightCare "best 5 of similar 10"); opportunity, what closing the gap
 *	  to a benchmark would release.
 *
 * Aggregate rules (xaggr.sgml): the value_list state is changed in place
 * only under AggCheckCallContext (called directly, the transition function
 * works on a copy), combine never returns its second argument, and the
 * final function sorts a copy, never the state.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"
#include "results.h"
#include "value_list.h"

#include <limits.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

/* R's mad() constant: makes the MAD a consistent estimate of a normal SD */
#define MAD_SCALE 1.4826
/* peer_zscore needs at least this many other rows with a value */
#define PEER_MIN 3

/* ---------------------------------------------------------------------
 * peer_benchmark(value [, best [, higher_is_better]])
 * State: value_list of width 1, parameters (best, higher_is_better).
 * ---------------------------------------------------------------------
 */

/*
 * Error 22023 for best or higher_is_better changing within a group (or
 * between two states being combined): `started` are the group's
 * parameters, `now` the row's (the second state's).
 */
static void
peer_benchmark_params_error(FunctionCallInfo fcinfo, const float8 *started,
							const float8 *now)
{
	if (started[0] != now[0])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("best of peer_benchmark must be the same for every "
						"row of a group"),
				 errdetail("The group started with %s and now has %s.",
						   float8out_internal(started[0]),
						   float8out_internal(now[0])),
				 errhint("Pass a constant, or group by best.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("higher_is_better of peer_benchmark must be the same for "
					"every row of a group"),
			 errdetail("The group started with %s and now has %s.",
					   started[1] != 0.0 ? "true" : "false",
					   now[1] != 0.0 ? "true" : "false"),
			 errhint("Pass a constant, or group by higher_is_better.")));
}

PG_FUNCTION_INFO_V1(peer_benchmark_trans);
Datum
peer_benchmark_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	float8 params[2] = {5.0, 0.0};
	float8 v;

	if (PG_NARGS() > 2 && PG_ARGISNULL(2))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("best of peer_benchmark must not be NULL"),
						errhint("Omit it to use the best 5.")));
	if (PG_NARGS() > 3 && PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("higher_is_better of peer_benchmark must not be NULL"),
				 errhint("Omit it to use false: lower is better.")));
	if (PG_NARGS() > 2)
		params[0] = PG_GETARG_INT32(2);
	if (PG_NARGS() > 3)
		params[1] = PG_GETARG_BOOL(3) ? 1.0 : 0.0;

	if (vl == NULL)
	{
		if (params[0] < 1)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("best of peer_benchmark must be positive"),
							errdetail("The best is %d.", (int) params[0]),
							errhint("RightCare benchmarks use the best 5.")));
	}
	else
	{
		value_list_check(vl, 1, 2, "peer_benchmark");
		if (vl->params[0] != params[0] || vl->params[1] != params[1])
			peer_benchmark_params_error(fcinfo, vl->params, params);
	}
	if (PG_ARGISNULL(1))
	{
		/* nothing to add; a group of only NULLs is an empty benchmark */
		if (vl != NULL)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_VALUE_LIST(value_list_create(1, 2, params, 16));
	}
	v = PG_GETARG_FLOAT8(1);
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of peer_benchmark must be finite"),
				 errdetail("The value is %s.", float8out_internal(v)),
				 errhint("Map NaN and infinite values to NULL so they are "
						 "skipped.")));
	/* outside an aggregate, value_list_add works on a copy */
	return value_list_add(fcinfo, vl, 1, 2, params, 16, 0, &v);
}

PG_FUNCTION_INFO_V1(peer_benchmark_combine);
Datum
peer_benchmark_combine(PG_FUNCTION_ARGS)
{
	return value_list_combine_params(fcinfo, 1, 2, "peer_benchmark",
									 peer_benchmark_params_error);
}

/*
 * Mean of the best k values; NULL when the group has fewer than k values
 * (a "best 5" of three peers would silently be a different benchmark).
 */
PG_FUNCTION_INFO_V1(peer_benchmark_final);
Datum
peer_benchmark_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	int64 k;
	const float8 *values;
	bool copied;
	int64 first;
	float8 sum = 0.0;
	float8 mean;

	value_list_check(vl, 1, 2, "peer_benchmark");
	k = (int64) vl->params[0];
	if (vl->params[0] < 1 || vl->params[0] != (float8) k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for peer_benchmark"),
				 errdetail("The state's best is %s; peer_benchmark stores a "
						   "whole number of at least 1.",
						   float8out_internal(vl->params[0])),
				 errhint("Pass only states made by peer_benchmark itself.")));
	if (vl->count < k)
		PG_RETURN_NULL();
	values = value_list_sorted_values(vl, &copied);
	first = vl->params[1] != 0.0 ? vl->count - k : 0;
	for (int64 i = first; i < first + k; i++)
		sum += values[i];
	mean = sum / (float8) k;
	if (!isfinite(mean))
	{
		/*
		 * The sum overflowed although the mean is in range: add the values
		 * scaled by a power of two that puts the largest magnitude below 1.
		 */
		float8 big = Max(fabs(values[first]), fabs(values[first + k - 1]));
		float8 scale = ldexp(1.0, -(ilogb(big) + 1));

		sum = 0.0;
		for (int64 i = first; i < first + k; i++)
			sum += values[i] * scale;
		mean = sum / (float8) k / scale;
	}
	if (copied)
		pfree(unconstify(float8 *, values));
	check_result_finite(mean, "benchmark", "peer_benchmark");
	PG_RETURN_FLOAT8(mean);
}

/* ---------------------------------------------------------------------
 * opportunity(own, benchmark, population, higher_is_better, per)
 * ---------------------------------------------------------------------
 */
static void
check_opportunity_finite(float8 v, const char *arg)
{
	check_finite_arg(v, arg, "opportunity", NULL);
}

PG_FUNCTION_INFO_V1(opportunity);
Datum
opportunity(PG_FUNCTION_ARGS)
{
	float8 own = PG_GETARG_FLOAT8(0);
	float8 benchmark = PG_GETARG_FLOAT8(1);
	float8 population = PG_GETARG_FLOAT8(2);
	bool higher_is_better = PG_GETARG_BOOL(3);
	float8 per = PG_GETARG_FLOAT8(4);
	float8 gap;

	check_opportunity_finite(own, "own");
	check_opportunity_finite(benchmark, "benchmark");
	check_opportunity_finite(population, "population");
	check_opportunity_finite(per, "per");
	if (population < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("population of opportunity must not be negative"),
				 errdetail("The population is %s.",
						   float8out_internal(population))));
	if (!(per > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per of opportunity must be positive"),
				 errdetail("The per is %s.", float8out_internal(per)),
				 errhint("per is the rate base of own and benchmark: 1 for "
						 "a value per person, 1000 for a rate per 1,000.")));
	gap = higher_is_better ? benchmark - own : own - benchmark;
	if (!(gap > 0.0))
		PG_RETURN_FLOAT8(0.0);
	check_result_finite(gap * population / per, "opportunity", "opportunity");
	PG_RETURN_FLOAT8(gap * population / per);
}

/* ---------------------------------------------------------------------
 * peer_zscore(value, method) OVER (PARTITION BY peer_group)
 *
 * The whole partition is scored on the first call (it must be read in full
 * anyway) and each row then picks up its result. Memory comes from the
 * partition's context, which the executor resets between partitions.
 * ---------------------------------------------------------------------
 */
#define PEER_STANDARD 1
#define PEER_ROBUST 2

typedef struct PeerZ
{
	bool scored;
	int method;
	float8 *z;  /* one per row of the partition */
	bool *null; /* one per row */
} PeerZ;

static const char *
peer_method_name(int method)
{
	return method == PEER_ROBUST ? "robust" : "standard";
}

static int
peer_method(text *t)
{
	const char *s = VARDATA_ANY(t);
	int len = VARSIZE_ANY_EXHDR(t);

	if (len == 8 && memcmp(s, "standard", 8) == 0)
		return PEER_STANDARD;
	if (len == 6 && memcmp(s, "robust", 6) == 0)
		return PEER_ROBUST;
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("method of peer_zscore must be one of 'standard', "
						   "'robust'"),
					errdetail("The method is \"%s\".", text_to_cstring(t)),
					errhint("Use 'standard' (mean and SD of the other rows) "
							"or 'robust' (their median and MAD).")));
	return 0; /* not reached */
}

/*
 * Standard scores against the other rows: for value j, the mean and sum of
 * squared deviations of the others come from merging the prefix before j
 * with the suffix after it (Chan et al.'s pairwise formula). Unlike
 * subtracting j from the whole-partition moments, this never cancels when
 * j is a far outlier, which is exactly the row users look at.
 * v must be sorted: see score_standard.
 */
static void
score_sorted(const float8 *v, int64 m, float8 *z, bool *null)
{
	float8 *suf_mean =
		palloc_extended((m + 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	float8 *suf_m2 =
		palloc_extended((m + 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	float8 pre_mean = 0.0, pre_m2 = 0.0;

	suf_mean[m] = 0.0;
	suf_m2[m] = 0.0;
	for (int64 j = m - 1; j >= 0; j--)
	{
		float8 n = (float8) (m - j);
		float8 d = v[j] - suf_mean[j + 1];

		suf_mean[j] = suf_mean[j + 1] + d / n;
		suf_m2[j] = suf_m2[j + 1] + d * (v[j] - suf_mean[j]);
		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (int64 j = 0; j < m; j++)
	{
		float8 na = (float8) j, nb = (float8) (m - j - 1), n = na + nb;
		float8 mean, m2, d;

		if (na == 0.0)
		{
			mean = suf_mean[j + 1];
			m2 = suf_m2[j + 1];
		}
		else if (nb == 0.0)
		{
			mean = pre_mean;
			m2 = pre_m2;
		}
		else
		{
			d = suf_mean[j + 1] - pre_mean;
			mean = pre_mean + d * nb / n;
			m2 = pre_m2 + suf_m2[j + 1] + d * d * na * nb / n;
		}
		if (n < PEER_MIN || !(m2 > 0.0))
			null[j] = true;
		else
		{
			z[j] = (v[j] - mean) / sqrt(m2 / (n - 1.0));
			null[j] = false;
		}
		/* Welford: add v[j] to the prefix */
		d = v[j] - pre_mean;
		pre_mean += d / (na + 1.0);
		pre_m2 += d * (v[j] - pre_mean);
		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(suf_mean);
	pfree(suf_m2);
}

/* Median of sorted[0..n) with the element at index p left out (n >= 2). */
static float8
median_without(const float8 *sorted, int64 n, int64 p)
{
	int64 k = n - 1;
	int64 k1 = (k - 1) / 2, k2 = k / 2;
	float8 a = sorted[k1 < p ? k1 : k1 + 1];
	float8 b = sorted[k2 < p ? k2 : k2 + 1];

	/* as R's median: the mean of the middle pair, correctly rounded */
	return isfinite(a + b) ? (a + b) / 2.0 : a / 2.0 + b / 2.0;
}

/*
 * Standard scores, computed on the sorted values and looked up by value
 * (the first sorted position holding it): leaving out any copy of a value
 * leaves the same peers, so the result depends only on the partition's
 * values, never on the order the executor delivers its rows in.
 */
static void
score_standard(const float8 *v, int64 m, float8 *z, bool *null)
{
	float8 *sorted = palloc_extended(m * sizeof(float8), MCXT_ALLOC_HUGE);
	float8 *zs = palloc_extended(m * sizeof(float8), MCXT_ALLOC_HUGE);
	bool *ns = palloc_extended(m * sizeof(bool), MCXT_ALLOC_HUGE);

	sort_float8_into(v, m, sorted);
	score_sorted(sorted, m, zs, ns);
	for (int64 j = 0; j < m; j++)
	{
		int64 p = sorted_float8_lower_bound(sorted, m, v[j]);

		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

		z[j] = zs[p];
		null[j] = ns[p];
	}
	pfree(sorted);
	pfree(zs);
	pfree(ns);
}

/*
 * Robust scores: (v - median of the others) / (1.4826 * MAD of the others).
 * With the values sorted, leaving one out shifts the middle by at most one
 * place, so the others' median is read directly. It takes at most three
 * different values over the partition (the left-out value below, inside or
 * above the middle pair), so the deviations from each are sorted once and
 * the others' MAD is again a median with one element left out: O(m log m)
 * in all.
 */
static void
score_robust(const float8 *v, int64 m, float8 *z, bool *null)
{
	float8 *sorted = palloc_extended(m * sizeof(float8), MCXT_ALLOC_HUGE);
	float8 *dev[3] = {NULL, NULL, NULL};
	float8 center[3];
	int64 k = m - 1, k1 = (k - 1) / 2, k2 = k / 2;

	sort_float8_into(v, m, sorted);
	for (int64 j = 0; j < m; j++)
	{
		int64 p, q;
		int c;
		float8 med, mad, d;

		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (k < PEER_MIN)
		{
			null[j] = true;
			continue;
		}
		p = sorted_float8_lower_bound(sorted, m, v[j]);
		/* which of the (at most) three medians of the others applies */
		c = p > k2 ? 0 : (p <= k1 ? 1 : 2);
		med = median_without(sorted, m, p);
		if (dev[c] == NULL)
		{
			dev[c] = palloc_extended(m * sizeof(float8), MCXT_ALLOC_HUGE);
			center[c] = med;
			for (int64 i = 0; i < m; i++)
			{
				dev[c][i] = fabs(sorted[i] - med);
				if ((i & 0xFFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
			}
			sort_float8(dev[c], m);
		}
		Assert(center[c] == med);
		d = fabs(v[j] - center[c]);
		q = sorted_float8_lower_bound(dev[c], m, d);
		mad = median_without(dev[c], m, q);
		if (!(mad > 0.0))
			null[j] = true;
		else
		{
			z[j] = (v[j] - med) / (MAD_SCALE * mad);
			null[j] = false;
		}
		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (int c = 0; c < 3; c++)
		if (dev[c] != NULL)
			pfree(dev[c]);
	pfree(sorted);
}

static void
score_partition(WindowObject winobj, PeerZ *pz)
{
	MemoryContext partcxt = GetMemoryChunkContext(pz);
	MemoryContext old = MemoryContextSwitchTo(partcxt);
	int64 rows = WinGetPartitionRowCount(winobj);
	int64 slots = Max(rows, 1);
	char *block;
	float8 *v, *zv;
	int64 *row_of;
	bool *nullv;
	int64 m = 0;

	/* the window API addresses rows with an int */
	if (rows > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("peer_zscore partition is too large"),
				 errdetail("The partition has " INT64_FORMAT " rows; at most "
						   "%d are supported.",
						   rows, INT_MAX),
				 errhint("Partition by a finer peer group.")));

	/*
	 * One block per partition (partitions of a "similar 10" are small and
	 * many): results z and null, and the scratch v, zv, row_of, nullv. The
	 * executor resets the partition context, which frees it.
	 */
	block = palloc_extended(
		slots * (3 * sizeof(float8) + sizeof(int64) + 2 * sizeof(bool)),
		MCXT_ALLOC_HUGE);
	v = (float8 *) block + slots;
	zv = v + slots;
	row_of = (int64 *) (zv + slots);
	nullv = (bool *) (row_of + slots) + slots;
	pz->z = (float8 *) block;
	pz->null = (bool *) (row_of + slots);
	for (int64 i = 0; i < rows; i++)
	{
		bool isnull, isout;
		Datum d = WinGetFuncArgInPartition(
			winobj, 0, (int) i, WINDOW_SEEK_HEAD, false, &isnull, &isout);

		pz->null[i] = true;
		if (isnull || isout)
			continue;
		v[m] = DatumGetFloat8(d);
		if (!isfinite(v[m]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value of peer_zscore must be finite"),
					 errdetail("The value is %s.", float8out_internal(v[m])),
					 errhint("Map NaN and infinite values to NULL so the "
							 "row is left out of its peers.")));
		row_of[m++] = i;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (m > 0)
	{
		if (pz->method == PEER_ROBUST)
			score_robust(v, m, zv, nullv);
		else
			score_standard(v, m, zv, nullv);
	}
	for (int64 j = 0; j < m; j++)
	{
		pz->z[row_of[j]] = zv[j];
		pz->null[row_of[j]] = nullv[j];
	}
	pz->scored = true;
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(peer_zscore);
Datum
peer_zscore(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PeerZ *pz = WinGetPartitionLocalMemory(winobj, sizeof(PeerZ));
	int64 pos = WinGetCurrentPosition(winobj);
	int method = PEER_STANDARD;
	bool isnull = false;

	if (PG_NARGS() > 1)
	{
		Datum m = WinGetFuncArgCurrent(winobj, 1, &isnull);

		if (isnull)
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							errmsg("method of peer_zscore must not be NULL"),
							errhint("Omit it to use 'standard'.")));
		method = peer_method(DatumGetTextPP(m));
	}
	if (!pz->scored)
	{
		pz->method = method;
		score_partition(winobj, pz);
	}
	else if (method != pz->method)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("method of peer_zscore must be the same for every "
					"row of a partition"),
			 errdetail("The partition started with \"%s\" and now has "
					   "\"%s\".",
					   peer_method_name(pz->method), peer_method_name(method)),
			 errhint("Pass a constant, or partition by method.")));
	if (pz->null[pos])
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pz->z[pos]);
}
