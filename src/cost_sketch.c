/*-------------------------------------------------------------------------
 *
 * cost_sketch.c
 *	  The cost_sketch type and aggregates: person-level costs summarised in
 *	  logarithmic buckets of a few kilobytes, and the concentration figures
 *	  read from a sketch (top_share, gini, cost_quantile, cost_profile,
 *	  lorenz_curve), each with bounds that the truth provably lies within.
 *
 * Buckets (DDSketch's, with exact sums). With alpha the relative accuracy
 * and g = (1 + alpha) / (1 - alpha) rounded to a double, the edge E(i) is
 * g^i computed by binary powering (1 / g^-i below 1): only IEEE
 * multiplications and one division, so every node computes the same bits
 * whatever its libm. Bucket i holds the costs in (E(i-1), E(i)] within
 * (DBL_MIN, DBL_MAX]; costs of 0 are counted in a zero bucket and costs in
 * (0, DBL_MIN] in a tiny bucket. A logarithm (approx_ln) only guesses a
 * cost's bucket; the guess is corrected by comparing the cost with the
 * edges, so the bucket is min { i : cost <= E(i) }, the same on every
 * machine. Each product of the powering is within 2^-53 of exact, so
 * E(i) / E(i-1) = g within 1e-14 relative: the edges increase strictly for
 * alpha >= 0.0001, and a bucket's upper edge is at most g (1 + 1e-14) times
 * its lower one.
 *
 * Each bucket keeps its count and the exact sum of its costs, a 96-bit
 * integer in units of the ulp of the bucket's lower edge: a cost x in the
 * bucket has at most 2 more binary exponents than the edge (x / L <= g <= 3
 * for alpha <= 0.5), so it is an integer below 2^55 in those units, and 2^41
 * costs fit in one bucket before the sum could overflow (an error, never a
 * wrong sum). Counts and sums are integers, so merging (adding buckets)
 * gives the same state, bit for bit, in any order and any plan, and the
 * total is the exact sum rounded once: the same bits as the exact
 * aggregates' total.
 *
 * Representation: a varlena with the buckets sorted by index in four
 * arrays (count int64, sum low 64 bits, index int32, sum high 32 bits: 24
 * bytes a bucket), capacity >= nbuckets. Only non-empty buckets are kept.
 * The transition function adds in place under AggCheckCallContext when the
 * bucket exists or there is room, else returns a copy with twice the room
 * in CurrentMemoryContext (the executor moves it to the aggregate context:
 * nodeAgg.c, ExecAggTransReparent); the combine function always builds a
 * new state; the aggregate's final function returns a copy without spare
 * room, for storing.
 *
 * Bounds. Buckets are ordered (every cost of one bucket is at most every
 * cost of a later one), so the ranks each bucket's costs take in the sorted
 * list are known exactly, and only how the costs lie inside a bucket is
 * unknown: c costs in [L, U] with sum S. Every bound below is the extreme
 * over all such arrangements, so the exact value (the definitions of
 * concentration.c) lies within it.
 *	 The j largest of a bucket: sum in [max(j S / c, S - (c - j) U),
 *		min(j U, S - (c - j) L)] (the top j average at least the bucket's
 *		mean; the rest are at most U, at least L). The j smallest mirror it.
 *		Top and bottom sums interpolate as the exact definitions do, and a
 *		convex combination of bounds bounds the combination.
 *	 The r-th smallest of a bucket: in [max(L, (S - (c - r) U) / r),
 *		min(U, (S - (r - 1) L) / (c - r + 1))] (the r smallest are at most
 *		it, the others at most U; the c - r + 1 largest are at least it).
 *	 Gini: n T G = sum over pairs |x - y|. Pairs in different buckets
 *		contribute c_a S_b - c_b S_a whatever the arrangement, so only the
 *		pairs within a bucket are free: at least 0 (all at the bucket mean),
 *		at most the maximum of the convex function sum |x - y| over the
 *		polytope { x in [L, U]^c, sum x = S }, reached at a vertex: k costs
 *		at U, c - k - 1 at L and one between, worth k (c - k) W + (c - 2k -
 *		1) (R - k W) with W = U - L, R = S - c L (Gastwirth 1972's grouped
 *		bounds). That maximum is the minimum over k of these lines (a
 *		concave piecewise-linear function of R), so any k, however rounded,
 *		gives an upper bound.
 * The bounds are computed in double precision with a running bound on the
 * absolute rounding error of every operation (Approx below: each IEEE
 * operation errs by at most 2^-53 of its result, or 2^-1074 below
 * DBL_MIN), and moved outwards by that error, so they hold for the real
 * numbers, not just for their rounded images. They are moved out further by
 * 16 epsilon (shares and Gini) or 8 epsilon relative (costs), which covers
 * the rounding of the exact aggregates themselves, so the exact functions'
 * results fall within the bounds too; then clamped to what the quantity
 * can be (shares in [0, 1], a quantile within its buckets' edges).
 *
 * Estimates: the figure of one arrangement the sketch allows, the same for
 * every final: every cost at its bucket's mean (exact for a bucket of one
 * cost or of equal costs, as repeated tariff prices are; within a bucket's
 * width otherwise). Estimates therefore always lie within the bounds; for
 * the Gini this arrangement is the one of the lower bound.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "concentration.h"
#include "exact_sum.h"
#include "results.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define COST_SKETCH_VERSION 1
#define MIN_ACCURACY 0.0001
#define MAX_ACCURACY 0.5
#define DEFAULT_ACCURACY 0.005
/* the zero bucket (costs of 0) and the tiny one (0, DBL_MIN] sort first */
#define ZERO_INDEX PG_INT32_MIN
#define TINY_INDEX (PG_INT32_MIN + 1)
/* exponent field of the tiny bucket's unit, 2^-1074 */
#define TINY_UNIT_FIELD 1
/* Most buckets a sketch can hold (MaxAllocSize / 24 bytes). */
#define MAX_BUCKETS 40000000

typedef struct CostSketch
{
	int32 vl_len_;    /* varlena header */
	uint8 version;    /* COST_SKETCH_VERSION */
	uint8 padding[3]; /* always 0 */
	int32 nbuckets;   /* non-empty buckets */
	int32 capacity;   /* buckets allocated */
	float8 accuracy;  /* the relative accuracy alpha */
	int64 count;      /* costs in all buckets */
	/* then counts, sums' low words, indices, sums' high words */
} CostSketch;

#define CS_HEADER MAXALIGN(sizeof(CostSketch))
#define CS_COUNTS(s) ((int64 *) ((char *) (s) + CS_HEADER))
#define CS_SUM_LO(s) ((uint64 *) (CS_COUNTS(s) + (s)->capacity))
#define CS_INDEX(s) ((int32 *) (CS_SUM_LO(s) + (s)->capacity))
#define CS_SUM_HI(s) ((uint32 *) (CS_INDEX(s) + (s)->capacity))
#define CS_SIZE(capacity) (CS_HEADER + (Size) (capacity) *24)

/* The columns of the cost_sketch_profile composite, in order. */
enum
{
	SP_PERSONS,
	SP_TOTAL,
	SP_MEAN,
	SP_MEDIAN,
	SP_P90,
	SP_P99,
	SP_MAX,
	SP_TOP1,
	SP_TOP5,
	SP_TOP20,
	SP_GINI,
	SP_BOUNDS /* then lower and upper of median .. gini, in that order */
};
#define SP_NCOLUMNS (SP_BOUNDS + 2 * (SP_GINI - SP_MEDIAN + 1))

