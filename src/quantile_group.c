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
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "windowapi.h"

/* per-partition result, in the window's partition-local memory */
typedef struct QuantileGroups
{
	bool computed;
	bool all_null; /* groups or invert NULL: every row gets NULL */
	int32 groups;  /* k, as read from the first row */
	bool invert;   /* as read from the first row */
	int64 nrows;   /* rows in the partition */
	int32 group[FLEXIBLE_ARRAY_MEMBER]; /* 0 = NULL */
} QuantileGroups;

static void
assign_groups(WindowObject winobj, QuantileGroups *qg)
{
	int64 n = qg->nrows;
	float8 *values =
		palloc_extended(Max(n, 1) * sizeof(float8), MCXT_ALLOC_HUGE);
	bool *present = palloc_extended(Max(n, 1) * sizeof(bool), MCXT_ALLOC_HUGE);
	float8 *sorted;
	int64 count = 0;
	float8 max = -INFINITY;
	double k = qg->groups;
	double per;

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
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("quantile_group value must be finite"),
							errdetail("The value given was %g.", values[i]),
							errhint("Remove infinite values, or map them to "
									"NULL to leave them unassigned.")));
		present[i] = true;
		count++;
		if (values[i] > max)
			max = values[i];
	}

	/* PHE: no quantiles at all when the partition has fewer values than k */
	if (count < qg->groups)
	{
		pfree(values);
		pfree(present);
		return;
	}

	/*
	 * Inverted order ranks max - value ascending, computed in floating point
	 * exactly as PHE does (so values that differ below the rounding of
	 * max - value tie there too).
	 */
	sorted = palloc_extended(count * sizeof(float8), MCXT_ALLOC_HUGE);
	count = 0;
	for (int64 i = 0; i < n; i++)
		if (present[i])
		{
			if (qg->invert)
				values[i] = max - values[i];
			sorted[count++] = values[i];
		}
	sort_float8(sorted, count);

	per = (double) count / k;
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
	pfree(values);
	pfree(present);
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
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile_group groups must be at least 1"),
				 errdetail("The number of groups given was %d.", groups),
				 errhint("Use 10 for deciles, 5 for quintiles.")));

	qg = (QuantileGroups *) WinGetPartitionLocalMemory(
		winobj, offsetof(QuantileGroups, group) +
					WinGetPartitionRowCount(winobj) * sizeof(int32));
	if (!qg->computed)
	{
		qg->computed = true;
		qg->nrows = WinGetPartitionRowCount(winobj);
		qg->all_null = groups_null || invert_null;
		qg->groups = groups;
		qg->invert = invert;
		if (!qg->all_null)
			assign_groups(winobj, qg);
	}
	else if ((groups_null || invert_null) != qg->all_null ||
			 (!qg->all_null && (groups != qg->groups || invert != qg->invert)))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("quantile_group groups and invert must be the "
							   "same for every row of a partition"),
						errdetail("The partition began with %d groups (invert "
								  "%s) and this row has %d (invert %s).",
								  qg->groups, qg->invert ? "true" : "false",
								  groups, invert ? "true" : "false"),
						errhint("Pass groups and invert as constants, or add "
								"the column to PARTITION BY.")));

	if (qg->all_null || pos < 0 || pos >= qg->nrows || qg->group[pos] == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(qg->group[pos]);
}
