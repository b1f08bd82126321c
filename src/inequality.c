/*-------------------------------------------------------------------------
 *
 * inequality.c
 *	  Inequality across deprivation: the slope and relative index of
 *	  inequality (SII/RII) as PHEindicatormethods' phe_sii computes them,
 *	  with its simulated confidence limits made reproducible by a seed, and
 *	  the concentration index of Kakwani, Wagstaff and van Doorslaer (1997).
 *
 * Aggregate rules (xaggr.sgml): state lives in the aggregate context; the
 * transition updates it in place only when called as an aggregate; combine
 * never returns its second argument; final functions never modify state.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "float8_sort.h"
#include "phe.h"
#include "results.h"
#include "value_list.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* ---------------------------------------------------------------------
 * Pseudo-random normals: xoshiro256** seeded through splitmix64, and the
 * Box-Muller transform (both values of each pair used). Deterministic for
 * a given seed on every platform.
 * ---------------------------------------------------------------------
 */
typedef struct Rng
{
	uint64 s[4];
	bool has_spare;
	double spare;
} Rng;

static uint64
splitmix64(uint64 *x)
{
	uint64 z = (*x += UINT64CONST(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint64
rotl(uint64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void
rng_seed(Rng *rng, uint64 seed)
{
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
	rng->has_spare = false;
}

static inline uint64
rng_next(Rng *rng)
{
	uint64 *s = rng->s;
	uint64 result = rotl(s[1] * 5, 7) * 9;
	uint64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* uniform on (0, 1): 53 random bits, offset by half a step so never 0 */
static inline double
rng_uniform(Rng *rng)
{
	return ((double) (rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static inline double
rng_normal(Rng *rng)
{
	double u1;
	double u2;
	double r;

	if (rng->has_spare)
	{
		rng->has_spare = false;
		return rng->spare;
	}
	u1 = rng_uniform(rng);
	u2 = rng_uniform(rng);
	r = sqrt(-2.0 * log(u1));
	rng->spare = r * sin(2.0 * M_PI * u2);
	rng->has_spare = true;
	return r * cos(2.0 * M_PI * u2);
}

/* ---------------------------------------------------------------------
 * sii(value, population, quantile, lower, upper [, value_type
 *     [, transform [, confidence, multiplier [, repetitions, seed]]]])
 *
 * One row per quantile (1 = most deprived). The state keeps every row,
 * (quantile, population, value, lower, upper, repetitions, seed), with
 * parameters {confidence, multiplier, value_type, transform}.
 * ---------------------------------------------------------------------
 */
#define SII_WIDTH 7
#define SII_NPARAMS 4
#define SII_MIN_QUANTILES 5
#define SII_MAX_QUANTILES 100
#define SII_MIN_REPS 1000
#define SII_MAX_REPS 10000000
/* seeds are kept in a float8: integers up to 2^53 are exact */
#define SII_MAX_SEED INT64CONST(9007199254740991)

enum
{
	VT_OTHER = 0,
	VT_RATE = 1,
	VT_PROPORTION = 2
};

static int
parse_value_type(text *t)
{
	char *s = text_to_cstring(t);
	int vt;

	if (strcmp(s, "other") == 0)
		vt = VT_OTHER;
	else if (strcmp(s, "rate") == 0)
		vt = VT_RATE;
	else if (strcmp(s, "proportion") == 0)
		vt = VT_PROPORTION;
	else
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("sii value_type must be 'other', 'rate' or 'proportion'"),
			 errdetail("The value_type given was \"%s\".", s),
			 errhint("Use 'rate' for rates (log scale), 'proportion' for "
					 "proportions (logit scale), 'other' for anything else "
					 "(life expectancy, scores).")));
	pfree(s);
	return vt;
}

/* the scale PHE simulates on: log for rates, logit for proportions */
static inline double
to_scale(int vt, double v)
{
	if (vt == VT_RATE)
		return log(v);
	if (vt == VT_PROPORTION)
		return log(v / (1.0 - v));
	return v;
}

static inline double
from_scale(int vt, double t)
{
	if (vt == VT_RATE)
		return exp(t);
	if (vt == VT_PROPORTION)
		return exp(t) / (1.0 + exp(t));
	return t;
}

static void
sii_null_error(const char *what)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
		 errmsg("sii %s must not be NULL", what),
		 errdetail("A row had a NULL %s; every quantile needs its value, "
				   "population and limits.",
				   what),
		 errhint("Leave out areas with incomplete quantiles, as PHE does.")));
}

PG_FUNCTION_INFO_V1(sii_trans);
Datum
sii_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	int nargs = PG_NARGS();
	double params[SII_NPARAMS];
	float8 item[SII_WIDTH];
	int vt = VT_OTHER;
	bool transform = false;
	double confidence = 0.95;
	double multiplier = 1.0;
	int64 reps = 100000;
	int64 seed = 1;
	static const char *const names[] = {
		NULL,         "value",      "population",  "quantile",
		"lower",      "upper",      "value_type",  "transform",
		"confidence", "multiplier", "repetitions", "seed"};

	for (int i = 1; i < nargs; i++)
		if (PG_ARGISNULL(i))
			sii_null_error(names[i]);
	if (nargs > 6)
		vt = parse_value_type(PG_GETARG_TEXT_PP(6));
	if (nargs > 7)
		transform = PG_GETARG_BOOL(7);
	if (nargs > 8)
	{
		confidence = phe_confidence(PG_GETARG_FLOAT8(8), "sii");
		multiplier = PG_GETARG_FLOAT8(9);
		if (!isfinite(multiplier) || multiplier == 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sii multiplier must be finite and non-zero"),
					 errdetail("The multiplier given was %g.", multiplier),
					 errhint("Use -1 (or -100) to report a positive gap when "
							 "higher values are worse in deprived areas.")));
	}
	if (nargs > 10)
	{
		reps = PG_GETARG_INT32(10);
		seed = PG_GETARG_INT64(11);
		if (reps < SII_MIN_REPS || reps > SII_MAX_REPS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sii repetitions must be between %d and %d",
							SII_MIN_REPS, SII_MAX_REPS),
					 errdetail("The repetitions given were " INT64_FORMAT ".",
							   reps),
					 errhint("PHE's default is 100000.")));
		if (seed < 0 || seed > SII_MAX_SEED)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sii seed must be between 0 and 2^53 - 1"),
					 errdetail("The seed given was " INT64_FORMAT ".", seed),
					 errhint("Any fixed non-negative integer gives "
							 "reproducible limits.")));
	}

	item[0] = PG_GETARG_INT32(3);
	item[1] = PG_GETARG_FLOAT8(2);
	item[2] = PG_GETARG_FLOAT8(1);
	item[3] = PG_GETARG_FLOAT8(4);
	item[4] = PG_GETARG_FLOAT8(5);
	item[5] = (double) reps;
	item[6] = (double) seed;
	phe_check_finite(item[1], "population", "sii");
	phe_check_finite(item[2], "value", "sii");
	phe_check_finite(item[3], "lower", "sii");
	phe_check_finite(item[4], "upper", "sii");
	if (item[1] <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sii population must be greater than zero"),
				 errdetail("The value given for population was %g.", item[1]),
				 errhint("Every quantile needs a positive population.")));
	if (item[3] > item[2] || item[2] > item[4])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sii limits must satisfy lower <= value <= upper"),
				 errdetail("Quantile %d has value %g with limits %g and %g.",
						   (int) item[0], item[2], item[3], item[4]),
				 errhint("Pass the 95%% confidence limits of each quantile's "
						 "value.")));
	if ((vt == VT_RATE && item[3] <= 0.0) ||
		(vt == VT_PROPORTION && (item[3] <= 0.0 || item[4] >= 1.0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sii %s values and limits must lie inside the range "
						"of their transform",
						vt == VT_RATE ? "rate" : "proportion"),
				 errdetail("Quantile %d has limits %g and %g.", (int) item[0],
						   item[3], item[4]),
				 errhint("Rates must be above 0 (log scale) and proportions "
						 "strictly between 0 and 1 (logit scale).")));

	params[0] = confidence;
	params[1] = multiplier;
	params[2] = vt;
	params[3] = transform ? 1.0 : 0.0;
	if (vl != NULL)
	{
		value_list_check(vl, SII_WIDTH, SII_NPARAMS, "sii");
		for (int i = 0; i < SII_NPARAMS; i++)
			if (vl->params[i] != params[i])
				ereport(
					ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sii parameters must be the same for every row of "
							"a group"),
					 errdetail(
						 "Parameter %d is %g on one row and %g on another.",
						 i + 1, vl->params[i], params[i]),
					 errhint("Pass value_type, transform, confidence and "
							 "multiplier as constants.")));
	}
	return value_list_add(fcinfo, vl, SII_WIDTH, SII_NPARAMS, params, 10, 0,
						  item);
}

