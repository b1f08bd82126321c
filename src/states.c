/*-------------------------------------------------------------------------
 *
 * states.c
 *	  value_list: the variable-size aggregate state type, its text and binary
 *	  I/O, growth and merging, and a fast interruptible sort for doubles.
 *
 * Aggregate rules we follow (xaggr.sgml): the state lives in the aggregate
 * context and is changed in place only when AggCheckCallContext says we are
 * an aggregate; combine functions never return their second argument.
 * Citus ships partial states through value_list_out/value_list_in, so the
 * text form is exact (shortest round-trip decimals, '.' as the decimal point
 * whatever the locale) and the input function trusts nothing it reads.
 *
 *-------------------------------------------------------------------------
 */
#include "value_ext.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(value_list_in);
PG_FUNCTION_INFO_V1(value_list_out);
PG_FUNCTION_INFO_V1(value_list_recv);
PG_FUNCTION_INFO_V1(value_list_send);

#define VALUE_LIST_HEADER offsetof(ValueList, items)
/* Largest item count whose state still fits in one varlena (1 GB). */
#define VALUE_LIST_MAX_FLOATS \
	((int64) ((MaxAllocSize - VALUE_LIST_HEADER) / sizeof(float8)))

static Size
value_list_size(int width, int64 capacity)
{
	return VALUE_LIST_HEADER + (Size) capacity * width * sizeof(float8);
}

ValueList *
value_list_create(int width, int nparams, const float8 *params, int64 capacity)
{
	ValueList *vl;

	Assert(width >= 1 && width <= VALUE_LIST_MAX_WIDTH);
	Assert(nparams >= 0 && nparams <= VALUE_LIST_MAX_PARAMS);
	if (capacity < 8)
		capacity = 8;
	vl = palloc0(value_list_size(width, capacity));
	SET_VARSIZE(vl, value_list_size(width, capacity));
	vl->version = VALUE_LIST_VERSION;
	vl->width = width;
	vl->nparams = nparams;
	vl->capacity = capacity;
	for (int i = 0; i < nparams; i++)
		vl->params[i] = params[i];
	return vl;
}

/*
 * A copy of vl in CurrentMemoryContext with room for at least `needed`
 * items: capacity grows by half again (or to `needed`), which keeps the
 * total copying linear and the slack near 8 bytes per value on average.
 */
static ValueList *
value_list_grow(const ValueList *vl, int64 needed)
{
	int64 capacity = Max(vl->capacity + vl->capacity / 2, needed);
	int64 max_items = VALUE_LIST_MAX_FLOATS / vl->width;
	ValueList *grown;

	if (needed > max_items)
		ereport(
			ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many values in one aggregate group"),
			 errdetail("A group can hold at most " INT64_FORMAT
					   " values; this one needs " INT64_FORMAT ".",
					   max_items, needed),
			 errhint("Split the group, or aggregate to fewer rows first.")));
	capacity = Min(capacity, max_items);

	grown = palloc(value_list_size(vl->width, capacity));
	memcpy(grown, vl, value_list_size(vl->width, vl->count));
	SET_VARSIZE(grown, value_list_size(vl->width, capacity));
	grown->capacity = capacity;
	return grown;
}

ValueList *
value_list_append(ValueList *vl, const float8 *item)
{
	if (vl->count >= vl->capacity)
		vl = value_list_grow(vl, vl->count + 1);
	memcpy(VALUE_LIST_ITEM(vl, vl->count), item, vl->width * sizeof(float8));
	vl->count++;
	return vl;
}

