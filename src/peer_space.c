/*-------------------------------------------------------------------------
 *
 * peer_space.c
 *	  Similar peers, the NHS RightCare "10 Similar CCGs" nearest-neighbour
 *	  method (2021): the peer_space aggregate and type, nearest_peers.
 *
 * Method, per feature over all units of a space: mean mu and population SD
 * sigma; x' = min(x, mu + 5 sigma) (capped from above only); s = sqrt(x');
 * z = (s - mean s) / population SD of s. A feature whose x' (or s) are all
 * equal has z = 0 for every unit: it cannot tell units apart, and 0 keeps
 * it out of every distance instead of giving NaN. Distance between units
 * a and b: d = sum_v w_v (z_av - z_bv)^2 (no square root: the ranking is
 * the same). A unit is never its own peer (by identity: an exact twin is a
 * peer at distance 0). peer_rank is rank() over the unit's distances, and
 * every peer ranked n or better is returned, so ties at the n-th distance
 * give more than n peers (tied says which rows share their rank).
 *
 * The state, the type peer_space, is a varlena of its own rather than a
 * value_list: it holds the units' names, which a list of float8 cannot,
 * and keeping names and features in one value keeps a partial state one
 * text datum for Citus. Layout: the header, then the weights (nfeatures
 * float8), the features (capacity rows of nfeatures float8, row major), and
 * the names (count NUL-terminated strings, in the same order, name_bytes
 * used of name_capacity). The transition function appends in place inside
 * an aggregate when there is room, else returns a copy with twice the room
 * in CurrentMemoryContext (the executor moves it to the aggregate context
 * and frees the old one: nodeAgg.c, ExecAggTransReparent). The final
 * function returns a new space with the units in name order (byte order,
 * as COLLATE "C") and refuses a repeated unit, so every plan and combine
 * order gives the same space; nearest_peers reads any space (a partial
 * state, one typed by hand) in name order the same way.
 *
 * Aggregate rules (xaggr.sgml): the state is changed in place only under
 * AggCheckCallContext; combine never returns its second argument; the final
 * function never changes the state.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"
#include "results.h"

#include <math.h>

#include "catalog/pg_type_d.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define PEER_SPACE_VERSION 1
#define PEER_SPACE_MAX_FEATURES 1000
#define PEER_SPACE_MAX_UNITS (1 << 28)
#define PEER_SPACE_CAP_SDS 5.0 /* x' = min(x, mu + 5 sigma) */
/* unit names are codes or names, not documents: longest accepted, bytes */
#define PEER_SPACE_MAX_NAME 1000

typedef struct PeerSpace
{
	int32 vl_len_;  /* varlena header: covers the whole capacity */
	uint8 version;  /* PEER_SPACE_VERSION */
	uint8 padding1; /* always 0 */
	uint16 padding2;
	int32 nfeatures;     /* 1..PEER_SPACE_MAX_FEATURES */
	int32 count;         /* units stored */
	int32 capacity;      /* units the feature rows have room for */
	int32 padding3;      /* keeps the int64s and float8s aligned */
	int64 name_bytes;    /* bytes of names in use, NULs included */
	int64 name_capacity; /* bytes of names allocated */
	float8 data[FLEXIBLE_ARRAY_MEMBER]; /* weights, features, then names */
} PeerSpace;

#define PS_WEIGHTS(ps) ((ps)->data)
#define PS_ROW(ps, i) \
	(&(ps)->data[(int64) (ps)->nfeatures * (1 + (int64) (i))])
#define PS_NAMES(ps) \
	((char *) &(ps)  \
		 ->data[(int64) (ps)->nfeatures * (1 + (int64) (ps)->capacity)])

static Size
peer_space_size(int nfeatures, int64 capacity, int64 name_capacity)
{
	return offsetof(PeerSpace, data) +
		   sizeof(float8) * (Size) nfeatures * (Size) (1 + capacity) +
		   (Size) name_capacity;
}

static pg_attribute_noreturn() void invalid_space(const char *fname,
												  const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid state for %s", fname), errdetail("%s", why)));
}

/*
 * A new empty space in CurrentMemoryContext, or error 54000 when it would
 * not fit in one datum.
 */
static PeerSpace *
peer_space_create(int nfeatures, const float8 *weights, int64 capacity,
				  int64 name_capacity)
{
	PeerSpace *ps;
	Size size;

	if (capacity > PEER_SPACE_MAX_UNITS ||
		(double) peer_space_size(nfeatures, 0, 0) +
				(double) capacity * nfeatures * sizeof(float8) +
				(double) name_capacity >
			(double) MaxAllocSize)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("peer space too large"),
						errdetail("A peer space holds at most 1 GB of units "
								  "and features.")));
	size = peer_space_size(nfeatures, capacity, name_capacity);
	ps = palloc0(size);
	SET_VARSIZE(ps, size);
	ps->version = PEER_SPACE_VERSION;
	ps->nfeatures = nfeatures;
	ps->capacity = (int32) capacity;
	ps->name_capacity = name_capacity;
	memcpy(PS_WEIGHTS(ps), weights, nfeatures * sizeof(float8));
	return ps;
}