/* Combine for the value_list-state aggregates of this file. */
PG_FUNCTION_INFO_V1(inequality_combine);
Datum
inequality_combine(PG_FUNCTION_ARGS)
{
	return value_list_combine(fcinfo, 0, -1, "sii or concentration_index");
}

static int
compare_quantile(const void *pa, const void *pb)
{
	double a = ((const float8 *) pa)[0];
	double b = ((const float8 *) pb)[0];

	sort_interrupt_tick();
	return (a > b) - (a < b);
}

static int
compare_double(const void *pa, const void *pb)
{
	double a = *(const double *) pa;
	double b = *(const double *) pb;

	sort_interrupt_tick();
	return (a > b) - (a < b);
}

/* SII, RII and intercept from the fitted line b0 + b1 x (x in 0..1) */
static void
sii_from_fit(double b0, double b1, int vt, bool transform, double mult,
			 double *sii, double *rii, double *intercept)
{
	if (transform)
	{
		double lo = from_scale(vt, b0);
		double hi = from_scale(vt, b0 + b1);

		*sii = (hi - lo) * mult;
		*rii = hi / lo;
		*intercept = lo * fabs(mult);
	}
	else
	{
		*sii = b1 * mult;
		*rii = (b0 + b1) / b0;
		*intercept = b0;
	}
	if (mult < 0.0)
		*rii = 1.0 / *rii;
}