ValueList *
value_list_merge(ValueList *a, const ValueList *b)
{
	ValueList *result;

	if (a == NULL)
	{
		result = value_list_create(b->width, b->nparams, b->params, b->count);
		memcpy(result->items, b->items, b->count * b->width * sizeof(float8));
		result->count = b->count;
		return result;
	}
	if (a->width != b->width || a->nparams != b->nparams)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot combine value_list states of different shapes"),
			 errdetail("One state has width %d and %d parameters, the other "
					   "width %d and %d parameters.",
					   a->width, a->nparams, b->width, b->nparams)));
	for (int i = 0; i < a->nparams; i++)
		if (a->params[i] != b->params[i])
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine aggregate states built with different "
						"parameters"),
				 errdetail(
					 "Parameter %d is %g in one state and %g in the other.",
					 i + 1, a->params[i], b->params[i]),
				 errhint("Use the same parameter value for every row of a "
						 "group.")));

	result = a;
	if (a->count + b->count > a->capacity)
		result = value_list_grow(a, a->count + b->count);
	memcpy(VALUE_LIST_ITEM(result, result->count), b->items,
		   b->count * b->width * sizeof(float8));
	result->count += b->count;
	return result;
}

Datum
value_list_combine(FunctionCallInfo fcinfo, int width, int nparams,
				   const char *aggname)
{
	ValueList *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	ValueList *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_VALUE_LIST(1);

	if (a != NULL)
		value_list_check(a, width ? width : a->width,
						 nparams >= 0 ? nparams : a->nparams, aggname);
	if (b != NULL)
		value_list_check(b, width ? width : b->width,
						 nparams >= 0 ? nparams : b->nparams, aggname);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_VALUE_LIST(a);
	}
	/* merging updates a in place: only legal on our own aggregate state */
	if (a != NULL && !AggCheckCallContext(fcinfo, NULL))
		a = value_list_merge(NULL, a);
	PG_RETURN_VALUE_LIST(value_list_merge(a, b));
}

void
value_list_check(const ValueList *vl, int width, int nparams,
				 const char *aggname)
{
	if (vl->version != VALUE_LIST_VERSION || vl->width != width ||
		vl->nparams != nparams)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("value_list state does not belong to %s", aggname),
			 errdetail("The state has version %d, width %d and %d parameters; "
					   "%s needs version %d, width %d and %d parameters.",
					   vl->version, vl->width, vl->nparams, aggname,
					   VALUE_LIST_VERSION, width, nparams)));
}

float8 *
value_list_column(const ValueList *vl, int col)
{
	float8 *out =
		palloc_extended(Max(vl->count, 1) * sizeof(float8), MCXT_ALLOC_HUGE);

	Assert(col >= 0 && col < vl->width);
	/* in slices of 1M values, so that a cancel is honoured promptly */
	for (int64 start = 0; start < vl->count; start += 0x100000)
	{
		int64 end = Min(vl->count, start + 0x100000);

		CHECK_FOR_INTERRUPTS();
		if (vl->width == 1)
			memcpy(out + start, vl->items + start,
				   (end - start) * sizeof(float8));
		else
			for (int64 i = start; i < end; i++)
				out[i] = VALUE_LIST_ITEM(vl, i)[col];
	}
	return out;
}

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
 * differ). Small inputs use insertion sort.
 */
#define SORT_DIGIT_BITS 11
#define SORT_BUCKETS (1 << SORT_DIGIT_BITS)
#define SORT_PASSES ((64 + SORT_DIGIT_BITS - 1) / SORT_DIGIT_BITS)