/* A copy of ps with room for at least `units` units and `bytes` of names. */
static PeerSpace *
peer_space_grow(const PeerSpace *ps, int64 units, int64 bytes)
{
	int64 capacity = Max((int64) ps->capacity, 8);
	int64 name_capacity = Max(ps->name_capacity, 64);
	PeerSpace *copy;

	while (capacity < units)
		capacity *= 2;
	while (name_capacity < bytes)
		name_capacity *= 2;
	copy = peer_space_create(ps->nfeatures, PS_WEIGHTS(ps), capacity,
							 name_capacity);
	memcpy_interruptible(PS_ROW(copy, 0), PS_ROW(ps, 0),
						 sizeof(float8) * (Size) ps->nfeatures * ps->count);
	memcpy_interruptible(PS_NAMES(copy), PS_NAMES(ps), ps->name_bytes);
	copy->count = ps->count;
	copy->name_bytes = ps->name_bytes;
	return copy;
}

/*
 * Error 22023 naming fname unless ps is a well-formed space: its version,
 * sizes that agree with the datum's length, finite non-negative features,
 * finite non-negative weights not all zero, and count names in the name
 * bytes. Repeated names are not checked here (see sorted_units).
 */
static void
check_space(const PeerSpace *ps, const char *fname)
{
	const char *names;
	int64 pos = 0;
	bool positive = false;

	if (VARSIZE(ps) < offsetof(PeerSpace, data) ||
		ps->version != PEER_SPACE_VERSION)
		invalid_space(fname, "It is not a peer space.");
	if (ps->nfeatures < 1 || ps->nfeatures > PEER_SPACE_MAX_FEATURES ||
		ps->capacity < 0 || ps->capacity > PEER_SPACE_MAX_UNITS ||
		ps->count < 0 || ps->count > ps->capacity || ps->name_bytes < 0 ||
		ps->name_capacity < ps->name_bytes ||
		ps->name_capacity > (int64) MaxAllocSize ||
		VARSIZE(ps) !=
			peer_space_size(ps->nfeatures, ps->capacity, ps->name_capacity))
		invalid_space(fname, "Its sizes do not match.");
	for (int v = 0; v < ps->nfeatures; v++)
	{
		float8 w = PS_WEIGHTS(ps)[v];

		if (!(isfinite(w) && w >= 0.0))
			invalid_space(fname, "A weight is negative or not finite.");
		positive |= w > 0.0;
	}
	if (!positive)
		invalid_space(fname, "Every weight is zero.");
	for (int64 i = 0; i < (int64) ps->count * ps->nfeatures; i++)
	{
		float8 x = PS_ROW(ps, 0)[i];

		if (!(isfinite(x) && x >= 0.0))
			invalid_space(fname, "A feature is negative or not finite.");
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	names = PS_NAMES(ps);
	for (int32 i = 0; i < ps->count; i++)
	{
		const char *end = memchr(names + pos, '\0', ps->name_bytes - pos);

		if (end == NULL)
			invalid_space(fname, "It has fewer names than units.");
		if (end - (names + pos) > PEER_SPACE_MAX_NAME)
			invalid_space(fname, "A unit name is longer than 1000 bytes.");
		pos = end - names + 1;
	}
	if (pos != ps->name_bytes)
		invalid_space(fname, "It has more names than units.");
}

static PeerSpace *
peer_space_from_datum(Datum d, const char *fname)
{
	PeerSpace *ps = (PeerSpace *) PG_DETOAST_DATUM(d);

	check_space(ps, fname);
	return ps;
}

/* The names of ps in stored order (pointers into ps). */
static const char **
space_names(const PeerSpace *ps)
{
	const char **names =
		palloc_extended(sizeof(char *) * Max(ps->count, 1), MCXT_ALLOC_HUGE);
	const char *p = PS_NAMES(ps);

	for (int32 i = 0; i < ps->count; i++)
	{
		names[i] = p;
		p += strlen(p) + 1;
	}
	return names;
}

static int
name_index_cmp(const void *a, const void *b, void *arg)
{
	const char **names = (const char **) arg;

	sort_interrupt_tick();
	return strcmp(names[*(const int32 *) a], names[*(const int32 *) b]);
}

/*
 * The units of ps in name order (byte order): indexes into ps. A name that
 * repeats is error 22023 naming fname.
 */
static int32 *
sorted_units(const PeerSpace *ps, const char **names, const char *fname)
{
	int32 *order =
		palloc_extended(sizeof(int32) * Max(ps->count, 1), MCXT_ALLOC_HUGE);

	for (int32 i = 0; i < ps->count; i++)
		order[i] = i;
	qsort_arg(order, ps->count, sizeof(int32), name_index_cmp, (void *) names);
	for (int32 i = 1; i < ps->count; i++)
		if (strcmp(names[order[i]], names[order[i - 1]]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit of %s must not repeat within a peer space",
							fname),
					 errdetail("The unit \"%s\" appears more than once.",
							   names[order[i]]),
					 errhint("Give peer_space one row per unit.")));
	return order;
}