/*
 * (sii, sii_lower, sii_upper, rii, rii_lower, rii_upper, intercept).
 * Weighted least squares of the quantile values on the midpoints of the
 * cumulative population shares (weights: population shares), which is
 * PHE's regression of sqrt(a) y on sqrt(a) and x sqrt(a). Limits: PHE's
 * simulation, each quantile's value drawn from a normal on the simulation
 * scale (log for rates, logit for proportions) with the standard error its
 * 95% limits imply, refitted `repetitions` times; the limits are the draws
 * at ranks round(R alpha/2) and round(R (1 - alpha/2)).
 */
PG_FUNCTION_INFO_V1(sii_final);
Datum
sii_final(PG_FUNCTION_ARGS)
{
	ValueList *vl;
	int64 k;
	float8 *rows;
	double conf;
	double mult;
	int vt;
	bool transform;
	int64 reps;
	uint64 seed;
	double *c0;
	double *c1;
	double *mean;
	double *se;
	double *sims_sii;
	double *sims_rii;
	double total = 0.0;
	double cum = 0.0;
	double xbar = 0.0;
	double sxx = 0.0;
	double b0 = 0.0;
	double b1 = 0.0;
	double sii;
	double rii;
	double intercept;
	double z95 = phe_z(0.95);
	double cv;
	int64 pos_lo;
	int64 pos_hi;
	double *x;
	double *a;
	Rng rng;
	Datum values[7];
	bool nulls[7] = {false, false, false, false, false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	value_list_check(vl, SII_WIDTH, SII_NPARAMS, "sii");
	k = vl->count;
	if (k == 0)
		PG_RETURN_NULL();
	conf = vl->params[0];
	mult = vl->params[1];
	vt = (int) vl->params[2];
	transform = vl->params[3] != 0.0;
	if (k < SII_MIN_QUANTILES || k > SII_MAX_QUANTILES)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("sii needs between %d and %d quantiles",
							   SII_MIN_QUANTILES, SII_MAX_QUANTILES),
						errdetail("The group has " INT64_FORMAT " rows.", k),
						errhint("Give one row per quantile: 5 for quintiles, "
								"10 for deciles.")));

	/* sort a copy by quantile: the final function must not touch the state */
	rows = palloc(k * SII_WIDTH * sizeof(float8));
	memcpy(rows, vl->items, k * SII_WIDTH * sizeof(float8));
	qsort(rows, k, SII_WIDTH * sizeof(float8), compare_quantile);
	/* a state typed in by hand must not drive the allocation below */
	if (!(rows[5] >= SII_MIN_REPS && rows[5] <= SII_MAX_REPS) ||
		!(rows[6] >= 0.0 && rows[6] <= (double) SII_MAX_SEED) ||
		!(conf >= 0.9 && conf <= 1.0) || vt < VT_OTHER || vt > VT_PROPORTION)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("invalid sii aggregate state"),
						errdetail("The state's repetitions, seed, confidence "
								  "or value type are out of range."),
						errhint("Pass only states produced by sii itself.")));
	reps = (int64) rows[5];
	seed = (uint64) rows[6];
	for (int64 j = 0; j < k; j++)
	{
		const float8 *r = &rows[j * SII_WIDTH];

		if (j > 0 && r[0] == rows[(j - 1) * SII_WIDTH])
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sii quantiles must be distinct within a group"),
				 errdetail("Quantile %d appears more than once.", (int) r[0]),
				 errhint("Aggregate to one row per quantile first.")));
		if (r[5] != rows[5] || r[6] != rows[6])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sii parameters must be the same for every row of "
							"a group"),
					 errdetail("The repetitions or seed differ between rows."),
					 errhint("Pass repetitions and seed as constants.")));
		total += r[1];
	}

	x = palloc(k * sizeof(double));
	a = palloc(k * sizeof(double));
	c0 = palloc(k * sizeof(double));
	c1 = palloc(k * sizeof(double));
	mean = palloc(k * sizeof(double));
	se = palloc(k * sizeof(double));
	for (int64 j = 0; j < k; j++)
	{
		const float8 *r = &rows[j * SII_WIDTH];

		a[j] = r[1] / total;
		x[j] = cum + a[j] / 2.0; /* midpoint of the cumulative share */
		cum += a[j];
		xbar += a[j] * x[j];
		mean[j] = to_scale(vt, r[2]);
		/* PHE: the limits are taken as 95% limits on the simulation scale */
		se[j] = (to_scale(vt, r[4]) - to_scale(vt, r[3])) / z95 / 2.0;
	}
	for (int64 j = 0; j < k; j++)
		sxx += a[j] * (x[j] - xbar) * (x[j] - xbar);
	/* b1 = sum c1 y, b0 = sum c0 y: the fit is linear in the values */
	for (int64 j = 0; j < k; j++)
	{
		c1[j] = a[j] * (x[j] - xbar) / sxx;
		c0[j] = a[j] - xbar * c1[j];
	}
	for (int64 j = 0; j < k; j++)
	{
		double y = transform ? mean[j] : rows[j * SII_WIDTH + 2];

		b0 += c0[j] * y;
		b1 += c1[j] * y;
	}
	sii_from_fit(b0, b1, vt, transform, mult, &sii, &rii, &intercept);

	sims_sii = palloc_extended(reps * sizeof(double), MCXT_ALLOC_HUGE);
	sims_rii = palloc_extended(reps * sizeof(double), MCXT_ALLOC_HUGE);
	rng_seed(&rng, seed);
	for (int64 r = 0; r < reps; r++)
	{
		double s0 = 0.0;
		double s1 = 0.0;
		double dummy;

		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int64 j = 0; j < k; j++)
		{
			double t = mean[j] + se[j] * rng_normal(&rng);
			double y = transform ? t : from_scale(vt, t);

			s0 += c0[j] * y;
			s1 += c1[j] * y;
		}
		sii_from_fit(s0, s1, vt, transform, mult, &sims_sii[r], &sims_rii[r],
					 &dummy);
	}
	qsort(sims_sii, reps, sizeof(double), compare_double);
	qsort(sims_rii, reps, sizeof(double), compare_double);

	/* PHE's positions, 1-based, R's round() (half to even, as rint) */
	cv = conf + (1.0 - conf) / 2.0;
	pos_lo = (int64) rint((double) reps * (1.0 - cv));
	pos_hi = (int64) rint((double) reps * cv);
	pos_lo = Max(1, Min(reps, pos_lo));
	pos_hi = Max(1, Min(reps, pos_hi));

	values[0] = Float8GetDatum(sii);
	values[1] = Float8GetDatum(sims_sii[pos_lo - 1]);
	values[2] = Float8GetDatum(sims_sii[pos_hi - 1]);
	values[3] = Float8GetDatum(rii);
	values[4] = Float8GetDatum(sims_rii[pos_lo - 1]);
	values[5] = Float8GetDatum(sims_rii[pos_hi - 1]);
	values[6] = Float8GetDatum(intercept);
	for (int i = 0; i < 7; i++)
		if (!isfinite(DatumGetFloat8(values[i])))
			nulls[i] = true;

	pfree(sims_sii);
	pfree(sims_rii);
	pfree(rows);
	PG_RETURN_DATUM(composite_result(fcinfo, values, nulls));
}

