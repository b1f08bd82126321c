/*-------------------------------------------------------------------------
 *
 * disclosure.c
 *	  Statistical disclosure control for counts shared outside the
 *	  organisation: sdc_round, sdc_label, sdc_percentage.
 *
 * The rule is NHS Digital's for HES/ECDS (docs/methods.md 6): 0 stays 0,
 * 1..threshold is suppressed, anything larger is rounded to the nearest
 * multiple of base; percentages are computed from the rounded numerator
 * and denominator and suppressed when either is. Threshold and base are
 * parameters (default 7 and 5) so older "suppress < 5" or "< 10" local
 * policies can be expressed too.
 *
 * Halfway cases (only possible with an even base, e.g. 15 with base 10)
 * round up, away from zero: that never lowers a count towards the
 * suppressed range, and is what ROUND does for positive numbers.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* digits of sdc_percentage: 0..SDC_MAX_DIGITS decimal places */
#define SDC_MAX_DIGITS 10

/* Outcome of the rule for one count. */
typedef enum SdcResult
{
	SDC_ZERO,
	SDC_SUPPRESSED,
	SDC_ROUNDED
} SdcResult;

static void
check_count(int64 count, const char *fname, const char *argname)
{
	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of %s must not be negative", argname, fname),
				 errdetail("The %s is " INT64_FORMAT ".", argname, count),
				 errhint("Disclosure control applies to counts of people or "
						 "events, which are zero or more.")));
}

static void
check_rule(int32 threshold, int32 base, const char *fname)
{
	if (threshold < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold of %s must not be negative", fname),
				 errdetail("The threshold is %d.", threshold),
				 errhint("Counts from 1 to the threshold are suppressed; use "
						 "7 for the NHS Digital rule, 0 to round only.")));
	if (base < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("base of %s must be positive", fname),
				 errdetail("The base is %d.", base),
				 errhint("Counts are rounded to the nearest multiple of the "
						 "base; use 5 for the NHS Digital rule, 1 to "
						 "suppress only.")));
}

/*
 * Apply the rule to a validated count. On SDC_ROUNDED *rounded holds the
 * nearest multiple of base, halves up. Errors 22003 naming fname if that
 * multiple does not fit in bigint.
 */
static SdcResult
sdc_apply(int64 count, int32 threshold, int32 base, int64 *rounded,
		  const char *fname)
{
	int64 rem;
	int64 down;

	if (count == 0)
	{
		*rounded = 0;
		return SDC_ZERO;
	}
	if (count <= threshold)
		return SDC_SUPPRESSED;

	rem = count % base;
	down = count - rem;
	/* 2 * rem >= base, written so that it cannot overflow */
	if (rem >= base - rem)
	{
		if (pg_add_s64_overflow(down, base, rounded))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("rounded count of %s is out of range for type "
							"bigint",
							fname),
					 errdetail("The count " INT64_FORMAT
							   " rounds up past the largest bigint.",
							   count)));
	}
	else
		*rounded = down;
	return SDC_ROUNDED;
}

/* sdc_round(count, threshold, base) -> bigint, NULL when suppressed */
PG_FUNCTION_INFO_V1(sdc_round);
Datum
sdc_round(PG_FUNCTION_ARGS)
{
	int64 count = PG_GETARG_INT64(0);
	int32 threshold = PG_GETARG_INT32(1);
	int32 base = PG_GETARG_INT32(2);
	int64 rounded;

	check_count(count, "sdc_round", "count");
	check_rule(threshold, base, "sdc_round");

	if (sdc_apply(count, threshold, base, &rounded, "sdc_round") ==
		SDC_SUPPRESSED)
		PG_RETURN_NULL();
	PG_RETURN_INT64(rounded);
}

