/*-------------------------------------------------------------------------
 *
 * float8_sort.h
 *	  Sorting doubles, and keeping long sorts and copies cancellable
 *	  (float8_sort.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef FLOAT8_SORT_H
#define FLOAT8_SORT_H

#include "miscadmin.h"

/*
 * Called once per comparison by a qsort comparator: checks for interrupts
 * every 2^16 comparisons, so a sort of millions of rows stays cancellable
 * (qsort is PostgreSQL's pg_qsort, which an error may leave at any point).
 */
static inline void
sort_interrupt_tick(void)
{
	static uint32 ticks = 0;

	if (unlikely((++ticks & 0xFFFF) == 0))
		CHECK_FOR_INTERRUPTS();
}

/*
 * Sort n doubles ascending in place: LSD radix sort on the IEEE bits,
 * linear time and interruptible. NaN must not occur (aggregates reject it).
 */
extern void sort_float8(float8 *values, int64 n);
/* the same, reading from src and leaving the sorted values in out */
extern void sort_float8_into(const float8 *src, int64 n, float8 *out);
/* how many of the ascending sorted[0..n) are below x: binary search */
extern int64 sorted_float8_lower_bound(const float8 *sorted, int64 n,
									   float8 x);

/*
 * memcpy for copies of up to gigabytes (a whole aggregate state): in steps
 * of 8 MB with an interrupt check between them. Copying into fresh memory
 * is dominated by page faults, and one memcpy of 800 MB kept a cancel
 * waiting for 5-13 s on the test host.
 */
extern void memcpy_interruptible(void *dst, const void *src, Size len);

#endif /* FLOAT8_SORT_H */