/* ----------------------------------------------------------------------
 * Bucket edges
 * ----------------------------------------------------------------------
 */

/* Cache of edges for one accuracy, direct mapped by bucket index. */
#define EDGE_CACHE_SIZE 16384
typedef struct EdgeCache
{
	float8 accuracy;
	float8 gamma;
	float8 inv_log_gamma;
	int32 key[EDGE_CACHE_SIZE];
	float8 edge[EDGE_CACHE_SIZE];
	/*
	 * Where the transition function last found bucket i (slot as edge[]):
	 * a hint, checked against the state before use, so a stale one (after
	 * an insertion, or from another group's state) only costs a search.
	 */
	int32 position[EDGE_CACHE_SIZE];
} EdgeCache;

/*
 * log2(1 + k/1024), k = 0..1024, for approx_ln: filled once per backend.
 * Only the guess of a bucket depends on it, never the bucket itself.
 */
static double log2_table[1025];
static bool log2_table_ready = false;

static void
edge_cache_init(EdgeCache *ec, float8 accuracy)
{
	ec->accuracy = accuracy;
	ec->gamma = (1.0 + accuracy) / (1.0 - accuracy);
	ec->inv_log_gamma = 1.0 / log(ec->gamma);
	if (!log2_table_ready)
	{
		for (int k = 0; k <= 1024; k++)
			log2_table[k] = log2(1.0 + k / 1024.0);
		log2_table_ready = true;
	}
	/* no valid index is ZERO_INDEX: every slot starts empty */
	for (int i = 0; i < EDGE_CACHE_SIZE; i++)
	{
		ec->key[i] = ZERO_INDEX;
		ec->position[i] = -1;
	}
}

/* g^k, k >= 0, by binary powering: IEEE products only, so reproducible. */
static double
gamma_power(double g, uint32 k)
{
	double result = 1.0;
	double base = g;

	while (k)
	{
		if (k & 1)
			result *= base;
		k >>= 1;
		if (k)
			base *= base;
	}
	return result;
}

/* E(i): g^i, or 1 / g^-i for i < 0 (+Infinity past DBL_MAX). */
static double
edge(EdgeCache *ec, int32 i)
{
	int slot = (int) ((uint32) i & (EDGE_CACHE_SIZE - 1));

	if (ec->key[slot] != i)
	{
		ec->edge[slot] = i >= 0 ? gamma_power(ec->gamma, (uint32) i)
								: 1.0 / gamma_power(ec->gamma, -(int64) i);
		ec->key[slot] = i;
	}
	return ec->edge[slot];
}

/*
 * ln x for x > DBL_MIN within about 2e-7: the exponent plus log2 of the
 * mantissa interpolated in log2_table. Faster than log(), and good enough
 * for a first guess that the edges then correct.
 */
static inline double
approx_ln(double x)
{
	uint64 u;
	uint64 frac;
	int k;
	double t;

	memcpy(&u, &x, sizeof(u));
	frac = u & UINT64CONST(0xFFFFFFFFFFFFF);
	k = (int) (frac >> 42);
	t = (double) (frac & ((UINT64CONST(1) << 42) - 1)) * 0x1p-42;
	return ((double) ((int) ((u >> 52) & 0x7FF) - 1023) + log2_table[k] +
			t * (log2_table[k + 1] - log2_table[k])) *
		   M_LN2;
}

/* The index of the bucket of a cost x in (DBL_MIN, DBL_MAX]. */
static int32
bucket_of(EdgeCache *ec, double x)
{
	int32 i = (int32) ceil(approx_ln(x) * ec->inv_log_gamma);

	while (x > edge(ec, i))
		i++;
	while (x <= edge(ec, i - 1))
		i--;
	return i;
}

/* The edges [L, U] of bucket i as this file's bounds use them. */
static void
bucket_edges(EdgeCache *ec, int32 i, double *lower, double *upper)
{
	if (i == ZERO_INDEX)
		*lower = *upper = 0;
	else if (i == TINY_INDEX)
	{
		*lower = 0;
		*upper = DBL_MIN;
	}
	else
	{
		*lower = Max(edge(ec, i - 1), DBL_MIN);
		*upper = Min(edge(ec, i), DBL_MAX);
	}
}

/*
 * The exponent field of the unit of bucket i's sum: its lower edge's ulp
 * (the edge is at least DBL_MIN, so normal: its exponent field).
 */
static int
unit_field(EdgeCache *ec, int32 i)
{
	double lower, upper;
	uint64 u;

	if (i == ZERO_INDEX || i == TINY_INDEX)
		return TINY_UNIT_FIELD;
	bucket_edges(ec, i, &lower, &upper);
	memcpy(&u, &lower, sizeof(u));
	return (int) ((u >> 52) & 0x7FF);
}

/*
 * The edge cache for an accuracy. Edges depend on the accuracy alone, so
 * the backend keeps a few caches (in TopMemoryContext, 256 kB each) that
 * every call shares; the position hints in them are checked before use, so
 * sharing them across groups and call sites is safe. They are not kept in
 * fn_extra: Citus's wrapper aggregate (worker_partial_agg) looks the
 * transition function up again for every row, so a cache there would be
 * allocated and filled again for every cost. Each call asks for one
 * accuracy and is done with its cache when it returns, so replacing
 * caches round robin never pulls one from under its user.
 */
#define EDGE_CACHES 4
static EdgeCache *edge_caches[EDGE_CACHES];
static int edge_cache_next = 0;

static EdgeCache *
edge_cache_for(float8 accuracy)
{
	EdgeCache *ec;

	for (int i = 0; i < EDGE_CACHES; i++)
		if (edge_caches[i] != NULL && edge_caches[i]->accuracy == accuracy)
			return edge_caches[i];
	if (edge_caches[edge_cache_next] == NULL)
		edge_caches[edge_cache_next] =
			MemoryContextAlloc(TopMemoryContext, sizeof(EdgeCache));
	ec = edge_caches[edge_cache_next];
	edge_cache_init(ec, accuracy);
	edge_cache_next = (edge_cache_next + 1) % EDGE_CACHES;
	return ec;
}

/* ----------------------------------------------------------------------
 * Checks and errors
 * ----------------------------------------------------------------------
 */

/* The function to name in an error of a support function of cost_sketch. */
static const char *
sketch_fname(FunctionCallInfo fcinfo)
{
	const char *name = called_function_name(fcinfo);

	/* called directly: name the aggregate the function serves */
	if (strncmp(name, "cost_sketch", 11) == 0)
		return "cost_sketch";
	return name;
}

static void
check_accuracy(float8 accuracy, const char *fname)
{
	if (!(accuracy >= MIN_ACCURACY && accuracy <= MAX_ACCURACY))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relative_accuracy of %s must be between 0.0001 and "
						"0.5",
						fname),
				 errdetail("The relative_accuracy is %s.",
						   float8out_internal(accuracy)),
				 errhint("Give the relative accuracy as a fraction, e.g. "
						 "0.005 for costs placed within 0.5%%.")));
}

