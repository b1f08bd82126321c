/*-------------------------------------------------------------------------
 *
 * value_list.h
 *	  value_list: the variable-size aggregate state of the aggregates that must
 *	  see every value of a group (exact shares, Gini, quantiles, funnel
 *	  trimming, concentration indices), and the checks and errors every
 *	  such aggregate shares (value_list.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef VALUE_LIST_H
#define VALUE_LIST_H

#include "fmgr.h"

/*
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
 * follow that rule, growing large states as expanded objects (value_list.c);
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
 * Raises the error for a parameter that differs within a group: `started`
 * holds the group's parameters (the first state's, when combining), `now`
 * the row's (the second state's). Returns without an error only when it
 * cannot tell which parameter it is; the caller then raises a general one.
 */
typedef void (*ValueListParamsError)(FunctionCallInfo fcinfo,
									 const float8 *started, const float8 *now);

/*
 * The whole body of a value_list aggregate's combine function: handles the
 * four NULL cases, never returns or modifies its second argument, checks
 * both states (width 0 or nparams -1 accept any, for combine functions
 * shared by several aggregates; the two states must still agree with each
 * other) and merges in place only inside an aggregate. States whose
 * parameters differ get the error a transition function gives for a
 * parameter that changes (params_error; when it is NULL or returns:
 * "parameters of AGG must be the same for every row of a group"). Errors
 * name the aggregate as value_list_aggregate_name does.
 */
extern Datum value_list_combine_params(FunctionCallInfo fcinfo, int width,
									   int nparams, const char *aggname,
									   ValueListParamsError params_error);

/*
 * value_list_combine with the general parameter error for width-1 lists
 * that many states are merged into (value_list_agg(value_list)): the
 * result is marked VALUE_LIST_ANY_ORDER and the second state's values are
 * appended instead of merged into sorted order, so merging k states costs
 * their total size, not k times it; the final function sorts once.
 */
extern Datum value_list_combine_any_order(FunctionCallInfo fcinfo, int width,
										  int nparams, const char *aggname);

/* value_list_combine_params with the general parameter error */
static inline Datum
value_list_combine(FunctionCallInfo fcinfo, int width, int nparams,
				   const char *aggname)
{
	return value_list_combine_params(fcinfo, width, nparams, aggname, NULL);
}

/*
 * The aggregate to name in an error of a support function (the error path
 * only: it reads the catalogue): the aggregate the executor runs it for,
 * also inside Citus's wrapper aggregates (called_aggregate), else `aggname`,
 * the aggregate or aggregates the function serves (called directly).
 */
extern const char *value_list_aggregate_name(FunctionCallInfo fcinfo,
											 const char *aggname);

/*
 * The type's text and binary input, also for types stored in this layout
 * (spc_chart reads its forms through them, then checks its own rules).
 */
extern Datum value_list_in(PG_FUNCTION_ARGS);
extern Datum value_list_recv(PG_FUNCTION_ARGS);

/*
 * Error 22023 "invalid state for AGG" unless vl has this version, width and
 * parameter count.
 */
extern pg_attribute_noreturn() void value_list_check_failed(
	const ValueList *vl, int width, int nparams, const char *aggname);

static inline bool
value_list_has_shape(const ValueList *vl, int width, int nparams)
{
	return vl->version == VALUE_LIST_VERSION && vl->width == width &&
		   vl->nparams == nparams;
}

static inline void
value_list_check(const ValueList *vl, int width, int nparams,
				 const char *aggname)
{
	if (unlikely(!value_list_has_shape(vl, width, nparams)))
		value_list_check_failed(vl, width, nparams, aggname);
}

/*
 * The values of a width-1 list in ascending order: its own items when it
 * is marked sorted (*copied = false; do not change or free them), else a
 * sorted copy (*copied = true; the caller frees it).
 */
extern const float8 *value_list_sorted_values(const ValueList *vl,
											  bool *copied);

#endif /* VALUE_LIST_H */
