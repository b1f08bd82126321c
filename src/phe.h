/*-------------------------------------------------------------------------
 *
 * phe.h
 *	  What the public-health modules (rates, dsr, life, inequality) share
 *	  (phe.c): confidence as PHEindicatormethods (OHID/UKHSA) accepts it,
 *	  Byar's and exact Poisson limits, the fixed-size float8[] aggregate
 *	  states, and the argument checks with their one wording per rule.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef PHE_H
#define PHE_H

#include "fmgr.h"
#include "utils/array.h"

/*
 * A confidence level as PHE accepts it: 0.9..1 or 90..100 (percent);
 * returns the fraction. Error 22023 otherwise. `fname` names the function.
 */
extern double phe_confidence(double confidence, const char *fname);
/* two-sided normal critical value for a confidence fraction */
extern double phe_z(double confidence);
/* Byar's approximate Poisson limits for a count; lower < 0 gives NaN */
extern double byars_lower(double x, double confidence);
extern double byars_upper(double x, double confidence);
/* exact Poisson limits qchisq(a/2, 2x)/2 and qchisq(1-a/2, 2x+2)/2 */
extern double poisson_exact_lower(double x, double confidence);
extern double poisson_exact_upper(double x, double confidence);

/*
 * Argument `argno` of a fixed-size aggregate's combine or final function:
 * its elements, after error 22023 unless it is a one-dimensional float8
 * array of exactly `len` non-NULL elements. Errors name the aggregate.
 */
extern float8 *phe_state_values(FunctionCallInfo fcinfo, int argno, int len);
/*
 * Argument 0 of a fixed-size aggregate's transition function, checked as
 * phe_state_values does; error 22004 when it is NULL (a direct call).
 */
extern ArrayType *phe_state_arg(FunctionCallInfo fcinfo, int len);
/* the elements of a checked state (no NULL bitmap, one dimension) */
#define PHE_STATE_DATA(a) ((float8 *) ((char *) (a) + ARR_OVERHEAD_NONULLS(1)))
/* a fresh one-dimensional float8[] holding values[0..len-1] */
extern ArrayType *phe_state_build(const float8 *values, int len);
/*
 * The state a transition function may change: `state` itself when called
 * as an aggregate, a copy when called directly (never scribble on the
 * caller's array).
 */
extern ArrayType *phe_state_writable(FunctionCallInfo fcinfo, ArrayType *state,
									 int len);

/*
 * Argument checks, error 22023 naming the argument `arg` of `fname`
 * (22004 for phe_null_argument). `hint`, a whole sentence, may be NULL.
 */
extern void phe_check_finite(double v, const char *arg, const char *fname);
extern void phe_check_not_negative(double v, const char *arg,
								   const char *fname, const char *hint);
extern void phe_check_positive(double v, const char *arg, const char *fname,
							   const char *hint);
/* a multiplier: finite and positive */
extern void phe_check_multiplier(double multiplier, const char *fname);
/* an age in completed years: not negative */
extern void phe_check_age(int32 age, const char *fname);
extern pg_attribute_noreturn() void phe_null_argument(const char *arg,
													  const char *fname,
													  const char *hint);
/*
 * A parameter that changed within a group, or between two partial states
 * of one group: `started` is the group's value so far, `now` the new one.
 */
extern pg_attribute_noreturn() void phe_param_changed(const char *arg,
													  double started,
													  double now,
													  const char *fname);
/*
 * phe_param_changed unless two rows (or partial states) of a group agree
 * on the confidence and the multiplier, checked in that order.
 */
extern void phe_check_same_params(double conf_a, double mult_a, double conf_b,
								  double mult_b, const char *fname);

/*
 * The whole combine function of an aggregate whose float8[len] state is
 * {rows, sums..., confidence, multiplier}: an empty side gives the other,
 * else the sums add up and the confidence and multiplier must agree
 * (phe_check_same_params, naming fname, or the aggregate the user called
 * when fname is NULL: for combine functions shared by two aggregates).
 */
extern Datum phe_sum_state_combine(FunctionCallInfo fcinfo, int len,
								   const char *fname);

#endif /* PHE_H */
