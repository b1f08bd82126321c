/*-------------------------------------------------------------------------
 *
 * value_ext.h
 *	  The few declarations shared by value_ext's C files: module start-up
 *	  hooks and the probability distributions used by several methods.
 *
 * Anything used by one file only stays static in that file.
 *
 *-------------------------------------------------------------------------
 */
#ifndef VALUE_EXT_H
#define VALUE_EXT_H

#include "postgres.h"

#include <math.h>

#include "access/tupdesc.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"

/*
 * CI builds with -Wall -Wextra -Werror, but PostgreSQL's own headers are not
 * -Wextra clean (inline functions such as dlist_next_node leave parameters
 * unused), and fmgr-style functions often ignore fcinfo: silence that one
 * warning for every file that includes this header first.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/*
 * value_ext.c: helpers for SQL-callable functions that return a composite.
 * composite_result forms the row of the function's declared result type;
 * set_limit_or_null stores a confidence limit, or NULL where the method
 * left NaN for a limit that does not exist, or where the limit is
 * unbounded because the confidence is 1 (100%).
 */
extern Datum composite_result(FunctionCallInfo fcinfo, Datum *values,
							  bool *nulls);

/*
 * The name of the function the user called: the aggregate's when called
 * for an aggregate (a support function is an implementation detail), else
 * the function's own.
 */
extern const char *called_function_name(FunctionCallInfo fcinfo);

/*
 * Finite input never gives NaN or Infinity: error 22003 naming `what`
 * unless v is finite. check_row_finite applies it to every non-NULL
 * float8 column of a result row (composite_result does it for every
 * composite).
 */
extern void check_result_finite(double v, const char *what, const char *fname);
extern void check_row_finite(TupleDesc tupdesc, const Datum *values,
							 const bool *nulls, const char *fname);

static inline void
set_limit_or_null(Datum *values, bool *nulls, int i, double v,
				  double confidence)
{
	if (isnan(v) || (isinf(v) && confidence >= 1.0))
		nulls[i] = true;
	else
		values[i] = Float8GetDatum(v);
}

/* distributions.c: one tested place for quantiles and CDFs */
extern double normal_cdf(double x);
extern double normal_quantile(double p);
/* regularised incomplete gamma P(a, x), Q(a, x) = 1 - P */
extern double gamma_p(double a, double x);
extern double gamma_q(double a, double x);
/* qchisq(p, df); df = 0 is the point mass at 0 */
extern double chisq_quantile(double p, double df);
/* regularised incomplete beta I_x(a, b) */
extern double incomplete_beta(double x, double a, double b);
/* Student t CDF and quantile qt(p, df) */
extern double t_cdf(double t, double df);
extern double t_quantile(double p, double df);

/*
 * states.c: value_list, the variable-size aggregate state shared by the
 * aggregates that must see every value of a group (exact shares, Gini,
 * quantiles, funnel trimming, concentration indices).
 *
 * A value_list holds `count` items of `width` float8 each (width 1 for plain
 * values, 2 for numerator/denominator pairs, ...), plus up to
 * VALUE_LIST_MAX_PARAMS float8 parameters that must agree across the group
 * (a top_share fraction, a benchmark's k). It is a real SQL type
 * (@extschema@.value_list) with exact, locale-independent text I/O, so
 * parallel workers and Citus nodes can ship partial states.
 *
 * Memory rule (see nodeAgg.c, ExecAggTransReparent): a transition or combine
 * function either updates the state in place and returns the same datum, or
 * returns a NEW state: flat in CurrentMemoryContext (never the aggregate
 * context; the executor copies it there and frees the old one), or an
 * expanded object whose memory context is a child of the aggregate context
 * (the executor keeps it as it is). value_list_add and value_list_combine
 * follow that rule, growing large states as expanded objects (states.c);
 * callers just return the datum they get. In-place updates happen only when
 * AggCheckCallContext says we are called as an aggregate; otherwise the
 * state is copied first.
 */
#define VALUE_LIST_VERSION 1
#define VALUE_LIST_MAX_WIDTH 8
#define VALUE_LIST_MAX_PARAMS 4

typedef struct ValueList
{
	int32 vl_len_;  /* varlena header: covers the whole capacity */
	uint8 version;  /* VALUE_LIST_VERSION */
	uint8 width;    /* float8 per item, 1..VALUE_LIST_MAX_WIDTH */
	uint8 nparams;  /* parameters in use, 0..VALUE_LIST_MAX_PARAMS */
	uint8 flags;    /* VALUE_LIST_SORTED or 0 */
	int32 padding;  /* keeps the float8s aligned; always 0 */
	int64 count;    /* items stored */
	int64 capacity; /* items allocated */
	float8 params[VALUE_LIST_MAX_PARAMS];
	float8 items[FLEXIBLE_ARRAY_MEMBER]; /* count * width, row major */
} ValueList;