void
sort_float8(float8 *values, int64 n)
{
	uint64 *keys = (uint64 *) values;
	uint64 *src;
	uint64 *dst;
	uint64 *scratch;
	int64(*counts)[SORT_BUCKETS];

	if (n < 2)
		return;
	if (n <= 32)
	{
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
		return;
	}

	scratch = palloc_extended(n * sizeof(uint64), MCXT_ALLOC_HUGE);
	counts = palloc0(SORT_PASSES * sizeof(*counts));
	for (int64 i = 0; i < n; i++)
	{
		uint64 k = float8_sort_key(values[i]);

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		keys[i] = k;
		for (int p = 0; p < SORT_PASSES; p++)
			counts[p][(k >> (p * SORT_DIGIT_BITS)) & (SORT_BUCKETS - 1)]++;
	}

	src = keys;
	dst = scratch;
	for (int p = 0; p < SORT_PASSES; p++)
	{
		int shift = p * SORT_DIGIT_BITS;
		int64 pos = 0;
		uint64 *swap;

		if (counts[p][(src[0] >> shift) & (SORT_BUCKETS - 1)] == n)
			continue; /* every key has this digit: nothing to do */
		for (int d = 0; d < SORT_BUCKETS; d++)
		{
			int64 c = counts[p][d];

			counts[p][d] = pos;
			pos += c;
		}
		for (int64 i = 0; i < n; i++)
		{
			uint64 k = src[i];

			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			dst[counts[p][(k >> shift) & (SORT_BUCKETS - 1)]++] = k;
		}
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

/* ----------------------------------------------------------------------
 * Text I/O: "version:width:params:count:items", e.g. "1:1:0.2:3:1.5,2,3"
 * (params and items comma-separated, items row major, empty lists allowed).
 * ----------------------------------------------------------------------
 */
static void
append_float8(StringInfo buf, float8 x)
{
	char digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(x, digits);
	appendStringInfoString(buf, digits);
}

Datum
value_list_out(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	StringInfoData buf;
	int64 nfloats = vl->count * vl->width;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d:%d:", vl->version, vl->width);
	for (int i = 0; i < vl->nparams; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_float8(&buf, vl->params[i]);
	}
	appendStringInfo(&buf, ":" INT64_FORMAT ":", vl->count);
	for (int64 i = 0; i < nfloats; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_float8(&buf, vl->items[i]);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_CSTRING(buf.data);
}

static void
pg_attribute_noreturn()
	value_list_syntax_error(const char *input, const char *why)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
		 errmsg("invalid input syntax for type value_list: \"%.40s%s\"", input,
				strlen(input) > 40 ? "..." : ""),
		 errdetail("%s", why),
		 errhint("A value_list reads \"version:width:params:count:items\", "
				 "e.g. \"1:1::3:1.5,2,3\"; it is produced by value_ext's "
				 "aggregates, not typed by hand.")));
}

/* Parse a non-negative decimal integer up to the next ':'. */
static int64
parse_count(const char **p, const char *input, int64 max, const char *what)
{
	int64 v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		value_list_syntax_error(input,
								psprintf("The %s is not a number.", what));
	while (*s >= '0' && *s <= '9')
	{
		v = v * 10 + (*s - '0');
		if (v > max)
			value_list_syntax_error(input,
									psprintf("The %s is out of range.", what));
		s++;
	}
	if (*s != ':')
		value_list_syntax_error(
			input, psprintf("Expected \":\" after the %s.", what));
	*p = s + 1;
	return v;
}

/* Parse one finite double ending at ',' or `end`; advances past ','. */
static float8
parse_float8(const char **p, char end, const char *input, const char *what)
{
	char *stop;
	float8 v;

	errno = 0;
	if (**p == '\0' || **p == ',' || **p == end ||
		isspace((unsigned char) **p))
		value_list_syntax_error(input, psprintf("A %s is missing.", what));
	v = strtod(*p, &stop);
	/* ERANGE with a non-zero finite result is a subnormal: exact, keep it */
	if (stop == *p || !isfinite(v) || (errno == ERANGE && v == 0.0))
		value_list_syntax_error(
			input, psprintf("A %s is not a finite number.", what));
	if (*stop == ',')
		stop++;
	else if (*stop != end)
		value_list_syntax_error(
			input, psprintf("Unexpected character after a %s.", what));
	*p = stop;
	return v;
}

