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

/* distributions.c: one tested place for quantiles and CDFs */
extern double normal_cdf(double x);
extern double normal_quantile(double p);

#endif /* VALUE_EXT_H */