/* ---------------------------------------------------------------------
 * peer_space(unit, features [, weights])
 * ---------------------------------------------------------------------
 */

/* The elements of a float8[] argument: 1-D, no NULL (else error 22023). */
static float8 *
array_values(ArrayType *array, const char *arg, const char *unit, int *n)
{
	Datum *elems;
	bool *nulls;
	float8 *values;

	if (ARR_NDIM(array) > 1)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s of peer_space must be a one-dimensional array", arg),
			 errdetail("The %s of unit \"%s\" have %d dimensions.", arg, unit,
					   ARR_NDIM(array))));
	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &nulls, n);
	if (*n > PEER_SPACE_MAX_FEATURES)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s of peer_space must have between 1 and 1000 "
							   "elements",
							   arg),
						errdetail("The %s of unit \"%s\" have %d elements.",
								  arg, unit, *n)));
	values = palloc(sizeof(float8) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s of peer_space must not contain NULL", arg),
					 errdetail("Element %d of the %s of unit \"%s\" is NULL.",
							   i + 1, arg, unit),
					 errhint("Leave the unit out, or give it every "
							 "feature.")));
		values[i] = DatumGetFloat8(elems[i]);
		if (!isfinite(values[i]))
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of peer_space must be finite", arg),
				 errdetail("Element %d of the %s of unit \"%s\" is %s.", i + 1,
						   arg, unit, float8out_internal(values[i]))));
		if (values[i] < 0.0)
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of peer_space must not be negative", arg),
				 errdetail("Element %d of the %s of unit \"%s\" is %s.", i + 1,
						   arg, unit, float8out_internal(values[i])),
				 strcmp(arg, "features") == 0
					 ? errhint("The method takes square roots: shift or "
							   "transform a feature that can be "
							   "negative.")
					 : 0));
		if (values[i] == 0.0)
			values[i] = 0.0; /* -0 as 0: one text form per value */
	}
	return values;
}

static char *
weights_text(const float8 *w, int n)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < n; i++)
	{
		char digits[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(w[i], digits);
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoString(&buf, digits);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static void
weights_mismatch(const float8 *started, const float8 *now, int n)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("weights of peer_space must be the same for every row "
					"of a group"),
			 errdetail("The group started with %s and now has %s.",
					   weights_text(started, n), weights_text(now, n)),
			 errhint("Pass a constant array.")));
}

static void
features_mismatch(int started, int now, const char *unit)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("features of peer_space must have the same length in "
					"every row of a group"),
			 errdetail("The group started with %d features and unit \"%s\" "
					   "has %d.",
					   started, unit, now)));
}

/* The row's unit name (argument 1): not NULL, at most 1000 bytes. */
static char *
row_unit(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(1))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("unit of peer_space must not be NULL"),
						errhint("Give every row the name of its unit.")));
	if (VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(1)) > PEER_SPACE_MAX_NAME)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit of peer_space must be at most 1000 bytes long"),
				 errdetail("The unit is %zu bytes long.",
						   (size_t) VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(1))),
				 errhint("Name units by their codes.")));
	return text_to_cstring(PG_GETARG_TEXT_PP(1));
}

/* The row's features (argument 2): 1 to 1000 checked values. */
static float8 *
row_features(FunctionCallInfo fcinfo, const char *unit, int *nfeatures)
{
	float8 *features;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("features of peer_space must not be NULL"),
				 errhint("Leave unit \"%s\" out, or give it every feature.",
						 unit)));
	features =
		array_values(PG_GETARG_ARRAYTYPE_P(2), "features", unit, nfeatures);
	if (*nfeatures == 0)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("features of peer_space must have between 1 and "
					"1000 elements"),
			 errdetail("The features of unit \"%s\" have 0 elements.", unit)));
	return features;
}

/*
 * The row's weights (argument 3): one per feature, not all zero; NULL
 * weights, or the two-argument form, weigh every feature 1.
 */
static float8 *
row_weights(FunctionCallInfo fcinfo, const char *unit, int nfeatures)
{
	float8 *weights;
	int nweights;
	bool positive = false;

	if (PG_NARGS() <= 3 || PG_ARGISNULL(3))
	{
		weights = palloc(sizeof(float8) * nfeatures);
		for (int v = 0; v < nfeatures; v++)
			weights[v] = 1.0;
		return weights;
	}
	weights =
		array_values(PG_GETARG_ARRAYTYPE_P(3), "weights", unit, &nweights);
	if (nweights != nfeatures)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("weights of peer_space must have one element "
							   "per feature"),
						errdetail("There are %d features and %d weights.",
								  nfeatures, nweights)));
	for (int v = 0; v < nfeatures; v++)
		positive |= weights[v] > 0.0;
	if (!positive)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("weights of peer_space must not all be zero"),
						errhint("Pass NULL for equal weights.")));
	return weights;
}

