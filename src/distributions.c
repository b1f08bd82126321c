/*-------------------------------------------------------------------------
 *
 * distributions.c
 *	  The normal, chi-squared and Student t quantiles behind value_ext's
 *	  intervals and limits, and the CDFs and incomplete gamma and beta
 *	  functions they invert (static: only the quantiles have callers).
 *
 * One tested place for each, so that a Wilson interval, a funnel limit and
 * a Fieller interval all use the same critical values.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "distributions.h"

#include <math.h>

#include "utils/float.h"

/* Standard normal CDF; erfc keeps full relative accuracy in the tails. */
static double
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

double
normal_critical_value(double confidence, const char *fname)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence of %s must be between 0 and 1", fname),
				 errdetail("The confidence is %s.",
						   float8out_internal(confidence)),
				 errhint("Use a fraction such as 0.95 or 0.998, not a "
						 "percentage.")));
	return normal_quantile(0.5 + confidence / 2.0);
}

/*
 * Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x)
 * for a > 0, x >= 0. The power series converges fast for x < a + 1; above
 * that the Legendre continued fraction (modified Lentz) does, and each is
 * used for the tail it computes without cancellation.
 */
static double
gamma_prefactor(double a, double x)
{
	/* x^a e^-x / Gamma(a), in logs to avoid overflow */
	return exp(a * log(x) - x - lgamma(a));
}

static double
gamma_p_series(double a, double x)
{
	double term = 1.0 / a;
	double sum = term;

	for (int n = 1; n < 10000; n++)
	{
		term *= x / (a + n);
		sum += term;
		if (fabs(term) < fabs(sum) * 1e-17)
			break;
	}
	return sum * gamma_prefactor(a, x);
}

static double
gamma_q_fraction(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1.0 - a;
	double c = 1.0 / tiny;
	double d = 1.0 / b;
	double h = d;

	for (int i = 1; i < 10000; i++)
	{
		double an = -i * (i - a);
		double delta;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < 1e-17)
			break;
	}
	return h * gamma_prefactor(a, x);
}

static double
gamma_p(double a, double x)
{
	if (isnan(a) || isnan(x) || a <= 0.0 || x < 0.0)
		return NAN;
	if (x == 0.0)
		return 0.0;
	if (isinf(x))
		return 1.0;
	if (x < a + 1.0)
		return gamma_p_series(a, x);
	return 1.0 - gamma_q_fraction(a, x);
}

static double
gamma_q(double a, double x)
{
	if (isnan(a) || isnan(x) || a <= 0.0 || x < 0.0)
		return NAN;
	if (x == 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	if (x < a + 1.0)
		return 1.0 - gamma_p_series(a, x);
	return gamma_q_fraction(a, x);
}

/*
 * Quantile of the Gamma(a, 1) distribution: the x with P(a, x) = p.
 * Start from Wilson-Hilferty (or the small-x power law when that falls
 * below zero), then safeguarded Halley steps inside a shrinking bracket,
 * solving on whichever tail is smaller so that p near 1 keeps its accuracy.
 */
static double
gamma_quantile(double a, double p)
{
	bool upper = (p > 0.5);
	double target = upper ? 1.0 - p : p;
	double lo = 0.0;
	double hi = INFINITY;
	double x;
	double z = normal_quantile(p);
	double c = 1.0 / (9.0 * a);

	x = a * pow(1.0 - c + z * sqrt(c), 3);
	if (!(x > 0.0) || a < 1.0)
	{
		/* P(a, x) ~ x^a / Gamma(a + 1) for small x */
		double small = exp((log(p) + lgamma(a + 1.0)) / a);

		if (!(x > 0.0) || small < x)
			x = small;
	}
	if (!(x > 0.0) || !isfinite(x))
		x = a;

	for (int i = 0; i < 300; i++)
	{
		double f = upper ? target - gamma_q(a, x) : gamma_p(a, x) - target;
		double dens;
		double step;
		double next;

		/* f increases with x in both forms */
		if (f == 0.0)
			return x;
		if (f < 0.0)
			lo = x;
		else
			hi = x;

		dens = exp((a - 1.0) * log(x) - x - lgamma(a));
		if (dens > 0.0 && isfinite(dens))
		{
			double newton = f / dens;
			/* Halley: f'' / f' = (a - 1) / x - 1 for the gamma density */
			double ratio = (a - 1.0) / x - 1.0;

			step = newton / (1.0 - 0.5 * newton * ratio);
			if (!isfinite(step))
				step = newton;
			next = x - step;
		}
		else
			next = NAN;

		if (!(next > lo && next < hi))
			next = isinf(hi) ? 2.0 * x + 1.0 : 0.5 * (lo + hi);
		if (fabs(next - x) <= 1e-15 * fabs(next))
			return next;
		x = next;
	}
	return x;
}

/*
 * Chi-square quantile qchisq(p, df), df >= 0. df = 0 is the point mass at
 * zero (so that the exact Poisson lower limit of a zero count is 0, as R
 * gives). p = 0 gives 0 and p = 1 gives +infinity.
 */
double
chisq_quantile(double p, double df)
{
	if (isnan(p) || isnan(df) || p < 0.0 || p > 1.0 || df < 0.0)
		return NAN;
	if (df == 0.0 || p == 0.0)
		return 0.0;
	if (p == 1.0)
		return INFINITY;
	return 2.0 * gamma_quantile(0.5 * df, p);
}

/*
 * Regularised incomplete beta I_x(a, b), continued fraction (modified
 * Lentz), evaluated directly when x < (a + 1) / (a + b + 2) and through the
 * symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise, where it converges fast.
 */
static double
beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1.0;
	double d = 1.0 - (a + b) * x / (a + 1.0);
	double h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m < 10000; m++)
	{
		double m2 = 2.0 * m;
		double an = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
		double delta;

		d = 1.0 + an * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;

		an = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + an * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < 1e-17)
			break;
	}
	return h;
}

