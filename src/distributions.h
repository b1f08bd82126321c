/*-------------------------------------------------------------------------
 *
 * distributions.h
 *	  Quantiles of the distributions behind value_ext's intervals and limits
 *	  (distributions.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef DISTRIBUTIONS_H
#define DISTRIBUTIONS_H

/* Phi^-1(p): the standard normal quantile (AS 241 and one Halley step) */
extern double normal_quantile(double p);
/* qchisq(p, df); df = 0 is the point mass at 0 */
extern double chisq_quantile(double p, double df);
/* qt(p, df): the Student t quantile */
extern double t_quantile(double p, double df);

#endif /* DISTRIBUTIONS_H */