/* ---------------------------------------------------------------------
 * concentration_index(outcome, rank [, weight])
 *
 * State value_list of (outcome, rank, weight) items.
 * ---------------------------------------------------------------------
 */
#define CI_WIDTH 3

PG_FUNCTION_INFO_V1(concentration_index_trans);
Datum
concentration_index_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	float8 item[CI_WIDTH];

	/* a row with a NULL is skipped (no outcome, rank or weight to use) */
	for (int i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (vl == NULL)
				PG_RETURN_NULL();
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		}
	item[0] = PG_GETARG_FLOAT8(1);
	item[1] = PG_GETARG_FLOAT8(2);
	item[2] = PG_NARGS() > 3 ? PG_GETARG_FLOAT8(3) : 1.0;
	phe_check_finite(item[0], "outcome", "concentration_index");
	phe_check_finite(item[1], "rank", "concentration_index");
	phe_check_finite(item[2], "weight", "concentration_index");
	if (item[2] < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("concentration_index weight must be greater than or "
						"equal to zero"),
				 errdetail("The value given for weight was %g.", item[2]),
				 errhint("Weights are population counts or survey weights.")));

	if (vl != NULL)
		value_list_check(vl, CI_WIDTH, 0, "concentration_index");
	return value_list_add(fcinfo, vl, CI_WIDTH, 0, NULL, 64, 0, item);
}