static pg_attribute_noreturn() void accuracy_changed(const char *fname,
													 float8 started,
													 float8 now)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("relative_accuracy of %s must be the same for every row "
					"of a group",
					fname),
			 errdetail("The group started with %s and now has %s.",
					   float8out_internal(started), float8out_internal(now)),
			 errhint("Pass a constant, or group by relative_accuracy.")));
}

static void
check_cost(float8 cost, FunctionCallInfo fcinfo)
{
	if (unlikely(!(cost >= 0 && cost <= DBL_MAX)))
		reject_cost(cost, sketch_fname(fcinfo));
}

static pg_attribute_noreturn() void too_many_costs(const char *fname)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("number of costs of %s is out of range", fname),
			 errdetail("A sketch holds fewer than 2^63 costs, and fewer than "
					   "2^41 in one bucket.")));
}

static pg_attribute_noreturn() void invalid_state(const char *fname,
												  const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid state for %s", fname), errdetail("%s", why),
			 errhint("Pass only sketches made by cost_sketch.")));
}

/*
 * The sketch in a datum (detoasted), its header checked; the buckets were
 * checked when the text or binary form was read (the only way to make a
 * sketch other than this file's functions).
 */
static CostSketch *
sketch_from_datum(Datum d, const char *fname)
{
	CostSketch *s = (CostSketch *) PG_DETOAST_DATUM(d);

	if (s->version != COST_SKETCH_VERSION || s->nbuckets < 0 ||
		s->capacity < s->nbuckets || VARSIZE(s) != CS_SIZE(s->capacity) ||
		!(s->accuracy >= MIN_ACCURACY && s->accuracy <= MAX_ACCURACY))
		invalid_state(fname, "The sketch's header is malformed.");
	return s;
}

/* ----------------------------------------------------------------------
 * Making and changing sketches
 * ----------------------------------------------------------------------
 */

/* A new empty sketch in CurrentMemoryContext. */
static CostSketch *
sketch_create(float8 accuracy, int64 capacity)
{
	CostSketch *s;

	if (capacity > MAX_BUCKETS)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("cost sketch too large"),
						errdetail("A sketch holds at most %d buckets.",
								  MAX_BUCKETS)));
	s = palloc0(CS_SIZE(capacity));
	SET_VARSIZE(s, CS_SIZE(capacity));
	s->version = COST_SKETCH_VERSION;
	s->capacity = (int32) capacity;
	s->accuracy = accuracy;
	return s;
}

/* A copy of s with room for `capacity` buckets (at least its own). */
static CostSketch *
sketch_copy(const CostSketch *s, int64 capacity)
{
	CostSketch *copy = sketch_create(s->accuracy, Max(capacity, s->nbuckets));
	int32 nb = s->nbuckets;

	memcpy(CS_COUNTS(copy), CS_COUNTS(s), nb * sizeof(int64));
	memcpy(CS_SUM_LO(copy), CS_SUM_LO(s), nb * sizeof(uint64));
	memcpy(CS_INDEX(copy), CS_INDEX(s), nb * sizeof(int32));
	memcpy(CS_SUM_HI(copy), CS_SUM_HI(s), nb * sizeof(uint32));
	copy->nbuckets = nb;
	copy->count = s->count;
	return copy;
}

/*
 * The position of bucket `index` in s, or -(insertion point) - 1. The
 * search is branch-free (costs come in no order, so a branching search
 * mispredicts about every other step).
 */
static int32
find_bucket(const CostSketch *s, int32 index)
{
	const int32 *idx = CS_INDEX(s);
	const int32 *base = idx;
	int32 n = s->nbuckets;
	int32 pos;

	if (n == 0)
		return -1;
	/* the last element of base[0 .. n) that is <= index, or base[0] */
	while (n > 1)
	{
		int32 half = n / 2;

		base = (base[half] <= index) ? base + half : base;
		n -= half;
	}
	pos = (int32) (base - idx);
	if (*base == index)
		return pos;
	/* insert after base when it is smaller, else before it */
	return -(pos + (*base < index)) - 1;
}

/* Open an empty bucket `index` at position pos (room checked by caller). */
static void
insert_bucket(CostSketch *s, int32 pos, int32 index)
{
	int32 tail = s->nbuckets - pos;

	memmove(CS_COUNTS(s) + pos + 1, CS_COUNTS(s) + pos, tail * sizeof(int64));
	memmove(CS_SUM_LO(s) + pos + 1, CS_SUM_LO(s) + pos, tail * sizeof(uint64));
	memmove(CS_INDEX(s) + pos + 1, CS_INDEX(s) + pos, tail * sizeof(int32));
	memmove(CS_SUM_HI(s) + pos + 1, CS_SUM_HI(s) + pos, tail * sizeof(uint32));
	CS_COUNTS(s)[pos] = 0;
	CS_SUM_LO(s)[pos] = 0;
	CS_INDEX(s)[pos] = index;
	CS_SUM_HI(s)[pos] = 0;
	s->nbuckets++;
}

/*
 * Add count costs of `lo + hi 2^64` units to bucket position pos: false on
 * overflow (the caller reports it).
 */
static inline bool
bucket_add(CostSketch *s, int32 pos, int64 count, uint64 lo, uint64 hi)
{
	uint64 *sum_lo = CS_SUM_LO(s) + pos;
	uint32 *sum_hi = CS_SUM_HI(s) + pos;
	uint64 t = *sum_lo + lo;
	uint64 h = (uint64) *sum_hi + hi + (t < lo);

	if (h > PG_UINT32_MAX ||
		pg_add_s64_overflow(CS_COUNTS(s)[pos], count, &CS_COUNTS(s)[pos]) ||
		pg_add_s64_overflow(s->count, count, &s->count))
		return false;
	*sum_lo = t;
	*sum_hi = (uint32) h;
	return true;
}

/*
 * The bucket of a cost and the cost in that bucket's units: x = m 2^shift
 * units, m < 2^53, shift <= 2 (see the file header).
 */
static inline int32
cost_bucket(EdgeCache *ec, double x, uint64 *units)
{
	uint64 u;
	int field;
	uint64 m;
	int32 i;

	memcpy(&u, &x, sizeof(u));
	field = (int) ((u >> 52) & 0x7FF);
	m = (u & UINT64CONST(0xFFFFFFFFFFFFF)) | ((uint64) (field != 0) << 52);
	if (x == 0)
	{
		*units = 0;
		return ZERO_INDEX;
	}
	if (x <= DBL_MIN)
	{
		*units = m; /* field 0 or 1: units of 2^-1074 */
		return TINY_INDEX;
	}
	i = bucket_of(ec, x);
	*units = m << (field - unit_field(ec, i));
	return i;
}

/*
 * Add a checked cost to the sketch in argument 0 (or a new one), in place
 * when allowed and there is room; returns the state datum.
 */
