/*-------------------------------------------------------------------------
 *
 * concentration.h
 *	  The argument rules of the concentration functions (concentration.c)
 *	  that the cost sketch's finals (cost_sketch.c) share: one wording for
 *	  top_share's fraction and lorenz_curve's points, exact or sketched.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef CONCENTRATION_H
#define CONCENTRATION_H

/* Most points lorenz_curve draws (a chart needs far fewer). */
#define LORENZ_MAX_POINTS 100000

/* Error 22023 unless top_share's fraction is above 0 and at most 1. */
extern void check_top_share_fraction(float8 fraction);

/* Error 22023 unless lorenz_curve's points are between 1 and the most. */
extern void check_lorenz_points(int32 points);

#endif /* CONCENTRATION_H */
