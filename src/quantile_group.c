/*-------------------------------------------------------------------------
 *
 * quantile_group.c
 *	  quantile_group(value, groups, invert) OVER (PARTITION BY ...): the
 *	  window function that assigns small areas to quantiles exactly as
 *	  PHEindicatormethods' phe_quantile (OHID "Assigning Deprivation
 *	  Categories"): rank by value (ties share the lowest rank), then
 *	  quantile = floor((k + 1) - ceiling(((N + 1) - rank) / (N / k))).
 *
 * The whole partition is needed before the first row can be answered, so
 * the first call of a partition ranks every value once and keeps the
 * groups in partition-local memory; later calls just look theirs up.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/float.h"
#include "windowapi.h"

/* per-partition result, in the window's partition-local memory */
typedef struct QuantileGroups
{
	bool computed;
	bool all_null;    /* groups or invert NULL: every row gets NULL */
	bool groups_null; /* as read from the first row */
	bool invert_null;
	int32 groups;                       /* k, as read from the first row */
	bool invert;                        /* as read from the first row */
	int64 nrows;                        /* rows in the partition */
	int32 group[FLEXIBLE_ARRAY_MEMBER]; /* 0 = NULL */
} QuantileGroups;

/*
 * Read the partition's values into values[0..n): present[i] says whether
 * row i has one (not NULL, not NaN, which R treats as missing). Returns
 * how many do and sets *max to the largest.
 */
static int64
read_values(WindowObject winobj, int64 n, float8 *values, bool *present,
			float8 *max)
{
	int64 count = 0;

	*max = -INFINITY;
	for (int64 i = 0; i < n; i++)
	{
		bool isnull;
		bool isout;
		Datum d;

		CHECK_FOR_INTERRUPTS();
		d = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false,
									 &isnull, &isout);
		present[i] = false;
		if (isnull || isout)
			continue;
		values[i] = DatumGetFloat8(d);
		/* R treats NaN as missing: no quantile, not counted */
		if (isnan(values[i]))
			continue;
		if (isinf(values[i]))
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of quantile_group must be finite"),
				 errdetail("The value is %s.", float8out_internal(values[i])),
				 errhint("Remove infinite values, or map them to NULL to "
						 "leave them unassigned.")));
		present[i] = true;
		count++;
		if (values[i] > *max)
			*max = values[i];
	}
	return count;
}

/*
 * The quantile of each of the `count` present values, as PHE computes it:
 * rank by value (ties share the lowest rank), then
 * floor((k + 1) - ceiling(((N + 1) - rank) / (N / k))), 0 read as 1.
 * Inverted order ranks max - value ascending, computed in floating point
 * exactly as PHE does (so values that differ below the rounding of
 * max - value tie there too).
 */