static Datum
sketch_add(FunctionCallInfo fcinfo, float8 cost, float8 accuracy)
{
	CostSketch *s;
	EdgeCache *ec = edge_cache_for(accuracy);
	uint64 units;
	int32 index = cost_bucket(ec, cost, &units);
	int32 pos;
	int slot;

	if (PG_ARGISNULL(0))
		s = sketch_create(accuracy, 16);
	else
	{
		s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_sketch");
		if (s->accuracy != accuracy)
			accuracy_changed(sketch_fname(fcinfo), s->accuracy, accuracy);
		if (!AggCheckCallContext(fcinfo, NULL) ||
			(Pointer) s != PG_GETARG_POINTER(0))
			s = sketch_copy(s, s->nbuckets + 1);
	}
	slot = (int) ((uint32) index & (EDGE_CACHE_SIZE - 1));
	pos = ec->position[slot];
	if (pos < 0 || pos >= s->nbuckets || CS_INDEX(s)[pos] != index)
		pos = find_bucket(s, index);
	if (pos < 0)
	{
		pos = -pos - 1;
		if (s->nbuckets == s->capacity)
			s = sketch_copy(s, (int64) s->capacity * 2);
		insert_bucket(s, pos, index);
	}
	ec->position[slot] = pos;
	if (!bucket_add(s, pos, 1, units, 0))
		too_many_costs(sketch_fname(fcinfo));
	PG_RETURN_POINTER(s);
}

/* cost_sketch_trans(cost_sketch, cost): relative accuracy 0.005 */
PG_FUNCTION_INFO_V1(cost_sketch_trans);
Datum
cost_sketch_trans(PG_FUNCTION_ARGS)
{
	float8 cost;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cost = PG_GETARG_FLOAT8(1);
	check_cost(cost, fcinfo);
	return sketch_add(fcinfo, cost, DEFAULT_ACCURACY);
}

/* cost_sketch_trans(cost_sketch, cost, relative_accuracy) */
PG_FUNCTION_INFO_V1(cost_sketch_trans_accuracy);
Datum
cost_sketch_trans_accuracy(PG_FUNCTION_ARGS)
{
	float8 cost;
	float8 accuracy;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cost = PG_GETARG_FLOAT8(1);
	accuracy = PG_GETARG_FLOAT8(2);
	check_accuracy(accuracy, sketch_fname(fcinfo));
	check_cost(cost, fcinfo);
	return sketch_add(fcinfo, cost, accuracy);
}

/*
 * cost_sketch_combine(cost_sketch, cost_sketch): the combine function of
 * both aggregates and the transition function of the merge aggregate. The
 * buckets of both, added; always a new sketch (never the second argument).
 */
PG_FUNCTION_INFO_V1(cost_sketch_combine);
Datum
cost_sketch_combine(PG_FUNCTION_ARGS)
{
	CostSketch *a, *b, *out;
	int32 i = 0, j = 0;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = sketch_from_datum(PG_GETARG_DATUM(1), "cost_sketch");
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(sketch_copy(b, b->nbuckets));
	a = sketch_from_datum(PG_GETARG_DATUM(0), "cost_sketch");
	if (a->accuracy != b->accuracy)
		accuracy_changed(sketch_fname(fcinfo), a->accuracy, b->accuracy);

	out = sketch_create(a->accuracy, (int64) a->nbuckets + b->nbuckets);
	while (i < a->nbuckets || j < b->nbuckets)
	{
		const CostSketch *from;
		int32 k;
		int32 pos = out->nbuckets;

		if (j >= b->nbuckets ||
			(i < a->nbuckets && CS_INDEX(a)[i] <= CS_INDEX(b)[j]))
			from = a, k = i++;
		else
			from = b, k = j++;
		if (pos == 0 || CS_INDEX(out)[pos - 1] != CS_INDEX(from)[k])
			insert_bucket(out, pos, CS_INDEX(from)[k]);
		else
			pos--;
		if (!bucket_add(out, pos, CS_COUNTS(from)[k], CS_SUM_LO(from)[k],
						CS_SUM_HI(from)[k]))
			too_many_costs(sketch_fname(fcinfo));
		if ((out->nbuckets & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(out);
}

/*
 * cost_sketch_final(cost_sketch): the aggregates' result, a copy without
 * spare room (the state itself is never changed).
 */
PG_FUNCTION_INFO_V1(cost_sketch_final);
Datum
cost_sketch_final(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_sketch");

	PG_RETURN_POINTER(sketch_copy(s, s->nbuckets));
}

/* ----------------------------------------------------------------------
 * Text and binary forms
 *	  "1;ACCURACY;INDEX:COUNT:SUM;..." with the buckets in index order, the
 *	  zero bucket as "zero:COUNT", the tiny one as "tiny:COUNT:SUM", SUM the
 *	  exact sum as a decimal integer in the bucket's units (the ulp of its
 *	  lower edge; 2^-1074 for the tiny bucket).
 * ----------------------------------------------------------------------
 */

static void
append_u96(StringInfo buf, uint64 lo, uint32 hi)
{
	char digits[32];
	int n = 0;
	uint128 v = ((uint128) hi << 64) | lo;

	do
	{
		digits[n++] = (char) ('0' + (int) (v % 10));
		v /= 10;
	} while (v != 0);
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);
}

PG_FUNCTION_INFO_V1(cost_sketch_out);
Datum
cost_sketch_out(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_sketch_out");
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d;%s", s->version,
					 float8out_internal(s->accuracy));
	for (int32 k = 0; k < s->nbuckets; k++)
	{
		int32 index = CS_INDEX(s)[k];

		if (index == ZERO_INDEX)
		{
			appendStringInfo(&buf, ";zero:" INT64_FORMAT, CS_COUNTS(s)[k]);
			continue;
		}
		if (index == TINY_INDEX)
			appendStringInfoString(&buf, ";tiny");
		else
			appendStringInfo(&buf, ";%d", index);
		appendStringInfo(&buf, ":" INT64_FORMAT ":", CS_COUNTS(s)[k]);
		append_u96(&buf, CS_SUM_LO(s)[k], CS_SUM_HI(s)[k]);
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * NULL when bucket k of s is consistent with its edges, else why not: the
 * checks that make every bound of this file hold for a sketch read back.
 */
static const char *
bucket_problem(EdgeCache *ec, const CostSketch *s, int32 k, int32 min_index,
			   int32 max_index)
{
	int32 index = CS_INDEX(s)[k];
	int64 count = CS_COUNTS(s)[k];
	uint128 sum = ((uint128) CS_SUM_HI(s)[k] << 64) | CS_SUM_LO(s)[k];
	uint128 lower_units, upper_units;
	double lower, upper;
	int unit;

	if (count <= 0)
		return "A bucket has no costs.";
	if (k > 0 && CS_INDEX(s)[k - 1] >= index)
		return "The buckets are not in increasing order.";
	if (index == ZERO_INDEX)
		return sum == 0 ? NULL : "The zero bucket has a sum.";
	if (index != TINY_INDEX && (index < min_index || index > max_index))
		return "A bucket holds no finite cost at this accuracy.";
	bucket_edges(ec, index, &lower, &upper);
	unit = unit_field(ec, index);
	/* the edges are whole numbers of units (2 binades at most apart) */
	lower_units = (uint128) ldexp(lower, 1075 - unit);
	upper_units = (uint128) ldexp(upper, 1075 - unit);
	/* every cost is above the lower edge by a unit at least, at most U */
	if (sum < (lower_units + 1) * (uint128) count ||
		sum > upper_units * (uint128) count)
		return "A bucket's sum does not fit its count and edges.";
	return NULL;
}

/* Check every bucket of a sketch read back; fname names the reader. */
static void
check_buckets(CostSketch *s, void (*fail)(const char *input, const char *why),
			  const char *input)
{
	EdgeCache *ec = edge_cache_for(s->accuracy);
	int32 min_index, max_index;
	int64 total = 0;

	min_index = bucket_of(ec, nextafter(DBL_MIN, 1.0));
	max_index = bucket_of(ec, DBL_MAX);
	for (int32 k = 0; k < s->nbuckets; k++)
	{
		const char *why = bucket_problem(ec, s, k, min_index, max_index);

		if (why != NULL)
			fail(input, why);
		if (pg_add_s64_overflow(total, CS_COUNTS(s)[k], &total))
			fail(input, "The sketch holds 2^63 costs or more.");
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	s->count = total;
}

static pg_attribute_noreturn() void syntax_error(const char *input,
												 const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type cost_sketch: \"%.40s%s\"",
					input, strlen(input) > 40 ? "..." : ""),
			 errdetail("%s", why),
			 errhint("A cost_sketch reads \"version;relative_accuracy;"
					 "index:count:sum;...\", e.g. \"1;0.005;zero:2;0:1:"
					 "9007199254740992\"; it is made by the cost_sketch "
					 "aggregate, not typed by hand.")));
}

/* A decimal integer below 2^96 from *p, which is advanced past it. */
static bool
parse_u96(const char **p, uint128 *v)
{
	const char *c = *p;
	uint128 limit = (uint128) 1 << 96;

	*v = 0;
	if (*c < '0' || *c > '9')
		return false;
	for (; *c >= '0' && *c <= '9'; c++)
	{
		*v = *v * 10 + (uint128) (*c - '0');
		if (*v >= limit)
			return false;
	}
	*p = c;
	return true;
}

/* A signed decimal int32 from *p, advanced past it. */
static bool
parse_int32(const char **p, int32 *v)
{
	const char *c = *p;
	bool negative = (*c == '-');
	int64 acc = 0;

	if (negative)
		c++;
	if (*c < '0' || *c > '9')
		return false;
	for (; *c >= '0' && *c <= '9'; c++)
	{
		acc = acc * 10 + (*c - '0');
		if (acc > (int64) PG_INT32_MAX + 1)
			return false;
	}
	acc = negative ? -acc : acc;
	if (acc < PG_INT32_MIN + 2 || acc > PG_INT32_MAX)
		return false;
	*v = (int32) acc;
	*p = c;
	return true;
}

PG_FUNCTION_INFO_V1(cost_sketch_in);
Datum
cost_sketch_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	const char *semi;
	char *number;
	float8 accuracy;
	int32 nbuckets = 0;
	CostSketch *s;

	if (strncmp(p, "1;", 2) != 0)
		syntax_error(input, "The sketch does not start with version 1.");
	p += 2;
	semi = strchr(p, ';');
	number = pnstrdup(p, semi ? (Size) (semi - p) : strlen(p));
	{
		char *end;

		errno = 0;
		accuracy = strtod(number, &end);
		if (*number == '\0' || *end != '\0' || errno != 0)
			syntax_error(input, "The relative accuracy is not a number.");
	}
	check_accuracy(accuracy, "cost_sketch");
	for (const char *c = p; *c; c++)
		nbuckets += (*c == ';');
	s = sketch_create(accuracy, nbuckets);
	p = semi;
	while (p != NULL)
	{
		int32 index;
		int64 count = 0;
		uint128 sum = 0;
		int32 k = s->nbuckets;

		p++; /* the ';' */
		if (strncmp(p, "zero:", 5) == 0)
			index = ZERO_INDEX, p += 5;
		else if (strncmp(p, "tiny:", 5) == 0)
			index = TINY_INDEX, p += 5;
		else if (!parse_int32(&p, &index) || *p++ != ':')
			syntax_error(input, "A bucket does not start with its index.");
		{
			uint128 c;

			if (!parse_u96(&p, &c) || c > (uint128) PG_INT64_MAX)
				syntax_error(input, "A bucket's count is not a number.");
			count = (int64) c;
		}
		if (index != ZERO_INDEX && (*p++ != ':' || !parse_u96(&p, &sum)))
			syntax_error(input, "A bucket's sum is not a number.");
		if (*p != ';' && *p != '\0')
			syntax_error(input, "A bucket has more than index, count and "
								"sum.");
		CS_INDEX(s)[k] = index;
		CS_COUNTS(s)[k] = count;
		CS_SUM_LO(s)[k] = (uint64) sum;
		CS_SUM_HI(s)[k] = (uint32) (sum >> 64);
		s->nbuckets++;
		p = (*p == ';') ? p : NULL;
	}
	check_buckets(s, syntax_error, input);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cost_sketch_send);