/* (state, unit text, features float8[] [, weights float8[]]) */
PG_FUNCTION_INFO_V1(peer_space_trans);
Datum
peer_space_trans(PG_FUNCTION_ARGS)
{
	PeerSpace *ps = NULL;
	char *unit = row_unit(fcinfo);
	int nfeatures;
	float8 *features = row_features(fcinfo, unit, &nfeatures);
	float8 *weights = row_weights(fcinfo, unit, nfeatures);
	int64 len;
	bool in_agg = AggCheckCallContext(fcinfo, NULL) != 0;

	if (!PG_ARGISNULL(0))
	{
		ps = (PeerSpace *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
		if (ps->version != PEER_SPACE_VERSION ||
			VARSIZE(ps) != peer_space_size(ps->nfeatures, ps->capacity,
										   ps->name_capacity))
			invalid_space("peer_space", "It is not a peer space.");
		if (ps->nfeatures != nfeatures)
			features_mismatch(ps->nfeatures, nfeatures, unit);
		if (memcmp(PS_WEIGHTS(ps), weights, sizeof(float8) * nfeatures) != 0)
			weights_mismatch(PS_WEIGHTS(ps), weights, nfeatures);
	}

	len = strlen(unit) + 1;
	if (ps == NULL)
		ps = peer_space_create(nfeatures, weights, 16, Max(256, 2 * len));
	else if (!in_agg || ps->count >= ps->capacity ||
			 ps->name_bytes + len > ps->name_capacity ||
			 (Pointer) ps != PG_GETARG_POINTER(0))
		ps = peer_space_grow(ps, (int64) ps->count + 1, ps->name_bytes + len);
	memcpy(PS_ROW(ps, ps->count), features, sizeof(float8) * nfeatures);
	memcpy(PS_NAMES(ps) + ps->name_bytes, unit, len);
	ps->name_bytes += len;
	ps->count++;
	PG_RETURN_POINTER(ps);
}

PG_FUNCTION_INFO_V1(peer_space_combine);
Datum
peer_space_combine(PG_FUNCTION_ARGS)
{
	PeerSpace *a, *b;
	bool in_agg = AggCheckCallContext(fcinfo, NULL) != 0;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = peer_space_from_datum(PG_GETARG_DATUM(1), "peer_space");
	if (PG_ARGISNULL(0))
		/* a copy: never the second argument itself */
		PG_RETURN_POINTER(peer_space_grow(b, b->count, b->name_bytes));
	a = peer_space_from_datum(PG_GETARG_DATUM(0), "peer_space");
	if (a->nfeatures != b->nfeatures)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features of peer_space must have the same length "
						"in every row of a group"),
				 errdetail("The group started with %d features and now has "
						   "%d.",
						   a->nfeatures, b->nfeatures)));
	if (memcmp(PS_WEIGHTS(a), PS_WEIGHTS(b), sizeof(float8) * a->nfeatures) !=
		0)
		weights_mismatch(PS_WEIGHTS(a), PS_WEIGHTS(b), a->nfeatures);
	if (!in_agg || (int64) a->count + b->count > a->capacity ||
		a->name_bytes + b->name_bytes > a->name_capacity ||
		(Pointer) a != PG_GETARG_POINTER(0))
		a = peer_space_grow(a, (int64) a->count + b->count,
							a->name_bytes + b->name_bytes);
	memcpy_interruptible(PS_ROW(a, a->count), PS_ROW(b, 0),
						 sizeof(float8) * (Size) b->nfeatures * b->count);
	memcpy_interruptible(PS_NAMES(a) + a->name_bytes, PS_NAMES(b),
						 b->name_bytes);
	a->count += b->count;
	a->name_bytes += b->name_bytes;
	PG_RETURN_POINTER(a);
}

/*
 * A new space holding the units of ps in name order, exactly as large as
 * it needs to be (a repeated unit is an error naming fname).
 */