/* sdc_label(count, threshold, base) -> text: '*' when suppressed */
PG_FUNCTION_INFO_V1(sdc_label);
Datum
sdc_label(PG_FUNCTION_ARGS)
{
	int64 count = PG_GETARG_INT64(0);
	int32 threshold = PG_GETARG_INT32(1);
	int32 base = PG_GETARG_INT32(2);
	int64 rounded;
	char buf[MAXINT8LEN + 1];

	check_count(count, "sdc_label", "count");
	check_rule(threshold, base, "sdc_label");

	if (sdc_apply(count, threshold, base, &rounded, "sdc_label") ==
		SDC_SUPPRESSED)
		PG_RETURN_TEXT_P(cstring_to_text("*"));
	pg_lltoa(rounded, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

static Numeric
num_op(PGFunction fn, Numeric a, Numeric b)
{
	return DatumGetNumeric(
		DirectFunctionCall2(fn, NumericGetDatum(a), NumericGetDatum(b)));
}

/*
 * sdc_percentage(numerator, denominator, threshold, base, digits) ->
 * numeric: 100 * rounded numerator / rounded denominator, rounded half up
 * to digits places. NULL when either count is suppressed or the rounded
 * denominator is 0 (no percentage of nothing).
 *
 * The rounding is done exactly in integers, q = floor((2 n s + d) / 2 d)
 * with s = 10^(digits + 2), so no value is rounded twice: in int64 when it
 * fits, else in numeric.
 */
PG_FUNCTION_INFO_V1(sdc_percentage);
Datum
sdc_percentage(PG_FUNCTION_ARGS)
{
	int64 numerator = PG_GETARG_INT64(0);
	int64 denominator = PG_GETARG_INT64(1);
	int32 threshold = PG_GETARG_INT32(2);
	int32 base = PG_GETARG_INT32(3);
	int32 digits = PG_GETARG_INT32(4);
	int64 rn;
	int64 rd;
	int64 scale = 1;
	Numeric n;
	Numeric d;
	Numeric q;
	Numeric unit;

	check_count(numerator, "sdc_percentage", "numerator");
	check_count(denominator, "sdc_percentage", "denominator");
	check_rule(threshold, base, "sdc_percentage");
	if (digits < 0 || digits > SDC_MAX_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("digits of sdc_percentage must be between 0 and %d",
						SDC_MAX_DIGITS),
				 errdetail("The digits is %d.", digits),
				 errhint("NHS Digital publishes 1 decimal place only when the "
						 "rounded denominator is at least 4,000.")));

	if (sdc_apply(numerator, threshold, base, &rn, "sdc_percentage") ==
			SDC_SUPPRESSED ||
		sdc_apply(denominator, threshold, base, &rd, "sdc_percentage") ==
			SDC_SUPPRESSED ||
		rd == 0)
		PG_RETURN_NULL();

	for (int i = 0; i < digits + 2; i++)
		scale *= 10;

	/*
	 * Fast path in int64 whenever nothing overflows (every realistic count).
	 * int64_div_fast_to_numeric may multiply q by up to 1000 internally.
	 */
	{
		int64 t;
		int64 num2;
		int64 den2;

		if (!pg_mul_s64_overflow(rn, 2 * scale, &t) &&
			!pg_add_s64_overflow(t, rd, &num2) &&
			!pg_mul_s64_overflow(rd, 2, &den2) &&
			num2 / den2 < PG_INT64_MAX / 1000)
			PG_RETURN_NUMERIC(int64_div_fast_to_numeric(num2 / den2, digits));
	}

	n = int64_to_numeric(rn);
	d = int64_to_numeric(rd);
	/* numerator 2 n s + d, denominator 2 d, truncating division */
	n = num_op(numeric_mul, n, int64_to_numeric(2 * scale));
	n = num_op(numeric_add, n, d);
	d = num_op(numeric_mul, d, int64_to_numeric(2));
	q = num_op(numeric_div_trunc, n, d);

	/* q units of 10^-digits: an exact product with scale digits */
	unit = DatumGetNumeric(DirectFunctionCall3(
		numeric_in, CStringGetDatum(psprintf("1e-%d", digits)),
		ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	PG_RETURN_NUMERIC(num_op(numeric_mul, q, unit));
}
