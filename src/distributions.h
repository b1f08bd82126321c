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
/*
 * The two-sided normal critical value Phi^-1((1 + confidence) / 2) for a
 * confidence in (0, 1); error 22023 naming fname otherwise (a percentage
 * such as 95 is refused).
 */
extern double normal_critical_value(double confidence, const char *fname);
/* qchisq(p, df); df = 0 is the point mass at 0 */
extern double chisq_quantile(double p, double df);
/* qt(p, df): the Student t quantile */
extern double t_quantile(double p, double df);

#endif /* DISTRIBUTIONS_H */