static PeerSpace *
sorted_space(const PeerSpace *ps, const char *fname)
{
	const char **names = space_names(ps);
	int32 *order = sorted_units(ps, names, fname);
	PeerSpace *out = peer_space_create(ps->nfeatures, PS_WEIGHTS(ps),
									   ps->count, ps->name_bytes);
	char *p = PS_NAMES(out);

	for (int32 i = 0; i < ps->count; i++)
	{
		size_t len = strlen(names[order[i]]) + 1;

		memcpy(PS_ROW(out, i), PS_ROW(ps, order[i]),
			   sizeof(float8) * ps->nfeatures);
		memcpy(p, names[order[i]], len);
		p += len;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	out->count = ps->count;
	out->name_bytes = ps->name_bytes;
	pfree(order);
	pfree(names);
	return out;
}

PG_FUNCTION_INFO_V1(peer_space_final);
Datum
peer_space_final(PG_FUNCTION_ARGS)
{
	PeerSpace *ps = peer_space_from_datum(PG_GETARG_DATUM(0), "peer_space");

	PG_RETURN_POINTER(sorted_space(ps, "peer_space"));
}

/* ---------------------------------------------------------------------
 * Text form: "version:nfeatures:count:weights:units", weights
 * comma-separated, each unit "name",x1,...,xn (a '"' in a name doubled),
 * units separated by ';', e.g. 1:2:2:1,1:"A",1,2;"B",3,4
 * ---------------------------------------------------------------------
 */

static void
append_float8(StringInfo buf, float8 x)
{
	char digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(x, digits);
	appendStringInfoString(buf, digits);
}

PG_FUNCTION_INFO_V1(peer_space_out);
Datum
peer_space_out(PG_FUNCTION_ARGS)
{
	PeerSpace *ps =
		peer_space_from_datum(PG_GETARG_DATUM(0), "peer_space_out");
	const char *name = PS_NAMES(ps);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d:%d:%d:", ps->version, ps->nfeatures, ps->count);
	for (int v = 0; v < ps->nfeatures; v++)
	{
		if (v > 0)
			appendStringInfoChar(&buf, ',');
		append_float8(&buf, PS_WEIGHTS(ps)[v]);
	}
	appendStringInfoChar(&buf, ':');
	for (int32 i = 0; i < ps->count; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ';');
		appendStringInfoChar(&buf, '"');
		for (const char *c = name; *c; c++)
		{
			if (*c == '"')
				appendStringInfoChar(&buf, '"');
			appendStringInfoChar(&buf, *c);
		}
		appendStringInfoChar(&buf, '"');
		name += strlen(name) + 1;
		for (int v = 0; v < ps->nfeatures; v++)
		{
			appendStringInfoChar(&buf, ',');
			append_float8(&buf, PS_ROW(ps, i)[v]);
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_CSTRING(buf.data);
}

static pg_attribute_noreturn() void syntax_error(const char *input,
												 const char *why)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
		 errmsg("invalid input syntax for type peer_space: \"%.40s%s\"", input,
				strlen(input) > 40 ? "..." : ""),
		 errdetail("%s", why),
		 errhint("A peer_space reads \"version:features:units:weights:"
				 "units\", e.g. \"1:2:2:1,1:\"\"A\"\",1,2;\"\"B\"\",3,4\"; "
				 "it is made by the peer_space aggregate, not typed by "
				 "hand.")));
}

/* A non-negative decimal integer up to the next ':'. */
static int64
parse_count(const char **p, const char *input, int64 max, const char *what)
{
	int64 v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		syntax_error(input, psprintf("The %s is not a number.", what));
	while (*s >= '0' && *s <= '9')
	{
		v = v * 10 + (*s - '0');
		if (v > max)
			syntax_error(input, psprintf("The %s is out of range.", what));
		s++;
	}
	if (*s != ':')
		syntax_error(input, psprintf("Expected \":\" after the %s.", what));
	*p = s + 1;
	return v;
}

/* One finite, non-negative double, which must be followed by `end`. */
static float8
parse_float8(const char **p, char end, const char *input, const char *what)
{
	char *stop;
	float8 v;

	errno = 0;
	if (**p == '\0' || strchr(",;:\"", **p) != NULL ||
		isspace((unsigned char) **p))
		syntax_error(input, psprintf("A %s is missing.", what));
	v = strtod(*p, &stop);
	/* ERANGE with a non-zero finite result is a subnormal: exact, keep it */
	if (stop == *p || !isfinite(v) || (errno == ERANGE && v == 0.0))
		syntax_error(input, psprintf("A %s is not a finite number.", what));
	if (v < 0.0)
		syntax_error(input, psprintf("A %s is negative.", what));
	if (*stop != end)
		syntax_error(input,
					 psprintf("Unexpected character after a %s.", what));
	*p = stop;
	return v == 0.0 ? 0.0 : v;
}

/* A copy of ps exactly as large as its units need. */
static PeerSpace *
exact_space(const PeerSpace *ps)
{
	PeerSpace *out = peer_space_create(ps->nfeatures, PS_WEIGHTS(ps),
									   ps->count, ps->name_bytes);

	memcpy_interruptible(PS_ROW(out, 0), PS_ROW(ps, 0),
						 sizeof(float8) * (Size) ps->nfeatures * ps->count);
	memcpy_interruptible(PS_NAMES(out), PS_NAMES(ps), ps->name_bytes);
	out->count = ps->count;
	out->name_bytes = ps->name_bytes;
	return out;
}

/*
 * A quoted unit name at *p ("" for a quote inside) into out, NUL-ended;
 * advances *p past it and returns the bytes used in out, the NUL included.
 * The caller has room for the rest of the text.
 */
static int64
parse_unit_name(const char **p, const char *input, char *out)
{
	const char *c = *p;
	char *q = out;

	if (*c != '"')
		syntax_error(input, "A unit name does not start with '\"'.");
	c++;
	for (;;)
	{
		if (*c == '\0')
			syntax_error(input, "A unit name is not closed.");
		if (*c == '"')
		{
			if (c[1] != '"')
				break;
			c++;
		}
		if (q - out >= PEER_SPACE_MAX_NAME)
			syntax_error(input, "A unit name is longer than 1000 bytes.");
		*q++ = *c++;
	}
	*p = c + 1;
	*q = '\0';
	if (!pg_verifymbstr(out, q - out, true))
		syntax_error(input,
					 "A unit name is not valid in the server encoding.");
	return q - out + 1;
}

