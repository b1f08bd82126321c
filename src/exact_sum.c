/*-------------------------------------------------------------------------
 *
 * exact_sum.c
 *	  ExactSum: the sum of non-negative doubles without rounding error,
 *	  rounded once (to nearest, ties to even) when it is read.
 *
 * Why exact rather than compensated: a compensated (Neumaier) sum is
 * accurate but depends on the order of its terms in the last bit, so a
 * total had to be taken over the costs in sorted order for a parallel plan
 * to give the bits of a serial one. An exact sum is the same whatever the
 * order, which lets top_share pick out its top costs by selection instead
 * of sorting them all, and makes top_share, cost_profile's shares and
 * lorenz_curve agree bit for bit by construction.
 *
 * How: a finite double is m * 2^(e - 1075), a 53-bit integer m and an
 * exponent field e (subnormals: e = 0, read as e = 1 without the hidden
 * bit). The accumulator keeps one 128-bit integer (two uint64 halves) per
 * chunk of 32 exponents: adding a double shifts m by its place in the
 * chunk (at most 84 bits) and adds it with one carry. Reading the sum lays
 * the chunks out as one long binary integer in units of 2^-1075 and rounds
 * its top 53 bits. The adding is inline (exact_sum.h), for the loops that
 * call it; measured on 10M costs: 1.4 ns per value, against 1.0 for a
 * compensated sum.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "exact_sum.h"

#include <math.h>

/*
 * Chunk c starts at bit 32c of the integer and spans 128 bits: in 64-bit
 * words, with one word to spare for the carry.
 */
#define EXACT_SUM_WORDS ((32 * (EXACT_SUM_CHUNKS - 1) + 128) / 64 + 2)

void
exact_sum_init(ExactSum *s)
{
	memset(s, 0, sizeof(ExactSum));
}

void
exact_sum_add_units(ExactSum *s, uint64 lo, uint64 hi, int e)
{
	Assert(e >= 1 && e <= 2046 && hi < (UINT64CONST(1) << 21));
	exact_sum_add_shifted(s, e >> 5, e & 31, lo, hi);
}

/* Add v * 2^bit to the little-endian integer w[], carrying upwards. */
static void
add_shifted(uint64 *w, uint64 v, int bit)
{
	int i = bit / 64;
	int shift = bit % 64;
	uint64 part[2];
	uint64 carry = 0;

	part[0] = v << shift;
	part[1] = shift ? v >> (64 - shift) : 0;
	for (int j = 0; j < 2; j++, i++)
	{
		uint64 t = w[i] + part[j];
		uint64 c = t < part[j];

		t += carry;
		c |= t < carry;
		w[i] = t;
		carry = c;
	}
	for (; carry && i < EXACT_SUM_WORDS; i++)
	{
		w[i] += 1;
		carry = (w[i] == 0);
	}
	Assert(carry == 0);
}

/* Bits [from, from + n) of w[] (n <= 64, from >= 0) as an integer. */
static uint64
get_bits(const uint64 *w, int from, int n)
{
	int i = from / 64;
	int shift = from % 64;
	uint64 v = w[i] >> shift;

	if (shift && i + 1 < EXACT_SUM_WORDS)
		v |= w[i + 1] << (64 - shift);
	return n == 64 ? v : v & ((UINT64CONST(1) << n) - 1);
}

/* Is any bit of w[] below `bit` set? */
static bool
any_bit_below(const uint64 *w, int bit)
{
	int i = bit / 64;

	for (int j = 0; j < i; j++)
		if (w[j] != 0)
			return true;
	return bit % 64 != 0 && (w[i] & ((UINT64CONST(1) << (bit % 64)) - 1)) != 0;
}

double
exact_sum_result(const ExactSum *s)
{
	uint64 w[EXACT_SUM_WORDS];
	int top_word;
	int h;
	uint64 mantissa;

	memset(w, 0, sizeof(w));
	for (int c = 0; c < EXACT_SUM_CHUNKS; c++)
	{
		if ((s->lo[c] | s->hi[c]) == 0)
			continue;
		add_shifted(w, s->lo[c], 32 * c);
		add_shifted(w, s->hi[c], 32 * c + 64);
	}
	for (top_word = EXACT_SUM_WORDS - 1; top_word >= 0; top_word--)
		if (w[top_word] != 0)
			break;
	if (top_word < 0)
		return 0.0;
	/* h: the highest set bit; the integer counts units of 2^-1075 */
	h = top_word * 64 + 63 - __builtin_clzll(w[top_word]);
	if (h < 54)
		/* every term is even in these units: w/2 < 2^53, exact */
		return ldexp((double) w[0], -1075);

	/* 53 bits from h down, rounded to nearest, ties to even */
	mantissa = get_bits(w, h - 52, 53);
	if (get_bits(w, h - 53, 1) && (any_bit_below(w, h - 53) || (mantissa & 1)))
	{
		mantissa++;
		if (mantissa >> 53)
		{
			mantissa >>= 1;
			h++;
		}
	}
	/* beyond DBL_MAX this is +Infinity; callers report it */
	return ldexp((double) mantissa, h - 52 - 1075);
}