Datum
value_list_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64 version, width, count;
	int nparams = 0;
	float8 params[VALUE_LIST_MAX_PARAMS];
	ValueList *vl;

	version = parse_count(&p, input, 255, "version");
	if (version != VALUE_LIST_VERSION)
		value_list_syntax_error(
			input, psprintf("Version %d is not supported (expected %d).",
							(int) version, VALUE_LIST_VERSION));
	width = parse_count(&p, input, VALUE_LIST_MAX_WIDTH, "width");
	if (width < 1)
		value_list_syntax_error(input, "The width must be at least 1.");
	while (*p != ':')
	{
		if (nparams == VALUE_LIST_MAX_PARAMS)
			value_list_syntax_error(input, "There are too many parameters.");
		params[nparams++] = parse_float8(&p, ':', input, "parameter");
		if (p[-1] == ',' && *p == ':')
			value_list_syntax_error(input, "A parameter is missing.");
	}
	p++;
	count = parse_count(&p, input, VALUE_LIST_MAX_FLOATS / width, "count");
	/*
	 * Each value takes at least one character and a comma: refuse a count
	 * the text cannot hold before allocating room for it, so a short
	 * malformed state cannot make us allocate up to 1 GB.
	 */
	if (count > 0 && (int64) strlen(p) < 2 * count * width - 1)
		value_list_syntax_error(input, "A value is missing.");

	vl = value_list_create(width, nparams, params, count);
	for (int64 i = 0; i < count * width; i++)
	{
		vl->items[i] = parse_float8(&p, '\0', input, "value");
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (*p != '\0' || (count > 0 && p[-1] == ','))
		value_list_syntax_error(
			input,
			"The number of values does not match the count times the width.");
	vl->count = count;
	PG_RETURN_VALUE_LIST(vl);
}

Datum
value_list_send(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, vl->version);
	pq_sendbyte(&buf, vl->width);
	pq_sendbyte(&buf, vl->nparams);
	pq_sendint64(&buf, vl->count);
	for (int i = 0; i < vl->nparams; i++)
		pq_sendfloat8(&buf, vl->params[i]);
	for (int64 i = 0; i < vl->count * vl->width; i++)
		pq_sendfloat8(&buf, vl->items[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
pg_attribute_noreturn() value_list_binary_error(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary value_list"), errdetail("%s", why)));
}

Datum
value_list_recv(PG_FUNCTION_ARGS)
{
	StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
	int version = pq_getmsgbyte(buf);
	int width = pq_getmsgbyte(buf);
	int nparams = pq_getmsgbyte(buf);
	int64 count = pq_getmsgint64(buf);
	float8 params[VALUE_LIST_MAX_PARAMS];
	ValueList *vl;

	if (version != VALUE_LIST_VERSION)
		value_list_binary_error(
			psprintf("Version %d is not supported.", version));
	if (width < 1 || width > VALUE_LIST_MAX_WIDTH)
		value_list_binary_error(psprintf("Width %d is out of range.", width));
	if (nparams > VALUE_LIST_MAX_PARAMS)
		value_list_binary_error(
			psprintf("%d parameters is too many.", nparams));
	if (count < 0 || count > VALUE_LIST_MAX_FLOATS / width ||
		(buf->len - buf->cursor) !=
			(int64) (nparams + count * width) * (int64) sizeof(float8))
		value_list_binary_error(
			"The count does not match the message length.");
	for (int i = 0; i < nparams; i++)
		params[i] = pq_getmsgfloat8(buf);
	vl = value_list_create(width, nparams, params, count);
	for (int64 i = 0; i < count * width; i++)
	{
		vl->items[i] = pq_getmsgfloat8(buf);
		if (!isfinite(vl->items[i]))
			value_list_binary_error("A value is not finite.");
	}
	for (int i = 0; i < nparams; i++)
		if (!isfinite(params[i]))
			value_list_binary_error("A parameter is not finite.");
	vl->count = count;
	pq_getmsgend(buf);
	PG_RETURN_VALUE_LIST(vl);
}