PG_FUNCTION_INFO_V1(peer_space_in);
Datum
peer_space_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64 nfeatures, count, rest;
	float8 weights[PEER_SPACE_MAX_FEATURES];
	bool positive = false;
	PeerSpace *ps;
	char *names;

	if (parse_count(&p, input, 255, "version") != PEER_SPACE_VERSION)
		syntax_error(input, "The version is not supported.");
	nfeatures =
		parse_count(&p, input, PEER_SPACE_MAX_FEATURES, "feature count");
	if (nfeatures < 1)
		syntax_error(input, "There must be at least one feature.");
	count = parse_count(&p, input, PEER_SPACE_MAX_UNITS, "unit count");
	for (int v = 0; v < nfeatures; v++)
	{
		weights[v] =
			parse_float8(&p, v < nfeatures - 1 ? ',' : ':', input, "weight");
		positive |= weights[v] > 0.0;
		p++;
	}
	if (!positive)
		syntax_error(input, "Every weight is zero.");

	/*
	 * Each unit takes at least two quotes, a comma and a digit per feature
	 * and a separator: refuse a count the text cannot hold before
	 * allocating room for it. The names take at most the rest of the text.
	 */
	rest = strlen(p);
	if (count > 0 && rest < count * (3 + 2 * nfeatures) - 1)
		syntax_error(input, "A unit is missing.");
	ps = peer_space_create((int) nfeatures, weights, count, rest + 1);
	names = PS_NAMES(ps);
	for (int64 i = 0; i < count; i++)
	{
		ps->name_bytes += parse_unit_name(&p, input, names + ps->name_bytes);
		for (int v = 0; v < nfeatures; v++)
		{
			if (*p != ',')
				syntax_error(input, "A feature is missing.");
			p++;
			PS_ROW(ps, i)
			[v] = parse_float8(
				&p, v < nfeatures - 1 ? ',' : (i < count - 1 ? ';' : '\0'),
				input, "feature");
		}
		if (i < count - 1)
		{
			if (*p != ';')
				syntax_error(input, "Expected \";\" between units.");
			p++;
		}
		ps->count = (int32) (i + 1);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (*p != '\0')
		syntax_error(input, "The text does not end after the last unit.");
	check_space(ps, "peer_space_in");
	PG_RETURN_POINTER(exact_space(ps));
}

/*
 * Binary form: version (byte), nfeatures and count (int32), the weights,
 * then each unit's name (a string in the client encoding) and features
 * (float8).
 */
