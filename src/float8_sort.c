/*-------------------------------------------------------------------------
 *
 * float8_sort.c
 *	  An interruptible linear-time sort for doubles (LSD radix sort on the
 *	  IEEE bits) and a binary search over its output.
 *
 * Every aggregate that must see its values in order (shares, Gini,
 * percentiles, quantile groups, peer statistics) sorts through here, so
 * cancelling a 50M-row aggregate is prompt: qsort never checks for
 * interrupts, this sort does in every loop.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/*
 * Map a double to a uint64 whose unsigned order is the numeric order:
 * flip all bits of negatives, only the sign bit of non-negatives.
 */
static inline uint64
float8_sort_key(float8 x)
{
	uint64 u;

	memcpy(&u, &x, sizeof(u));
	return (u & UINT64CONST(0x8000000000000000))
			   ? ~u
			   : u | UINT64CONST(0x8000000000000000);
}

static inline float8
float8_from_sort_key(uint64 u)
{
	float8 x;

	u = (u & UINT64CONST(0x8000000000000000))
			? u & ~UINT64CONST(0x8000000000000000)
			: ~u;
	memcpy(&x, &u, sizeof(x));
	return x;
}

/*
 * LSD radix sort on the keys above, 11 bits per pass (six passes cover 64
 * bits; 2048 buckets keep the counters and the scatter targets in cache,
 * about twice as fast as 16-bit digits on 10M costs). Linear in n and,
 * unlike qsort, it checks for interrupts (every 1M keys in every loop), so
 * cancelling a 50M-row aggregate is prompt. The keys overwrite the values
 * in place (same size), so the only extra memory is one scratch array; all
 * six digit histograms are counted in one read. Passes whose digit is the
 * same for every key are skipped (common for costs, whose high bits rarely
 * differ). Small inputs use insertion sort. The first read can come from
 * another array, so sorting a copy costs no separate copying pass.
 */
#define SORT_DIGIT_BITS 11
/*
 * Below this many keys, 8-bit digits: 8 passes, but 256-entry histograms
 * (clearing and summing six 2048-entry ones would cost more than the
 * extra passes). Measured on 3,333 and 10,000 costs: 11-bit digits are
 * 10% faster, and 32-bit counters (half the histogram memory) 20% faster
 * than 64-bit ones; at 1,000 both widths take the same time.
 */
#define SORT_SMALL_N 2048

/* Insertion sort of n <= 32 values from src into values. */
static void
insertion_sort_into(const float8 *src, int64 n, float8 *values)
{
	if (values != src)
		memcpy(values, src, n * sizeof(float8));
	for (int64 i = 1; i < n; i++)
	{
		float8 v = values[i];
		int64 j = i - 1;

		while (j >= 0 && values[j] > v)
		{
			values[j + 1] = values[j];
			j--;
		}
		values[j + 1] = v;
	}
}

/*
 * The keys of src[0..n) into keys[], and every pass's digit histogram
 * (passes * buckets counters, zeroed) in one read.
 */
static void
keys_and_histograms(const float8 *src, int64 n, uint64 *keys, uint32 *counts,
					int bits, int passes)
{
	int buckets = 1 << bits;
	uint64 mask = buckets - 1;

	for (int64 i = 0; i < n; i++)
	{
		uint64 k = float8_sort_key(src[i]);

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		keys[i] = k;
		for (int p = 0; p < passes; p++)
			counts[p * buckets + ((k >> (p * bits)) & mask)]++;
	}
}

/*
 * One stable counting pass on the digit at `shift`: src's n keys into dst
 * in the order of that digit, whose histogram `count` becomes the buckets'
 * starting positions.
 */
static void
scatter_pass(const uint64 *src, int64 n, uint64 *dst, uint32 *count,
			 int buckets, int shift)
{
	uint64 mask = buckets - 1;
	uint32 pos = 0;

	for (int d = 0; d < buckets; d++)
	{
		uint32 c = count[d];

		count[d] = pos;
		pos += c;
	}
	for (int64 i = 0; i < n; i++)
	{
		uint64 k = src[i];

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		dst[count[(k >> shift) & mask]++] = k;
	}
}

void
sort_float8_into(const float8 *src_values, int64 n, float8 *values)
{
	uint64 *keys = (uint64 *) values;
	uint64 *src;
	uint64 *dst;
	uint64 *scratch;
	uint32 *counts;
	int bits = n < SORT_SMALL_N ? 8 : SORT_DIGIT_BITS;
	int buckets = 1 << bits;
	int passes = (64 + bits - 1) / bits;
	uint64 mask = buckets - 1;

	if (n <= 32)
	{
		insertion_sort_into(src_values, n, values);
		return;
	}

	scratch = palloc_extended(n * sizeof(uint64), MCXT_ALLOC_HUGE);
	/* 32-bit counters: a value_list holds < 2^28 values, a window less */
	if (n >= (int64) PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values to sort"),
				 errdetail("There are " INT64_FORMAT " values; the limit is "
						   "%u.",
						   n, PG_UINT32_MAX - 1),
				 errhint("Split the group or partition.")));
	counts = palloc0(passes * buckets * sizeof(uint32));
	/* keys into the output array (same size) */
	keys_and_histograms(src_values, n, keys, counts, bits, passes);

	src = keys;
	dst = scratch;
	for (int p = 0; p < passes; p++)
	{
		uint32 *count = counts + p * buckets;
		uint64 *swap;

		if (count[(src[0] >> (p * bits)) & mask] == n)
			continue; /* every key has this digit: nothing to do */
		scatter_pass(src, n, dst, count, buckets, p * bits);
		swap = src;
		src = dst;
		dst = swap;
	}

	/* back to doubles, in values[] whichever array holds the result */
	for (int64 i = 0; i < n; i++)
	{
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[i] = float8_from_sort_key(src[i]);
	}
	pfree(scratch);
	pfree(counts);
}

int64
sorted_float8_lower_bound(const float8 *sorted, int64 n, float8 x)
{
	int64 lo = 0;
	int64 hi = n;

	while (lo < hi)
	{
		int64 mid = lo + (hi - lo) / 2;

		if (sorted[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
sort_float8(float8 *values, int64 n)
{
	sort_float8_into(values, n, values);
}

void
memcpy_interruptible(void *dst, const void *src, Size len)
{
	const Size step = 8 * 1024 * 1024;
	char *d = dst;
	const char *s = src;

	while (len > step)
	{
		memcpy(d, s, step);
		d += step;
		s += step;
		len -= step;
		CHECK_FOR_INTERRUPTS();
	}
	memcpy(d, s, len);
}