/*
 * flags: VALUE_LIST_SORTED says the items of a width-1 list are in
 * ascending order (set only by code that sorted or checked them). Final
 * functions then use the items as they are instead of sorting a copy.
 * VALUE_LIST_ANY_ORDER, set by the aggregate that makes a width-1 list,
 * says its final function never needs the items in order (top_share
 * selects, exact_sum adds in any order): flattening and combining then
 * keep the items as they come instead of sorting and merging them. Both
 * live in memory only, never in the text or binary form: their readers
 * recompute SORTED, and a list read back without ANY_ORDER is only sorted
 * more often than it needs to be.
 */
#define VALUE_LIST_SORTED 0x01
#define VALUE_LIST_ANY_ORDER 0x02

/*
 * The state in a datum, flat or expanded, to read (never to change): an
 * expanded state is read where it lies, without flattening it.
 */
extern ValueList *value_list_from_datum(Datum d);

static inline ValueList *
DatumGetValueList(Datum d)
{
	/* the common case first: a plain flat varlena (4-byte header) */
	if (VARATT_IS_4B_U(DatumGetPointer(d)))
		return (ValueList *) DatumGetPointer(d);
	return value_list_from_datum(d);
}
#define PG_GETARG_VALUE_LIST(n) DatumGetValueList(PG_GETARG_DATUM(n))
#define PG_RETURN_VALUE_LIST(x) PG_RETURN_POINTER(x)
#define VALUE_LIST_ITEM(vl, i) (&(vl)->items[(int64) (i) * (vl)->width])

/* A new empty flat list in CurrentMemoryContext. */
extern ValueList *value_list_create(int width, int nparams,
									const float8 *params, int64 capacity);

/*
 * The body of a transition function's last line: `vl` is the state read
 * from argument 0 (already checked by the caller), or NULL to start a new
 * state of this width and these parameters, with room for `capacity`
 * items and `flags` (0 or VALUE_LIST_ANY_ORDER); `item` (width float8) is
 * appended and the state datum to return is returned.
 */
extern Datum value_list_add(FunctionCallInfo fcinfo, const ValueList *vl,
							int width, int nparams, const float8 *params,
							int64 capacity, uint8 flags, const float8 *item);

/*
 * The hot path of a transition function, tried before value_list_add once
 * the row's values are checked: appends `item` in place and returns true
 * when argument 0 is a large (expanded) state of this aggregate with this
 * width and these parameters and room for the item; else does nothing and
 * returns false (value_list_add then does the work and reports any error).
 * The caller returns argument 0 unchanged after true.
 */
extern bool value_list_append_fast(FunctionCallInfo fcinfo, int width,
								   int nparams, const float8 *params,
								   const float8 *item);

/*
 * The whole body of a value_list aggregate's combine function: handles the
 * four NULL cases, never returns or modifies its second argument, checks
 * both states (width 0 or nparams -1 accept any, for combine functions
 * shared by several aggregates; the two states must still agree with each
 * other: error 22023 when the widths or parameters differ) and merges in
 * place only inside an aggregate.
 */
extern Datum value_list_combine(FunctionCallInfo fcinfo, int width,
								int nparams, const char *aggname);

/* Error 22023 unless vl has this version, width and parameter count. */
extern pg_attribute_noreturn() void value_list_check_failed(
	const ValueList *vl, int width, int nparams, const char *aggname);

static inline void
value_list_check(const ValueList *vl, int width, int nparams,
				 const char *aggname)
{
	if (unlikely(vl->version != VALUE_LIST_VERSION || vl->width != width ||
				 vl->nparams != nparams))
		value_list_check_failed(vl, width, nparams, aggname);
}

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
 * The values of a width-1 list in ascending order: its own items when it
 * is marked sorted (*copied = false; do not change or free them), else a
 * sorted copy (*copied = true; the caller frees it).
 */
extern const float8 *value_list_sorted_values(const ValueList *vl,
											  bool *copied);

/*
 * exact_sum.c: the exact sum of non-negative finite doubles, the same bits
 * whatever the order of the terms. exact_sum_init, add, then read the sum
 * rounded to nearest with exact_sum_result (+Infinity past DBL_MAX). One
 * ExactSum is 1 kB.
 */
#define EXACT_SUM_CHUNKS 64 /* exponent fields 0..2047 in chunks of 32 */

typedef struct ExactSum
{
	/* chunk c: lo + hi * 2^64 units of 2^(32c - 1075) */
	uint64 lo[EXACT_SUM_CHUNKS];
	uint64 hi[EXACT_SUM_CHUNKS];
} ExactSum;

extern void exact_sum_init(ExactSum *s);
extern double exact_sum_result(const ExactSum *s);
/* add x `times` times (0 <= times < 2^32) */
extern void exact_sum_add_times(ExactSum *s, float8 x, int64 times);
/*
 * add (hi 2^64 + lo) units of 2^(e - 1075), 1 <= e <= 2046: a sum of
 * fewer than 2^32 mantissas m of one exponent field e (exact_sum_split),
 * so below 2^85 (hi < 2^21)
 */
extern void exact_sum_add_units(ExactSum *s, uint64 lo, uint64 hi, int e);

/*
 * x as m * 2^(32c + r - 1075), m < 2^53 an integer, 0 <= r < 32: returns
 * the chunk c; -0 reads as 0, subnormals as exponent field 1 without the
 * hidden bit.
 */