PG_FUNCTION_INFO_V1(peer_space_send);
Datum
peer_space_send(PG_FUNCTION_ARGS)
{
	PeerSpace *ps =
		peer_space_from_datum(PG_GETARG_DATUM(0), "peer_space_send");
	const char *name = PS_NAMES(ps);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ps->version);
	pq_sendint32(&buf, ps->nfeatures);
	pq_sendint32(&buf, ps->count);
	for (int v = 0; v < ps->nfeatures; v++)
		pq_sendfloat8(&buf, PS_WEIGHTS(ps)[v]);
	for (int32 i = 0; i < ps->count; i++)
	{
		pq_sendstring(&buf, name);
		name += strlen(name) + 1;
		for (int v = 0; v < ps->nfeatures; v++)
			pq_sendfloat8(&buf, PS_ROW(ps, i)[v]);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static pg_attribute_noreturn() void binary_error(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary peer_space"), errdetail("%s", why)));
}

PG_FUNCTION_INFO_V1(peer_space_recv);
Datum
peer_space_recv(PG_FUNCTION_ARGS)
{
	StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
	int version = pq_getmsgbyte(buf);
	int32 nfeatures = pq_getmsgint(buf, 4);
	int32 count = pq_getmsgint(buf, 4);
	float8 weights[PEER_SPACE_MAX_FEATURES];
	bool positive = false;
	int64 rest;
	PeerSpace *ps;

	if (version != PEER_SPACE_VERSION)
		binary_error("The version is not supported.");
	if (nfeatures < 1 || nfeatures > PEER_SPACE_MAX_FEATURES)
		binary_error("The feature count is out of range.");
	if (count < 0 || count > PEER_SPACE_MAX_UNITS)
		binary_error("The unit count is out of range.");
	for (int v = 0; v < nfeatures; v++)
		weights[v] = pq_getmsgfloat8(buf);

	/*
	 * Each unit takes at least a NUL and its features: refuse a count the
	 * message cannot hold before allocating room for it. The names take
	 * at most the rest of the message (more only after an encoding
	 * conversion, which grow copies as needed).
	 */
	rest = buf->len - buf->cursor;
	if (rest < (int64) count * (1 + 8 * (int64) nfeatures))
		binary_error("The count does not match the message length.");
	ps = peer_space_create(nfeatures, weights, count, 0);
	for (int32 i = 0; i < count; i++)
	{
		const char *name = pq_getmsgstring(buf);
		int64 len = strlen(name) + 1;

		if (ps->name_bytes + len > ps->name_capacity)
		{
			PeerSpace *old = ps;

			ps = peer_space_grow(ps, count, ps->name_bytes + len);
			pfree(old);
		}
		memcpy(PS_NAMES(ps) + ps->name_bytes, name, len);
		ps->name_bytes += len;
		for (int v = 0; v < nfeatures; v++)
		{
			float8 x = pq_getmsgfloat8(buf);

			if (!(isfinite(x) && x >= 0.0))
				binary_error("A feature is negative or not finite.");
			PS_ROW(ps, i)[v] = x == 0.0 ? 0.0 : x;
		}
		ps->count = i + 1;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pq_getmsgend(buf);
	for (int v = 0; v < nfeatures; v++)
	{
		if (!(isfinite(weights[v]) && weights[v] >= 0.0))
			binary_error("A weight is negative or not finite.");
		positive |= weights[v] > 0.0;
	}
	if (!positive)
		binary_error("Every weight is zero.");
	for (int v = 0; v < nfeatures; v++)
		PS_WEIGHTS(ps)[v] = weights[v] == 0.0 ? 0.0 : weights[v];
	check_space(ps, "peer_space_recv");
	PG_RETURN_POINTER(exact_space(ps));
}

/* ---------------------------------------------------------------------
 * nearest_peers(space, n) and nearest_peers(space, unit, n)
 * ---------------------------------------------------------------------
 */

typedef struct Candidate
{
	float8 d;
	int32 peer; /* position in name order */
} Candidate;

static int
candidate_cmp(const void *a, const void *b)
{
	const Candidate *x = (const Candidate *) a;
	const Candidate *y = (const Candidate *) b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->peer < y->peer ? -1 : (x->peer > y->peer ? 1 : 0);
}

/*
 * The z matrix (units in name order, row major): for each feature, capped
 * from above at mu + 5 sigma, square-rooted and standardised, all with
 * population moments; 0 for a feature with no spread.
 */
static float8 *
space_z(const PeerSpace *ps, const int32 *order)
{
	int32 n = ps->count;
	int nf = ps->nfeatures;
	float8 *z =
		palloc_extended(sizeof(float8) * (Size) n * nf, MCXT_ALLOC_HUGE);
	float8 *x = palloc_extended(sizeof(float8) * Max(n, 1), MCXT_ALLOC_HUGE);

	for (int v = 0; v < nf; v++)
	{
		float8 lo = INFINITY, hi = 0.0, sum = 0.0, ss = 0.0, mu, cap;
		float8 slo = INFINITY, shi = 0.0, smean, ssd;

		for (int32 i = 0; i < n; i++)
		{
			x[i] = PS_ROW(ps, order[i])[v];
			lo = Min(lo, x[i]);
			hi = Max(hi, x[i]);
		}
		CHECK_FOR_INTERRUPTS();
		if (n == 0 || lo == hi)
		{
			for (int32 i = 0; i < n; i++)
				z[(int64) i * nf + v] = 0.0;
			continue;
		}
		/*
		 * z does not depend on the feature's scale (sqrt(c x) = sqrt(c)
		 * sqrt(x)): values near the ends of the double range are divided
		 * by the largest first, so the sums of squares neither overflow
		 * nor underflow.
		 */
		if (hi > 1e100 || hi < 1e-100)
			for (int32 i = 0; i < n; i++)
				x[i] /= hi;
		for (int32 i = 0; i < n; i++)
			sum += x[i];
		mu = sum / n;
		for (int32 i = 0; i < n; i++)
			ss += (x[i] - mu) * (x[i] - mu);
		/*
		 * lo < hi, so sigma > 0; after the scaling above the squares
		 * cannot all underflow, but if they did, no cap rather than a cap
		 * at the mean
		 */
		cap = ss > 0.0 ? mu + PEER_SPACE_CAP_SDS * sqrt(ss / n) : INFINITY;
		sum = 0.0;
		for (int32 i = 0; i < n; i++)
		{
			x[i] = sqrt(Min(x[i], cap));
			slo = Min(slo, x[i]);
			shi = Max(shi, x[i]);
			sum += x[i];
		}
		smean = sum / n;
		ss = 0.0;
		for (int32 i = 0; i < n; i++)
			ss += (x[i] - smean) * (x[i] - smean);
		ssd = sqrt(ss / n);
		for (int32 i = 0; i < n; i++)
			z[(int64) i * nf + v] =
				slo == shi || !(ssd > 0.0) ? 0.0 : (x[i] - smean) / ssd;
	}
	pfree(x);
	return z;
}

/*
 * The peers of unit a (position in name order): every other unit whose
 * distance ranks k or better, sorted by distance then name, into cand;
 * returns how many. dist is scratch of n entries.
 */
static int32
unit_peers(const float8 *z, int32 n, int nf, const float8 *w, int32 a, int32 k,
		   float8 *dist, Candidate *cand)
{
	const float8 *za = &z[(int64) a * nf];
	float8 threshold;
	int32 m = 0;

	for (int32 b = 0; b < n; b++)
	{
		const float8 *zb = &z[(int64) b * nf];
		float8 d = 0.0;

		for (int v = 0; v < nf; v++)
		{
			float8 diff = za[v] - zb[v];

			d += w[v] * diff * diff;
		}
		dist[b] = d;
		if ((b & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	/* the k-th smallest distance to another unit, by a max-heap of k */
	{
		float8 *heap = (float8 *) cand; /* room for n - 1 >= k doubles */
		int32 size = 0;

		for (int32 b = 0; b < n; b++)
		{
			float8 d = dist[b];
			int32 i;

			if (b == a)
				continue;
			if (size < k)
			{
				i = size++;
				while (i > 0 && heap[(i - 1) / 2] < d)
				{
					heap[i] = heap[(i - 1) / 2];
					i = (i - 1) / 2;
				}
				heap[i] = d;
			}
			else if (d < heap[0])
			{
				i = 0;
				for (;;)
				{
					int32 c = 2 * i + 1;

					if (c >= size)
						break;
					if (c + 1 < size && heap[c + 1] > heap[c])
						c++;
					if (heap[c] <= d)
						break;
					heap[i] = heap[c];
					i = c;
				}
				heap[i] = d;
			}
		}
		threshold = heap[0];
	}
	for (int32 b = 0; b < n; b++)
		if (b != a && dist[b] <= threshold)
		{
			cand[m].d = dist[b];
			cand[m].peer = b;
			m++;
		}
	qsort(cand, m, sizeof(Candidate), candidate_cmp);
	return m;
}

static void
put_peers(ReturnSetInfo *rsinfo, const char *unit, const char **names,
		  const int32 *order, const Candidate *cand, int32 m)
{
	text *unit_text = cstring_to_text(unit);
	int32 rank = 1;

	for (int32 j = 0; j < m; j++)
	{
		Datum values[5];
		bool nulls[5] = {false};

		if (j > 0 && cand[j].d != cand[j - 1].d)
			rank = j + 1;
		check_result_finite(cand[j].d, "distance", "nearest_peers");
		values[0] = PointerGetDatum(unit_text);
		values[1] =
			PointerGetDatum(cstring_to_text(names[order[cand[j].peer]]));
		values[2] = Int32GetDatum(rank);
		values[3] = Float8GetDatum(cand[j].d);
		values[4] = BoolGetDatum((j > 0 && cand[j].d == cand[j - 1].d) ||
								 (j + 1 < m && cand[j].d == cand[j + 1].d));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
		pfree(DatumGetPointer(values[1]));
	}
	pfree(unit_text);
}

static int32
check_n(int32 n)
{
	if (n < 1)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("n of nearest_peers must be positive"),
						errdetail("The n is %d.", n),
						errhint("RightCare's similar 10 is n => 10.")));
	return n;
}

/*
 * (space, n) or (space, unit, n): the peers of every unit, or of one, in
 * name order of the units, then by rank and peer name.
 */
static Datum
nearest_peers_common(FunctionCallInfo fcinfo, const char *one, int32 n)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PeerSpace *ps = peer_space_from_datum(PG_GETARG_DATUM(0), "nearest_peers");
	const char **names = space_names(ps);
	int32 *order = sorted_units(ps, names, "nearest_peers");
	int32 units = ps->count;
	int32 first = 0, last = units;
	float8 *z, *dist;
	Candidate *cand;
	int32 k = Min(n, units - 1);

	if (one != NULL)
	{
		int32 lo = 0, hi = units;

		while (lo < hi)
		{
			int32 mid = lo + (hi - lo) / 2;

			if (strcmp(names[order[mid]], one) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= units || strcmp(names[order[lo]], one) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit of nearest_peers must be one of the units "
							"of the peer space"),
					 errdetail("The unit is \"%s\".", one)));
		first = lo;
		last = lo + 1;
	}
	InitMaterializedSRF(fcinfo, 0);
	if (k < 1)
		return (Datum) 0;
	z = space_z(ps, order);
	dist = palloc_extended(sizeof(float8) * units, MCXT_ALLOC_HUGE);
	cand = palloc_extended(sizeof(Candidate) * units, MCXT_ALLOC_HUGE);
	for (int32 a = first; a < last; a++)
	{
		int32 m = unit_peers(z, units, ps->nfeatures, PS_WEIGHTS(ps), a, k,
							 dist, cand);

		put_peers(rsinfo, names[order[a]], names, order, cand, m);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(nearest_peers);
Datum
nearest_peers(PG_FUNCTION_ARGS)
{
	return nearest_peers_common(fcinfo, NULL, check_n(PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(nearest_peers_unit);
Datum
nearest_peers_unit(PG_FUNCTION_ARGS)
{
	int32 n = check_n(PG_GETARG_INT32(2));

	return nearest_peers_common(fcinfo, text_to_cstring(PG_GETARG_TEXT_PP(1)),
								n);
}