static int
compare_rank(const void *pa, const void *pb)
{
	double a = ((const float8 *) pa)[1];
	double b = ((const float8 *) pb)[1];

	sort_interrupt_tick();
	return (a > b) - (a < b);
}

/*
 * C = 2 cov_w(h, R) / mean_w(h), R the weighted fractional rank in
 * ascending order of rank (put the most deprived first), tied ranks
 * sharing the midpoint of their block. NULL when there are no rows, the
 * weights sum to 0 or the weighted mean outcome is 0.
 */
PG_FUNCTION_INFO_V1(concentration_index_final);
Datum
concentration_index_final(PG_FUNCTION_ARGS)
{
	ValueList *vl;
	float8 *rows;
	int64 n;
	double wsum = 0.0;
	double mu = 0.0;
	double rbar = 0.0;
	double cov = 0.0;
	double before = 0.0;
	double *frac;
	int64 i = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	value_list_check(vl, CI_WIDTH, 0, "concentration_index");
	n = vl->count;
	if (n == 0)
		PG_RETURN_NULL();
	rows = palloc_extended(n * CI_WIDTH * sizeof(float8), MCXT_ALLOC_HUGE);
	memcpy(rows, vl->items, n * CI_WIDTH * sizeof(float8));
	qsort(rows, n, CI_WIDTH * sizeof(float8), compare_rank);
	frac = palloc_extended(n * sizeof(double), MCXT_ALLOC_HUGE);

	for (int64 j = 0; j < n; j++)
	{
		wsum += rows[j * CI_WIDTH + 2];
		if ((j & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (wsum <= 0.0)
		PG_RETURN_NULL();

	/* fractional ranks: a tied block shares the midpoint of its weight */
	while (i < n)
	{
		int64 end = i;
		double block = 0.0;

		while (end < n && rows[end * CI_WIDTH + 1] == rows[i * CI_WIDTH + 1])
			block += rows[(end++) * CI_WIDTH + 2];
		for (int64 j = i; j < end; j++)
			frac[j] = (before + block / 2.0) / wsum;
		before += block;
		i = end;
		CHECK_FOR_INTERRUPTS();
	}
	for (int64 j = 0; j < n; j++)
	{
		double w = rows[j * CI_WIDTH + 2] / wsum;

		mu += w * rows[j * CI_WIDTH];
		rbar += w * frac[j];
		if ((j & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (mu == 0.0)
		PG_RETURN_NULL();
	for (int64 j = 0; j < n; j++)
	{
		double w = rows[j * CI_WIDTH + 2] / wsum;

		cov += w * (rows[j * CI_WIDTH] - mu) * (frac[j] - rbar);
		if ((j & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(rows);
	pfree(frac);
	check_result_finite(2.0 * cov / mu, "index", "concentration_index");
	PG_RETURN_FLOAT8(2.0 * cov / mu);
}