static double
incomplete_beta(double x, double a, double b)
{
	double front;

	if (isnan(x) || isnan(a) || isnan(b) || a <= 0.0 || b <= 0.0 || x < 0.0 ||
		x > 1.0)
		return NAN;
	if (x == 0.0)
		return 0.0;
	if (x == 1.0)
		return 1.0;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
				b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * beta_fraction(a, b, x) / a;
	return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

/* P(T > t) for t >= 0, Student t with df degrees of freedom. */
static double
t_upper_tail(double t, double df)
{
	return 0.5 * incomplete_beta(df / (df + t * t), 0.5 * df, 0.5);
}

/*
 * Student t quantile qt(p, df), df > 0: safeguarded Newton on the upper
 * tail (so 0.999 keeps full accuracy), started from the Cornish-Fisher
 * expansion around the normal quantile and kept inside a bracket.
 */
double
t_quantile(double p, double df)
{
	double q;
	double z;
	double t;
	double lo = 0.0;
	double hi = INFINITY;
	double logc;

	if (isnan(p) || isnan(df) || p < 0.0 || p > 1.0 || df <= 0.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	if (p == 0.5)
		return 0.0;
	if (p < 0.5)
		return -t_quantile(1.0 - p, df);

	q = 1.0 - p; /* target upper tail, < 0.5 */
	z = normal_quantile(p);
	t = z + (z * z * z + z) / (4.0 * df) +
		(5.0 * pow(z, 5) + 16.0 * pow(z, 3) + 3.0 * z) / (96.0 * df * df);
	if (!(t > 0.0) || !isfinite(t))
		t = z;
	logc = lgamma(0.5 * (df + 1.0)) - lgamma(0.5 * df) - 0.5 * log(df * M_PI);

	for (int i = 0; i < 300; i++)
	{
		/* g decreases with t */
		double g = t_upper_tail(t, df) - q;
		double dens = exp(logc - 0.5 * (df + 1.0) * log1p(t * t / df));
		double next;

		if (g == 0.0)
			return t;
		if (g > 0.0)
			lo = t;
		else
			hi = t;
		next = (dens > 0.0) ? t + g / dens : NAN;
		if (!(next > lo && next < hi))
			next = isinf(hi) ? 2.0 * t + 1.0 : 0.5 * (lo + hi);
		if (fabs(next - t) <= 1e-15 * fabs(next))
			return next;
		t = next;
	}
	return t;
}
