/*-------------------------------------------------------------------------
 *
 * distributions.c
 *	  Quantiles and CDFs of the distributions used by value_ext's methods.
 *
 * One tested place for each, so that a Wilson interval, a funnel limit and
 * a Fieller interval all use the same critical values.
 *
 *-------------------------------------------------------------------------
 */
#include "value_ext.h"

#include <math.h>

/* Standard normal CDF; erfc keeps full relative accuracy in the tails. */
double
normal_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/* Evaluate c[0] + c[1] x + ... + c[n-1] x^(n-1) by Horner's rule. */
static inline double
horner(const double *c, int n, double x)
{
	double y = c[n - 1];

	for (int i = n - 2; i >= 0; i--)
		y = y * x + c[i];
	return y;
}

/* Wichura's AS 241 (PPND16) coefficients, lowest order first. */
static const double as241_a[8] = {
	3.3871328727963666080e+0, 1.3314166789178437745e+2,
	1.9715909503065514427e+3, 1.3731693765509461125e+4,
	4.5921953931549871457e+4, 6.7265770927008700853e+4,
	3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double as241_b[8] = {1.0,
								  4.2313330701600911252e+1,
								  6.8718700749205790830e+2,
								  5.3941960214247511077e+3,
								  2.1213794301586595867e+4,
								  3.9307895800092710610e+4,
								  2.8729085735721942674e+4,
								  5.2264952788528545610e+3};
static const double as241_c[8] = {
	1.42343711074968357734e+0, 4.63033784615654529590e+0,
	5.76949722146069140550e+0, 3.64784832476320460504e+0,
	1.27045825245236838258e+0, 2.41780725177450611770e-1,
	2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double as241_d[8] = {1.0,
								  2.05319162663775882187e+0,
								  1.67638483018380384940e+0,
								  6.89767334985100004550e-1,
								  1.48103976427480074590e-1,
								  1.51986665636164571966e-2,
								  5.47593808499534494600e-4,
								  1.05075007164441684324e-9};
static const double as241_e[8] = {
	6.65790464350110377720e+0, 5.46378491116411436990e+0,
	1.78482653991729133580e+0, 2.96560571828504891230e-1,
	2.65321895265761230930e-2, 1.24266094738807843860e-3,
	2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double as241_f[8] = {1.0,
								  5.99832206555887937690e-1,
								  1.36929880922735805310e-1,
								  1.48753612908506148525e-2,
								  7.86869131145613259100e-4,
								  1.84631831751005468180e-5,
								  1.42151175831644588870e-7,
								  2.04426310338993978564e-15};

/*
 * Standard normal quantile: Wichura's AS 241 (about 1e-16 relative), then
 * one Halley step against normal_cdf so that quantile and CDF agree to the
 * last bit or two. p must lie in [0, 1]: 0 and 1 give -/+ infinity, anything
 * else NaN (callers validate their arguments first).
 */
double
normal_quantile(double p)
{
	double q = p - 0.5;
	double r;
	double x;

	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;

	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		x = q * horner(as241_a, 8, r) / horner(as241_b, 8, r);
	}
	else
	{
		r = sqrt(-log(q < 0.0 ? p : 1.0 - p));
		if (r <= 5.0)
			x = horner(as241_c, 8, r - 1.6) / horner(as241_d, 8, r - 1.6);
		else
			x = horner(as241_e, 8, r - 5.0) / horner(as241_f, 8, r - 5.0);
		if (q < 0.0)
			x = -x;
	}

	/* One Halley step; skipped in the far tails where the CDF underflows. */
	if (fabs(x) < 37.0)
	{
		double e = normal_cdf(x) - p;
		double u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);

		x -= u / (1.0 + x * u / 2.0);
	}
	return x;
}