static void
rank_into_groups(QuantileGroups *qg, float8 *values, const bool *present,
				 int64 count, float8 max)
{
	int64 n = qg->nrows;
	double k = qg->groups;
	double per = (double) count / k;
	float8 *sorted = palloc_extended(count * sizeof(float8), MCXT_ALLOC_HUGE);
	int64 m = 0;

	for (int64 i = 0; i < n; i++)
	{
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (present[i])
		{
			if (qg->invert)
				values[i] = max - values[i];
			sorted[m++] = values[i];
		}
	}
	sort_float8(sorted, count);

	for (int64 i = 0; i < n; i++)
	{
		double rank;
		double q;

		if (!present[i])
			continue;
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* ties share the lowest rank (R's ties.method = "min") */
		rank =
			(double) sorted_float8_lower_bound(sorted, count, values[i]) + 1.0;
		q = floor((k + 1.0) - ceil(((double) count + 1.0 - rank) / per));
		if (q == 0.0)
			q = 1.0;
		qg->group[i] = (int32) q;
	}
	pfree(sorted);
}

/*
 * Every row's group, or none (0: NULL) when the partition has fewer
 * values than groups, as PHE does.
 */
static void
assign_groups(WindowObject winobj, QuantileGroups *qg)
{
	int64 n = qg->nrows;
	float8 *values =
		palloc_extended(Max(n, 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	bool *present = palloc_extended(Max(n, 1) * sizeof(bool), MCXT_ALLOC_HUGE);
	float8 max;
	int64 count = read_values(winobj, n, values, present, &max);

	if (count >= qg->groups)
		rank_into_groups(qg, values, present, count, max);
	pfree(values);
	pfree(present);
}

/* An argument of quantile_group as the user wrote it; NULL for none. */
static const char *
groups_text(const int32 *groups)
{
	return groups ? psprintf("%d", *groups) : "NULL";
}

static const char *
invert_text(const bool *invert)
{
	return invert ? (*invert ? "true" : "false") : "NULL";
}

/*
 * Error 22023 unless this row's groups and invert (NULL pointers for NULL)
 * are the partition's. Rows whose groups or invert is NULL all give NULL,
 * so in a partition that started so they only need to be NULL too.
 */
static void
check_same_parameters(const QuantileGroups *qg, const int32 *groups,
					  const bool *invert)
{
	bool row_null = groups == NULL || invert == NULL;

	if (row_null && qg->all_null)
		return;
	if (!row_null && !qg->all_null && *groups == qg->groups &&
		*invert == qg->invert)
		return;
	if ((groups == NULL) != qg->groups_null ||
		(groups != NULL && !qg->groups_null && *groups != qg->groups))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("groups of quantile_group must be the same for every "
						"row of a partition"),
				 errdetail("The partition started with %s and now has %s.",
						   groups_text(qg->groups_null ? NULL : &qg->groups),
						   groups_text(groups)),
				 errhint("Pass a constant, or partition by groups.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invert of quantile_group must be the same for every row "
					"of a partition"),
			 errdetail("The partition started with %s and now has %s.",
					   invert_text(qg->invert_null ? NULL : &qg->invert),
					   invert_text(invert)),
			 errhint("Pass a constant, or partition by invert.")));
}

/*
 * quantile_group(value, groups, invert): 1..groups, or NULL for a NULL or
 * NaN value, for NULL groups/invert, and for every row of a partition with
 * fewer non-NULL values than groups. invert (default true) puts the
 * highest values in group 1, as PHE's default does.
 */
PG_FUNCTION_INFO_V1(quantile_group);
Datum
quantile_group(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	QuantileGroups *qg;
	int64 pos = WinGetCurrentPosition(winobj);
	Datum d;
	bool groups_null;
	bool invert_null;
	int32 groups;
	bool invert;

	d = WinGetFuncArgCurrent(winobj, 1, &groups_null);
	groups = groups_null ? 0 : DatumGetInt32(d);
	d = WinGetFuncArgCurrent(winobj, 2, &invert_null);
	invert = invert_null ? false : DatumGetBool(d);
	if (!groups_null && groups < 1)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("groups of quantile_group must be positive"),
						errdetail("The groups is %d.", groups),
						errhint("Use 10 for deciles, 5 for quintiles.")));

	qg = (QuantileGroups *) WinGetPartitionLocalMemory(
		winobj, offsetof(QuantileGroups, group) +
					WinGetPartitionRowCount(winobj) * sizeof(int32));
	if (!qg->computed)
	{
		qg->computed = true;
		qg->nrows = WinGetPartitionRowCount(winobj);
		qg->all_null = groups_null || invert_null;
		qg->groups_null = groups_null;
		qg->invert_null = invert_null;
		qg->groups = groups;
		qg->invert = invert;
		if (!qg->all_null)
			assign_groups(winobj, qg);
	}
	else
		check_same_parameters(qg, groups_null ? NULL : &groups,
							  invert_null ? NULL : &invert);

	if (qg->all_null || pos < 0 || pos >= qg->nrows || qg->group[pos] == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(qg->group[pos]);
}
