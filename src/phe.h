/*-------------------------------------------------------------------------
 *
 * phe.h
 *	  The interval methods of PHEindicatormethods (OHID/UKHSA) and the
 *	  fixed-size float8[] aggregate states shared by the public-health
 *	  modules (rates, dsr, life, inequality).
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

#endif /* PHE_H */