static inline int
exact_sum_split(float8 x, uint64 *m, int *r)
{
	uint64 u;
	int e;

	memcpy(&u, &x, sizeof(u));
	e = (int) ((u >> 52) & 0x7FF);
	*m = (u & UINT64CONST(0xFFFFFFFFFFFFF)) | ((uint64) (e != 0) << 52);
	e += (e == 0);
	*r = e & 31;
	return e >> 5;
}

/*
 * Add (hi 2^64 + lo) << r, 0 <= r < 32, to chunk c: a 128-bit add. Every
 * caller's value stays below 2^116 after the shift (a mantissa: 2^84), so
 * a chunk takes at least 2^12 of them, and 2^44 single costs, without
 * overflowing.
 */
static inline void
exact_sum_add_shifted(ExactSum *s, int c, int r, uint64 lo, uint64 hi)
{
	uint64 shifted_lo = lo << r;
	uint64 shifted_hi = (hi << r) | ((lo >> 1) >> (63 - r));
	uint64 t = s->lo[c] + shifted_lo;

	s->hi[c] += shifted_hi + (t < shifted_lo);
	s->lo[c] = t;
}

/*
 * Add x, which must be finite and not negative (the sign bit is ignored:
 * callers have rejected negative values). Branch-free.
 */
static inline void
exact_sum_add(ExactSum *s, float8 x)
{
	uint64 m;
	int r;
	int c = exact_sum_split(x, &m, &r);

	exact_sum_add_shifted(s, c, r, m, 0);
}

/* Take back an earlier exact_sum_add(s, x): the chunks are as before it. */
static inline void
exact_sum_sub(ExactSum *s, float8 x)
{
	uint64 m;
	int r;
	int c = exact_sum_split(x, &m, &r);
	uint64 old = s->lo[c];

	s->lo[c] = old - (m << r);
	s->hi[c] -= ((m >> 1) >> (63 - r)) + (old < (m << r));
}

/* nhs_number.c: the accepted written forms of an NHS number, Modulus 11 */
#define NHS_NUMBER_LEN 10
extern bool nhs_number_parse(const char *s, size_t len,
							 char out[NHS_NUMBER_LEN + 1]);

/* deprivation.c: IMD deciles, LSOA/postcode lookups and their cache */
extern void deprivation_init(void);

/*
 * rates.c: the interval methods of PHEindicatormethods (OHID/UKHSA), shared
 * by the public-health files (rates.c, dsr.c, quantile_group.c, life.c,
 * inequality.c).
 */
/*
 * A confidence level as PHE accepts it: 0.9..1 or 90..100 (percent);
 * returns the fraction. Error 22023 otherwise. `what` names the function.
 */
extern double phe_confidence(double confidence, const char *what);
/* two-sided normal critical value for a confidence fraction */
extern double phe_z(double confidence);
/* Byar's approximate Poisson limits for a count; lower < 0 gives NaN */
extern double byars_lower(double x, double confidence);
extern double byars_upper(double x, double confidence);
/* exact Poisson limits qchisq(a/2, 2x)/2 and qchisq(1-a/2, 2x+2)/2 */
extern double poisson_exact_lower(double x, double confidence);
extern double poisson_exact_upper(double x, double confidence);
/*
 * The float8[] state of a fixed-size aggregate: error 22023 unless it is a
 * one-dimensional float8 array of exactly `len` non-NULL elements.
 */
extern float8 *phe_state_values(ArrayType *state, int len,
								const char *aggname);
/*
 * Argument 0 of a fixed-size aggregate's transition function, checked as
 * phe_state_values does; error 22004 when it is NULL (a direct call).
 */
extern ArrayType *phe_state_arg(FunctionCallInfo fcinfo, int len,
								const char *aggname);
/* the elements of a checked state (no NULL bitmap, one dimension) */
#define PHE_STATE_DATA(a) ((float8 *) ((char *) (a) + ARR_OVERHEAD_NONULLS(1)))
/* a fresh one-dimensional float8[] holding values[0..len-1] */
extern ArrayType *phe_state_build(const float8 *values, int len);
/*
 * Error 22023 unless two rows (or partial states) of a group agree on the
 * confidence and the multiplier (pass 0 for both multipliers when the
 * aggregate has none).
 */
extern void phe_check_same_params(double conf_a, double mult_a, double conf_b,
								  double mult_b, const char *aggname);
/* error 22023 unless v is finite; `what` names the argument */
extern void phe_check_finite(double v, const char *what, const char *fname);

/* pseudonym.c: registers the GUC value_ext.pseudonym_key_file */
extern void pseudonym_init(void);

/*
 * postcode.c: a written UK postcode (any Unicode spacing, case, full-width
 * forms) to its compact form, 5..7 upper-case ASCII letters and digits
 * without the space; returns the length, or 0 when it is not a postcode.
 */
#define POSTCODE_COMPACT_MAX 7
extern int postcode_parse(const char *s, int len,
						  char out[POSTCODE_COMPACT_MAX + 1]);

#endif /* VALUE_EXT_H */