Datum
cost_sketch_send(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_sketch_send");
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendfloat8(&buf, s->accuracy);
	pq_sendint32(&buf, s->nbuckets);
	for (int32 k = 0; k < s->nbuckets; k++)
	{
		pq_sendint32(&buf, CS_INDEX(s)[k]);
		pq_sendint64(&buf, CS_COUNTS(s)[k]);
		pq_sendint64(&buf, CS_SUM_LO(s)[k]);
		pq_sendint32(&buf, CS_SUM_HI(s)[k]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static pg_attribute_noreturn() void binary_error(const char *input,
												 const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary cost_sketch"), errdetail("%s", why)));
}

PG_FUNCTION_INFO_V1(cost_sketch_recv);
Datum
cost_sketch_recv(PG_FUNCTION_ARGS)
{
	StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
	int version = pq_getmsgbyte(buf);
	float8 accuracy = pq_getmsgfloat8(buf);
	int32 nbuckets = pq_getmsgint(buf, 4);
	CostSketch *s;

	if (version != COST_SKETCH_VERSION)
		binary_error(NULL, "The sketch is not version 1.");
	check_accuracy(accuracy, "cost_sketch");
	/* 24 bytes a bucket must follow */
	if (nbuckets < 0 || nbuckets > (buf->len - buf->cursor) / 24)
		binary_error(NULL, "The bucket count does not match the data.");
	s = sketch_create(accuracy, nbuckets);
	for (int32 k = 0; k < nbuckets; k++)
	{
		CS_INDEX(s)[k] = pq_getmsgint(buf, 4);
		CS_COUNTS(s)[k] = pq_getmsgint64(buf);
		CS_SUM_LO(s)[k] = (uint64) pq_getmsgint64(buf);
		CS_SUM_HI(s)[k] = (uint32) pq_getmsgint(buf, 4);
	}
	s->nbuckets = nbuckets;
	pq_getmsgend(buf);
	check_buckets(s, binary_error, NULL);
	PG_RETURN_POINTER(s);
}

/* ----------------------------------------------------------------------
 * Rigorous arithmetic: a double and a bound on its absolute error
 * ----------------------------------------------------------------------
 */
typedef struct Approx
{
	double v; /* the computed value */
	double e; /* |exact - v| <= e */
} Approx;

/*
 * Per operation: round to nearest errs by at most 2^-53 of the result
 * (DBL_EPSILON / 2), or 2^-1075 absolute below DBL_MIN. The error terms
 * are counted twice over (DBL_EPSILON), which also covers the rounding of
 * the error terms' own arithmetic.
 */
#define OP_ERR DBL_EPSILON

static inline Approx
ap(double v)
{
	Approx a = {v, 0};

	return a;
}

/* a count as a double: exact below 2^53 */
static inline Approx
ap_count(int64 c)
{
	Approx a = {(double) c, 0};

	if (c > (INT64CONST(1) << 53) || c < -(INT64CONST(1) << 53))
		a.e = fabs(a.v) * OP_ERR;
	return a;
}

static inline Approx
ap_add(Approx a, Approx b)
{
	Approx r;

	r.v = a.v + b.v;
	r.e = a.e + b.e + fabs(r.v) * OP_ERR;
	return r;
}

static inline Approx
ap_sub(Approx a, Approx b)
{
	Approx r;

	r.v = a.v - b.v;
	r.e = a.e + b.e + fabs(r.v) * OP_ERR;
	return r;
}

static inline Approx
ap_mul(Approx a, Approx b)
{
	Approx r;

	r.v = a.v * b.v;
	r.e = fabs(a.v) * b.e + fabs(b.v) * a.e + a.e * b.e + fabs(r.v) * OP_ERR +
		  DBL_TRUE_MIN;
	return r;
}

/* a / b for b known positive (b.v > b.e); else an unbounded result */
static inline Approx
ap_div(Approx a, Approx b)
{
	Approx r;
	double d = b.v - b.e;

	r.v = a.v / b.v;
	if (!(d > 0) || !isfinite(r.v))
	{
		r.e = INFINITY;
		return r;
	}
	r.e = (a.e + fabs(r.v) * b.e) / d * (1 + OP_ERR) + fabs(r.v) * OP_ERR +
		  DBL_TRUE_MIN;
	return r;
}

/*
 * A number at most the exact value, with `slack` more room; the factor on
 * e covers any shortfall of the error terms' own rounding.
 */
static inline double
ap_lower(Approx a, double slack)
{
	double e = a.e * (1 + 1.0 / 1048576) + slack;

	if (!isfinite(a.v) || !isfinite(e))
		return -INFINITY;
	return nextafter(a.v - e, -INFINITY);
}

static inline double
ap_upper(Approx a, double slack)
{
	double e = a.e * (1 + 1.0 / 1048576) + slack;

	if (!isfinite(a.v) || !isfinite(e))
		return INFINITY;
	return nextafter(a.v + e, INFINITY);
}

/* slack for shares and Gini (absolute), and costs (relative) */
#define SHARE_SLACK (16 * DBL_EPSILON)
#define COST_SLACK(v) (8 * DBL_EPSILON * fabs(v) + DBL_TRUE_MIN)

/* v within [lo, hi]; NaN (an overflowed estimate) reads as lo */
static inline double
clamp(double v, double lo, double hi)
{
	return !(v >= lo) ? lo : (v > hi ? hi : v);
}

/* ----------------------------------------------------------------------
 * A sketch read for the final functions
 * ----------------------------------------------------------------------
 */
typedef struct SketchView
{
	int32 nb;
	int64 n;
	double total; /* the exact total, rounded once */
	Approx t;     /* the total with its rounding error */
	int64 *c;     /* per bucket: count */
	int64 *below; /* costs in the buckets before it */
	Approx *s;    /* sum */
	double *lo;   /* edges */
	double *hi;
	Approx *sum_below; /* sum of the buckets before it */
	Approx *sum_above; /* sum of the buckets after it */
} SketchView;

/* Bucket k's sum as a double: two roundings, maybe one below DBL_MIN. */
static Approx
bucket_sum(const CostSketch *s, int32 k, int unit)
{
	Approx a;

	a.v = ldexp((double) CS_SUM_HI(s)[k] * 18446744073709551616.0 +
					(double) CS_SUM_LO(s)[k],
				unit - 1075);
	a.e = fabs(a.v) * 2 * OP_ERR + DBL_TRUE_MIN;
	return a;
}

/* Add bucket k's exact sum to an ExactSum; false if it cannot be finite. */
static bool
exact_add_bucket(ExactSum *sum, const CostSketch *s, int32 k, int unit)
{
	uint32 hi = CS_SUM_HI(s)[k];

	exact_sum_add_units(sum, CS_SUM_LO(s)[k], 0, unit);
	if (hi == 0)
		return true;
	if (unit + 32 <= 2046)
		exact_sum_add_units(sum, (uint64) hi << 32, 0, unit + 32);
	else if (hi < (1U << 21))
		exact_sum_add_units(sum, 0, hi, unit);
	else
		return false; /* at least 2^85 units of 2^940: past DBL_MAX */
	return true;
}

/* Read a sketch; the total past DBL_MAX is error 22003 naming fname. */
static void
sketch_view(const CostSketch *s, SketchView *sv, const char *fname)
{
	EdgeCache *ec = edge_cache_for(s->accuracy);
	ExactSum total;
	int32 nb = s->nbuckets;
	bool finite = true;

	exact_sum_init(&total);
	sv->nb = nb;
	sv->n = s->count;
	sv->c = palloc(sizeof(int64) * Max(nb, 1));
	sv->below = palloc(sizeof(int64) * Max(nb, 1));
	sv->s = palloc(sizeof(Approx) * Max(nb, 1));
	sv->lo = palloc(sizeof(double) * Max(nb, 1));
	sv->hi = palloc(sizeof(double) * Max(nb, 1));
	sv->sum_below = palloc(sizeof(Approx) * Max(nb, 1));
	sv->sum_above = palloc(sizeof(Approx) * Max(nb, 1));
	for (int32 k = 0; k < nb; k++)
	{
		int unit = unit_field(ec, CS_INDEX(s)[k]);

		sv->c[k] = CS_COUNTS(s)[k];
		sv->below[k] = k == 0 ? 0 : sv->below[k - 1] + sv->c[k - 1];
		bucket_edges(ec, CS_INDEX(s)[k], &sv->lo[k], &sv->hi[k]);
		sv->s[k] = bucket_sum(s, k, unit);
		finite &= exact_add_bucket(&total, s, k, unit);
		sv->sum_below[k] =
			k == 0 ? ap(0) : ap_add(sv->sum_below[k - 1], sv->s[k - 1]);
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (int32 k = nb - 1; k >= 0; k--)
		sv->sum_above[k] =
			k == nb - 1 ? ap(0) : ap_add(sv->sum_above[k + 1], sv->s[k + 1]);
	sv->total = finite ? exact_sum_result(&total) : INFINITY;
	check_result_finite(sv->total, "total cost", fname);
	sv->t.v = sv->total;
	sv->t.e = fabs(sv->total) * OP_ERR;
}

/* The position of the bucket holding 0-based rank r (0 <= r < n). */
static int32
bucket_of_rank(const SketchView *sv, int64 r)
{
	int32 lo = 0, hi = sv->nb - 1;

	while (lo < hi)
	{
		int32 mid = lo + (hi - lo + 1) / 2;

		if (sv->below[mid] <= r)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Bounds and estimate of one figure. */
typedef struct Bounded
{
	double est;
	double lo;
	double hi;
} Bounded;

/*
 * The sum of the t smallest (top = false) or t largest (top = true) costs,
 * 0 <= t <= n: lower and upper bounds (rigorous) and the estimate.
 */
static Bounded
partial_sum(const SketchView *sv, int64 t, bool top)
{
	Bounded r = {0, 0, 0};
	int32 k;
	int64 j, c;
	Approx outside, s, j_ap, rest, lower_cost, upper_cost;
	double lo_in, hi_in, est_in;

	if (t <= 0)
		return r;
	if (t >= sv->n)
	{
		r.est = sv->total;
		r.lo = ap_lower(sv->t, 0);
		r.hi = ap_upper(sv->t, 0);
		return r;
	}
	/* the bucket the cut falls in, and j of its c costs taken */
	k = bucket_of_rank(sv, top ? sv->n - t : t - 1);
	c = sv->c[k];
	j = top ? sv->below[k] + c - (sv->n - t) : t - sv->below[k];
	outside = top ? sv->sum_above[k] : sv->sum_below[k];
	s = sv->s[k];
	j_ap = ap_count(j);
	rest = ap_count(c - j);
	lower_cost = ap(sv->lo[k]);
	upper_cost = ap(sv->hi[k]);
	if (top)
	{
		/* [max(j S / c, S - (c - j) U), min(j U, S - (c - j) L)] */
		lo_in = Max(ap_lower(ap_div(ap_mul(j_ap, s), ap_count(c)), 0),
					ap_lower(ap_sub(s, ap_mul(rest, upper_cost)), 0));
		hi_in = Min(ap_upper(ap_mul(j_ap, upper_cost), 0),
					ap_upper(ap_sub(s, ap_mul(rest, lower_cost)), 0));
	}
	else
	{
		/* [max(j L, S - (c - j) U), min(j S / c, S - (c - j) L)] */
		lo_in = Max(ap_lower(ap_mul(j_ap, lower_cost), 0),
					ap_lower(ap_sub(s, ap_mul(rest, upper_cost)), 0));
		hi_in = Min(ap_upper(ap_div(ap_mul(j_ap, s), ap_count(c)), 0),
					ap_upper(ap_sub(s, ap_mul(rest, lower_cost)), 0));
	}
	lo_in = Max(lo_in, 0);
	/* every cost at its bucket's mean */
	est_in = (double) j * (s.v / (double) c);
	r.lo = ap_lower(ap_add(outside, ap(lo_in)), 0);
	r.hi = ap_upper(ap_add(outside, ap(hi_in)), 0);
	r.est = clamp(outside.v + est_in, r.lo, r.hi);
	return r;
}

/*
 * The share of the total held by the first k = x of n costs counted from
 * the top (or the bottom), a fractional cost counted pro rata: (1 - theta)
 * P(m) + theta P(m + 1) with m = floor(x), as concentration.c defines it.
 * total > 0.
 */
static Bounded
share_at(const SketchView *sv, double x, bool top)
{
	int64 m = (int64) floor(x);
	double theta;
	Bounded a, b, r;
	Approx w0, w1;

	if (m >= sv->n)
	{
		m = sv->n;
		theta = 0;
	}
	else
		theta = x - (double) m; /* exact: x < 2^53 */
	if (m == sv->n)
	{
		/* all the costs: the share is 1 exactly */
		r.est = r.lo = r.hi = 1;
		return r;
	}
	a = partial_sum(sv, m, top);
	b = theta > 0 ? partial_sum(sv, m + 1, top) : a;
	w1 = ap(theta);
	w0 = ap_sub(ap(1), w1);
	r.lo = ap_lower(
		ap_div(ap_add(ap_mul(w0, ap(a.lo)), ap_mul(w1, ap(b.lo))), sv->t),
		SHARE_SLACK);
	r.hi = ap_upper(
		ap_div(ap_add(ap_mul(w0, ap(a.hi)), ap_mul(w1, ap(b.hi))), sv->t),
		SHARE_SLACK);
	r.lo = clamp(r.lo, 0, 1);
	r.hi = clamp(r.hi, 0, 1);
	r.est = clamp((a.est + theta * (b.est - a.est)) / sv->total, r.lo, r.hi);
	return r;
}

/* top_share of the costliest fraction f (0 < f <= 1), total > 0 */
static Bounded
sketch_top_share(const SketchView *sv, double fraction)
{
	/* k = f n as top_count computes it */
	return share_at(sv, fraction * (double) sv->n, true);
}

/* The cost of 0-based rank r in ascending order. */
static Bounded
order_statistic(const SketchView *sv, int64 r)
{
	int32 k = bucket_of_rank(sv, r);
	int64 c = sv->c[k];
	int64 rank = r - sv->below[k] + 1; /* 1-based within the bucket */
	Approx s = sv->s[k];
	double lower = sv->lo[k], upper = sv->hi[k];
	Bounded b;

	/* [max(L, (S - (c - r) U) / r), min(U, (S - (r - 1) L) / (c - r + 1))] */
	b.lo = ap_lower(ap_div(ap_sub(s, ap_mul(ap_count(c - rank), ap(upper))),
						   ap_count(rank)),
					0);
	b.hi = ap_upper(ap_div(ap_sub(s, ap_mul(ap_count(rank - 1), ap(lower))),
						   ap_count(c - rank + 1)),
					0);
	b.lo = Max(b.lo, lower);
	b.hi = Min(b.hi, upper);
	b.est = clamp(s.v / (double) c, b.lo, b.hi);
	return b;
}

/* Percentile p as percentile_cont (Hyndman-Fan type 7), n >= 1. */
static Bounded
sketch_quantile(const SketchView *sv, double p)
{
	double h = p * (double) (sv->n - 1);
	int64 lo = (int64) floor(h);
	int64 hi = (int64) ceil(h);
	double theta = h - (double) lo;
	Bounded a = order_statistic(sv, lo);
	Bounded b, r;
	Approx w0, w1, lower, upper;

	if (lo == hi)
		return a;
	b = order_statistic(sv, hi);
	w1 = ap(theta);
	w0 = ap_sub(ap(1), w1);
	lower = ap_add(ap_mul(w0, ap(a.lo)), ap_mul(w1, ap(b.lo)));
	upper = ap_add(ap_mul(w0, ap(a.hi)), ap_mul(w1, ap(b.hi)));
	/* between the two order statistics, as the exact arithmetic is */
	r.lo = Max(ap_lower(lower, COST_SLACK(lower.v)), a.lo);
	r.hi = Min(ap_upper(upper, COST_SLACK(upper.v)),
			   Min(b.hi * (1 + 8 * DBL_EPSILON), DBL_MAX));
	r.est = clamp(a.est + theta * (b.est - a.est), r.lo, r.hi);
	return r;
}

/*
 * The population Gini (times n / (n - 1) when corrected), total > 0; see
 * the file header for the bounds. Everything is divided by the total first,
 * so nothing overflows.
 */
static Bounded
sketch_gini(const SketchView *sv, bool corrected)
{
	Approx cross = ap(0), within_max = ap(0);
	Approx n_ap = ap_count(sv->n);
	Bounded r;

	for (int32 k = 0; k < sv->nb; k++)
	{
		int64 c = sv->c[k];
		Approx share = ap_div(sv->s[k], sv->t);

		/* pairs across buckets: S_k (2 below + c - n) */
		cross = ap_add(cross,
					   ap_mul(share, ap_count(2 * sv->below[k] + c - sv->n)));
		if (c > 1 && sv->hi[k] > sv->lo[k])
		{
			Approx width = ap_div(ap_sub(ap(sv->hi[k]), ap(sv->lo[k])), sv->t);
			Approx excess = ap_sub(
				share, ap_mul(ap_count(c), ap_div(ap(sv->lo[k]), sv->t)));
			/* k costs at U: any k gives an upper bound, this one is best */
			double at_upper = floor(excess.v / width.v);
			int64 kk = (int64) clamp(isfinite(at_upper) ? at_upper : 0, 0,
									 (double) (c - 1));
			Approx line =
				ap_add(ap_mul(ap_mul(ap_count(kk), ap_count(c - kk)), width),
					   ap_mul(ap_count(c - 2 * kk - 1),
							  ap_sub(excess, ap_mul(ap_count(kk), width))));

			within_max = ap_add(within_max, line);
		}
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (corrected)
		n_ap = ap_count(sv->n - 1);
	r.lo = clamp(ap_lower(ap_div(cross, n_ap), SHARE_SLACK), 0, 1);
	r.hi = clamp(
		ap_upper(ap_div(ap_add(cross, within_max), n_ap), SHARE_SLACK), 0, 1);
	/* every cost at its bucket's mean: the lower bound's arrangement */
	r.est = clamp(cross.v / n_ap.v, r.lo, r.hi);
	return r;
}

/* ----------------------------------------------------------------------
 * The SQL-callable finals over a sketch
 * ----------------------------------------------------------------------
 */

static Datum
bounded_result(FunctionCallInfo fcinfo, Bounded b)
{
	Datum values[3];
	bool nulls[3] = {false, false, false};

	values[0] = Float8GetDatum(b.est);
	values[1] = Float8GetDatum(b.lo);
	values[2] = Float8GetDatum(b.hi);
	return composite_result(fcinfo, values, nulls);
}

/* top_share_sketch(cost_sketch, fraction) -> sketch_estimate */
PG_FUNCTION_INFO_V1(top_share_sketch);
Datum
top_share_sketch(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "top_share");
	float8 fraction = PG_GETARG_FLOAT8(1);
	SketchView sv;

	check_top_share_fraction(fraction);
	if (s->count == 0)
		PG_RETURN_NULL();
	sketch_view(s, &sv, "top_share");
	if (sv.total == 0)
		PG_RETURN_NULL();
	return bounded_result(fcinfo, sketch_top_share(&sv, fraction));
}

static Datum
gini_result(FunctionCallInfo fcinfo, bool corrected)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "gini");
	SketchView sv;

	if (s->count == 0 || (corrected && s->count == 1))
		PG_RETURN_NULL();
	sketch_view(s, &sv, "gini");
	if (sv.total == 0)
		PG_RETURN_NULL();
	return bounded_result(fcinfo, sketch_gini(&sv, corrected));
}

/* gini_sketch(cost_sketch) -> sketch_estimate: the population Gini */
PG_FUNCTION_INFO_V1(gini_sketch);
Datum
gini_sketch(PG_FUNCTION_ARGS)
{
	return gini_result(fcinfo, false);
}

/* gini_sketch_correction(cost_sketch, sample_correction) */
PG_FUNCTION_INFO_V1(gini_sketch_correction);
Datum
gini_sketch_correction(PG_FUNCTION_ARGS)
{
	return gini_result(fcinfo, PG_GETARG_BOOL(1));
}

/* cost_quantile(cost_sketch, p) -> sketch_estimate */
PG_FUNCTION_INFO_V1(cost_quantile);
Datum
cost_quantile(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_quantile");
	float8 p = PG_GETARG_FLOAT8(1);
	SketchView sv;

	if (!(p >= 0 && p <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("p of cost_quantile must be between 0 and 1"),
				 errdetail("The p is %s.", float8out_internal(p)),
				 errhint("Give the quantile as a fraction, e.g. 0.5 for the "
						 "median, 0.99 for the 99th percentile.")));
	if (s->count == 0)
		PG_RETURN_NULL();
	sketch_view(s, &sv, "cost_quantile");
	return bounded_result(fcinfo, sketch_quantile(&sv, p));
}

/* cost_profile_sketch(cost_sketch) -> cost_sketch_profile */
PG_FUNCTION_INFO_V1(cost_profile_sketch);
Datum
cost_profile_sketch(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "cost_profile");
	SketchView sv;
	Datum values[SP_NCOLUMNS];
	bool nulls[SP_NCOLUMNS];
	Bounded figures[SP_GINI - SP_MEDIAN + 1];
	int nfig = SP_GINI - SP_MEDIAN + 1;
	bool shares = true;

	if (s->count == 0)
		PG_RETURN_NULL();
	sketch_view(s, &sv, "cost_profile");
	memset(nulls, 0, sizeof(nulls));
	values[SP_PERSONS] = Int64GetDatum(sv.n);
	values[SP_TOTAL] = Float8GetDatum(sv.total);
	values[SP_MEAN] = Float8GetDatum(sv.total / (double) sv.n);
	figures[SP_MEDIAN - SP_MEDIAN] = sketch_quantile(&sv, 0.5);
	figures[SP_P90 - SP_MEDIAN] = sketch_quantile(&sv, 0.9);
	figures[SP_P99 - SP_MEDIAN] = sketch_quantile(&sv, 0.99);
	figures[SP_MAX - SP_MEDIAN] = order_statistic(&sv, sv.n - 1);
	if (sv.total == 0)
		shares = false; /* shares and Gini are undefined: NULL */
	else
	{
		figures[SP_TOP1 - SP_MEDIAN] = sketch_top_share(&sv, 0.01);
		figures[SP_TOP5 - SP_MEDIAN] = sketch_top_share(&sv, 0.05);
		figures[SP_TOP20 - SP_MEDIAN] = sketch_top_share(&sv, 0.2);
		figures[SP_GINI - SP_MEDIAN] = sketch_gini(&sv, false);
	}
	for (int f = 0; f < nfig; f++)
	{
		bool null = !shares && f + SP_MEDIAN >= SP_TOP1;

		nulls[SP_MEDIAN + f] = nulls[SP_BOUNDS + 2 * f] =
			nulls[SP_BOUNDS + 2 * f + 1] = null;
		values[SP_MEDIAN + f] = null ? 0 : Float8GetDatum(figures[f].est);
		values[SP_BOUNDS + 2 * f] = null ? 0 : Float8GetDatum(figures[f].lo);
		values[SP_BOUNDS + 2 * f + 1] =
			null ? 0 : Float8GetDatum(figures[f].hi);
	}
	return composite_result(fcinfo, values, nulls);
}

/*
 * lorenz_curve_sketch(cost_sketch, points)
 *	  -> TABLE(population_share, cost_share, cost_share_lower,
 *			   cost_share_upper)
 */
PG_FUNCTION_INFO_V1(lorenz_curve_sketch);
Datum
lorenz_curve_sketch(PG_FUNCTION_ARGS)
{
	CostSketch *s = sketch_from_datum(PG_GETARG_DATUM(0), "lorenz_curve");
	int32 points = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo;
	SketchView sv;

	check_lorenz_points(points);
	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (s->count == 0)
		return (Datum) 0;
	sketch_view(s, &sv, "lorenz_curve");
	if (sv.total == 0)
		return (Datum) 0; /* nothing to share: no rows */
	for (int j = 0; j <= points; j++)
	{
		Datum values[4];
		bool nulls[4] = {false, false, false, false};
		/* k = j n / points as the exact lorenz_curve computes it */
		double k = ((double) j * (double) sv.n) / (double) points;
		Bounded b = share_at(&sv, k, false);

		values[0] = Float8GetDatum((double) j / (double) points);
		values[1] = Float8GetDatum(b.est);
		values[2] = Float8GetDatum(b.lo);
		values[3] = Float8GetDatum(b.hi);
		check_row_finite(rsinfo->setDesc, values, nulls, "lorenz_curve");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
