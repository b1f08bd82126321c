/*-------------------------------------------------------------------------
 *
 * inequality.c
 *	  The inequality module (44): the sii aggregate, slope and relative
 *	  index of inequality (SII/RII) as PHEindicatormethods' phe_sii
 *	  computes them, with its simulated confidence limits made reproducible
 *	  by a seed; and the concentration_index aggregate of Kakwani, Wagstaff
 *	  and van Doorslaer (1997).
 *
 * Aggregate rules (xaggr.sgml): state lives in the aggregate context; the
 * transition updates it in place only when called as an aggregate; combine
 * never returns its second argument; final functions never modify state.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
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
	rng->spare = 0.0;
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
#define SII_Q 0
#define SII_POP 1
#define SII_VALUE 2
#define SII_LOWER 3
#define SII_UPPER 4
#define SII_REPS 5
#define SII_SEED 6

#define SII_NPARAMS 4
#define SII_CONF 0
#define SII_MULT 1
#define SII_VT 2
#define SII_TRANSFORM 3

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
			 errmsg("value_type of sii must be one of 'other', 'rate' or "
					"'proportion'"),
			 errdetail("The value_type is \"%s\".", s),
			 errhint("Use 'rate' for rates (log scale), 'proportion' for "
					 "proportions (logit scale), 'other' for anything else "
					 "(life expectancy, scores).")));
	pfree(s);
	return vt;
}

static const char *
value_type_name(double vt)
{
	if (vt == VT_OTHER)
		return "other";
	if (vt == VT_RATE)
		return "rate";
	if (vt == VT_PROPORTION)
		return "proportion";
	return "unknown";
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

/* The options of a row: arguments 6 to 11, or their defaults. */
typedef struct SiiOptions
{
	int value_type;
	bool transform;
	double confidence;
	double multiplier;
	int64 repetitions;
	int64 seed;
} SiiOptions;

/* Error 22004 unless every argument of the row is given. */
static void
sii_check_not_null(FunctionCallInfo fcinfo)
{
	static const char *const names[] = {
		NULL,         "value",      "population",  "quantile",
		"lower",      "upper",      "value_type",  "transform",
		"confidence", "multiplier", "repetitions", "seed"};

	for (int i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			phe_null_argument(names[i], "sii",
							  "Leave out areas with incomplete quantiles, as "
							  "PHE does.");
}

/* The row's options, checked; the defaults for those the overload lacks. */
static void
sii_read_options(FunctionCallInfo fcinfo, SiiOptions *o)
{
	int nargs = PG_NARGS();

	o->value_type = VT_OTHER;
	o->transform = false;
	o->confidence = 0.95;
	o->multiplier = 1.0;
	o->repetitions = 100000;
	o->seed = 1;
	if (nargs > 6)
		o->value_type = parse_value_type(PG_GETARG_TEXT_PP(6));
	if (nargs > 7)
		o->transform = PG_GETARG_BOOL(7);
	if (nargs > 8)
	{
		o->confidence = phe_confidence(PG_GETARG_FLOAT8(8), "sii");
		o->multiplier = PG_GETARG_FLOAT8(9);
		phe_check_finite(o->multiplier, "multiplier", "sii");
		if (o->multiplier == 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("multiplier of sii must not be zero"),
					 errdetail("The multiplier is %g.", o->multiplier),
					 errhint("Use -1 (or -100) to report a positive gap when "
							 "higher values are worse in deprived areas.")));
	}
	if (nargs > 10)
	{
		o->repetitions = PG_GETARG_INT32(10);
		o->seed = PG_GETARG_INT64(11);
		if (o->repetitions < SII_MIN_REPS || o->repetitions > SII_MAX_REPS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("repetitions of sii must be between %d and %d",
							SII_MIN_REPS, SII_MAX_REPS),
					 errdetail("The repetitions is " INT64_FORMAT ".",
							   o->repetitions),
					 errhint("PHE's default is 100000.")));
		if (o->seed < 0 || o->seed > SII_MAX_SEED)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("seed of sii must be between 0 and 2^53 - 1"),
					 errdetail("The seed is " INT64_FORMAT ".", o->seed),
					 errhint("Any fixed non-negative integer gives "
							 "reproducible limits.")));
	}
}

#define SII_PROPORTION_HINT                                                   \
	"Proportions are simulated on the logit scale, so their limits must lie " \
	"strictly between 0 and 1."

/*
 * Error 22023 unless a row's population, value and limits can be used:
 * finite, a positive population, lower <= value <= upper, and limits
 * inside the domain of the simulation scale.
 */
static void
sii_check_row(const float8 *item, int vt)
{
	phe_check_finite(item[SII_POP], "population", "sii");
	phe_check_finite(item[SII_VALUE], "value", "sii");
	phe_check_finite(item[SII_LOWER], "lower", "sii");
	phe_check_finite(item[SII_UPPER], "upper", "sii");
	phe_check_positive(item[SII_POP], "population", "sii",
					   "Every quantile needs a positive population.");
	if (item[SII_LOWER] > item[SII_VALUE] || item[SII_VALUE] > item[SII_UPPER])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of sii must be between lower and upper"),
				 errdetail("Quantile %d has value %g with limits %g and %g.",
						   (int) item[SII_Q], item[SII_VALUE], item[SII_LOWER],
						   item[SII_UPPER]),
				 errhint("Pass the 95%% confidence limits of each quantile's "
						 "value.")));
	if (vt == VT_RATE)
		phe_check_positive(item[SII_LOWER], "lower", "sii",
						   "Rates are simulated on the log scale, so their "
						   "limits must be above 0.");
	if (vt == VT_PROPORTION)
	{
		phe_check_positive(item[SII_LOWER], "lower", "sii",
						   SII_PROPORTION_HINT);
		if (item[SII_UPPER] >= 1.0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("upper of sii must be less than 1"),
							errdetail("The upper is %g.", item[SII_UPPER]),
							errhint(SII_PROPORTION_HINT)));
	}
}

/*
 * Error 22023 unless two rows (or partial states) of a group were given
 * the same options: `started` and `now` are parameters of the state.
 */
static void
sii_check_same_params(const float8 *started, const float8 *now)
{
	phe_check_same_params(started[SII_CONF], started[SII_MULT], now[SII_CONF],
						  now[SII_MULT], "sii");
	if (started[SII_VT] != now[SII_VT])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value_type of sii must be the same for every row of "
						"a group"),
				 errdetail("The group started with \"%s\" and now has \"%s\".",
						   value_type_name(started[SII_VT]),
						   value_type_name(now[SII_VT])),
				 errhint("Pass the value_type as a constant.")));
	if (started[SII_TRANSFORM] != now[SII_TRANSFORM])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("transform of sii must be the same for every row of a "
						"group"),
				 errdetail("The group started with %s and now has %s.",
						   started[SII_TRANSFORM] != 0.0 ? "true" : "false",
						   now[SII_TRANSFORM] != 0.0 ? "true" : "false"),
				 errhint("Pass the transform as a constant.")));
}

PG_FUNCTION_INFO_V1(sii_trans);
Datum
sii_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	SiiOptions o;
	double params[SII_NPARAMS];
	float8 item[SII_WIDTH];

	sii_check_not_null(fcinfo);
	sii_read_options(fcinfo, &o);
	item[SII_Q] = PG_GETARG_INT32(3);
	item[SII_POP] = PG_GETARG_FLOAT8(2);
	item[SII_VALUE] = PG_GETARG_FLOAT8(1);
	item[SII_LOWER] = PG_GETARG_FLOAT8(4);
	item[SII_UPPER] = PG_GETARG_FLOAT8(5);
	item[SII_REPS] = (double) o.repetitions;
	item[SII_SEED] = (double) o.seed;
	sii_check_row(item, o.value_type);

	params[SII_CONF] = o.confidence;
	params[SII_MULT] = o.multiplier;
	params[SII_VT] = o.value_type;
	params[SII_TRANSFORM] = o.transform ? 1.0 : 0.0;
	if (vl != NULL)
	{
		value_list_check(vl, SII_WIDTH, SII_NPARAMS, "sii");
		sii_check_same_params(vl->params, params);
	}
	return value_list_add(fcinfo, vl, SII_WIDTH, SII_NPARAMS, params, 10, 0,
						  item);
}

static bool
is_sii_state(const ValueList *vl)
{
	return vl->version == VALUE_LIST_VERSION && vl->width == SII_WIDTH &&
		   vl->nparams == SII_NPARAMS;
}

/*
 * Combine of sii() and concentration_index(): value_list_combine, after
 * the check sii_trans makes, so that sii states built with different
 * options give the message a single node gives.
 */
PG_FUNCTION_INFO_V1(inequality_combine);
Datum
inequality_combine(PG_FUNCTION_ARGS)
{
	ValueList *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	ValueList *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_VALUE_LIST(1);
	const ValueList *any = a ? a : b;

	if (a != NULL && b != NULL && is_sii_state(a) && is_sii_state(b))
		sii_check_same_params(a->params, b->params);
	return value_list_combine(fcinfo, 0, -1,
							  any != NULL && any->width == SII_WIDTH
								  ? "sii"
								  : "concentration_index");
}

static int
compare_quantile(const void *pa, const void *pb)
{
	double a = ((const float8 *) pa)[SII_Q];
	double b = ((const float8 *) pb)[SII_Q];

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

/* Error 22023 unless the group has between 5 and 100 rows. */
static void
sii_check_quantile_count(int64 k)
{
	if (k < SII_MIN_QUANTILES || k > SII_MAX_QUANTILES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of quantiles of sii must be between %d and %d",
						SII_MIN_QUANTILES, SII_MAX_QUANTILES),
				 errdetail("The number of quantiles is " INT64_FORMAT ".", k),
				 errhint("Give one row per quantile: 5 for quintiles, 10 for "
						 "deciles.")));
}

/* A copy of the rows sorted by quantile (the state stays as it is). */
static float8 *
sii_sorted_rows(const ValueList *vl)
{
	float8 *rows = palloc(vl->count * SII_WIDTH * sizeof(float8));

	memcpy_interruptible(rows, vl->items,
						 vl->count * SII_WIDTH * sizeof(float8));
	qsort(rows, vl->count, SII_WIDTH * sizeof(float8), compare_quantile);
	return rows;
}

/*
 * Error 22023 unless the options of a state are in range: a state typed
 * in by hand must not drive the allocations of the simulation.
 */
static void
sii_check_state(const float8 *rows, double conf, int vt)
{
	if (!(rows[SII_REPS] >= SII_MIN_REPS && rows[SII_REPS] <= SII_MAX_REPS) ||
		!(rows[SII_SEED] >= 0.0 && rows[SII_SEED] <= (double) SII_MAX_SEED) ||
		!(conf >= 0.9 && conf <= 1.0) || vt < VT_OTHER || vt > VT_PROPORTION)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("invalid state for sii"),
						errdetail("The state's repetitions, seed, confidence "
								  "or value type are out of range."),
						errhint("Pass only states made by sii itself.")));
}

/* Error 22023: an option kept per row changed within the group. */
pg_attribute_noreturn() static void sii_row_option_changed(const char *arg,
														   double started,
														   double now)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		 errmsg("%s of sii must be the same for every row of a group", arg),
		 errdetail("The group started with %.0f and now has %.0f.", started,
				   now),
		 errhint("Pass the %s as a constant.", arg)));
	pg_unreachable();
}

/*
 * Error 22023 unless the quantiles of the sorted rows are distinct and
 * every row has the repetitions and the seed of the first.
 */
static void
sii_check_rows(const float8 *rows, int64 k)
{
	for (int64 j = 0; j < k; j++)
	{
		const float8 *r = &rows[j * SII_WIDTH];

		if (j > 0 && r[SII_Q] == rows[(j - 1) * SII_WIDTH + SII_Q])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("quantile of sii must not repeat within a group"),
					 errdetail("Quantile %d appears more than once.",
							   (int) r[SII_Q]),
					 errhint("Aggregate to one row per quantile first.")));
		if (r[SII_REPS] != rows[SII_REPS])
			sii_row_option_changed("repetitions", rows[SII_REPS], r[SII_REPS]);
		if (r[SII_SEED] != rows[SII_SEED])
			sii_row_option_changed("seed", rows[SII_SEED], r[SII_SEED]);
	}
}

/*
 * The weighted least-squares fit of k quantile values y on the midpoints x
 * of their cumulative population shares a (the weights), PHE's regression
 * of sqrt(a) y on sqrt(a) and x sqrt(a). The fit is linear in the values:
 * b1 = sum c1 y, b0 = sum c0 y. mean and se are each quantile's value and
 * the standard error its limits imply, on the simulation scale.
 */
typedef struct SiiFit
{
	double *c0;
	double *c1;
	double *mean;
	double *se;
} SiiFit;

static void
sii_fit_coefficients(const float8 *rows, int64 k, int vt, SiiFit *fit)
{
	double *x = palloc(k * sizeof(double));
	double *a = palloc(k * sizeof(double));
	double total = 0.0;
	double cum = 0.0;
	double xbar = 0.0;
	double sxx = 0.0;
	double z95 = phe_z(0.95);

	fit->c0 = palloc(k * sizeof(double));
	fit->c1 = palloc(k * sizeof(double));
	fit->mean = palloc(k * sizeof(double));
	fit->se = palloc(k * sizeof(double));
	for (int64 j = 0; j < k; j++)
		total += rows[j * SII_WIDTH + SII_POP];
	for (int64 j = 0; j < k; j++)
	{
		const float8 *r = &rows[j * SII_WIDTH];

		a[j] = r[SII_POP] / total;
		x[j] = cum + a[j] / 2.0; /* midpoint of the cumulative share */
		cum += a[j];
		xbar += a[j] * x[j];
		fit->mean[j] = to_scale(vt, r[SII_VALUE]);
		/* PHE: the limits are taken as 95% limits on the simulation scale */
		fit->se[j] =
			(to_scale(vt, r[SII_UPPER]) - to_scale(vt, r[SII_LOWER])) / z95 /
			2.0;
	}
	for (int64 j = 0; j < k; j++)
		sxx += a[j] * (x[j] - xbar) * (x[j] - xbar);
	for (int64 j = 0; j < k; j++)
	{
		fit->c1[j] = a[j] * (x[j] - xbar) / sxx;
		fit->c0[j] = a[j] - xbar * fit->c1[j];
	}
	pfree(x);
	pfree(a);
}

/* The line b0 + b1 x fitted to the values (transform: on their scale). */
static void
sii_fit_line(const SiiFit *fit, const float8 *rows, int64 k, bool transform,
			 double *b0, double *b1)
{
	double s0 = 0.0;
	double s1 = 0.0;

	for (int64 j = 0; j < k; j++)
	{
		double y = transform ? fit->mean[j] : rows[j * SII_WIDTH + SII_VALUE];

		s0 += fit->c0[j] * y;
		s1 += fit->c1[j] * y;
	}
	*b0 = s0;
	*b1 = s1;
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
 * PHE's simulation: each quantile's value drawn from a normal (mean, se) on
 * the simulation scale, the line refitted `reps` times; the SIIs and RIIs
 * of the refits, each sorted ascending.
 */
static void
sii_simulate(const SiiFit *fit, int64 k, int vt, bool transform, double mult,
			 int64 reps, uint64 seed, double *sims_sii, double *sims_rii)
{
	Rng rng;

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
			double t = fit->mean[j] + fit->se[j] * rng_normal(&rng);
			double y = transform ? t : from_scale(vt, t);

			s0 += fit->c0[j] * y;
			s1 += fit->c1[j] * y;
		}
		sii_from_fit(s0, s1, vt, transform, mult, &sims_sii[r], &sims_rii[r],
					 &dummy);
	}
	qsort(sims_sii, reps, sizeof(double), compare_double);
	qsort(sims_rii, reps, sizeof(double), compare_double);
}

/*
 * The 1-based ranks of the limits among `reps` sorted draws, as PHE takes
 * them: round(R alpha/2) and round(R (1 - alpha/2)) with R's round() (half
 * to even, as rint), kept within 1..R.
 */
static void
sii_limit_ranks(double conf, int64 reps, int64 *pos_lo, int64 *pos_hi)
{
	double cv = conf + (1.0 - conf) / 2.0;
	int64 lo = (int64) rint((double) reps * (1.0 - cv));
	int64 hi = (int64) rint((double) reps * cv);

	*pos_lo = Max(1, Min(reps, lo));
	*pos_hi = Max(1, Min(reps, hi));
}

/*
 * (sii, sii_lower, sii_upper, rii, rii_lower, rii_upper, intercept).
 * Weighted least squares of the quantile values on the midpoints of the
 * cumulative population shares (sii_fit_coefficients). Limits: PHE's
 * simulation (sii_simulate), each quantile's value drawn from a normal on
 * the simulation scale (log for rates, logit for proportions) with the
 * standard error its 95% limits imply, refitted `repetitions` times; the
 * limits are the draws at ranks round(R alpha/2) and round(R (1 - alpha/2)).
 */
PG_FUNCTION_INFO_V1(sii_final);
Datum
sii_final(PG_FUNCTION_ARGS)
{
	ValueList *vl;
	float8 *rows;
	double conf;
	double mult;
	int vt;
	bool transform;
	int64 reps;
	SiiFit fit;
	double b0;
	double b1;
	double sii;
	double rii;
	double intercept;
	double *sims_sii;
	double *sims_rii;
	int64 pos_lo;
	int64 pos_hi;
	Datum values[7];
	bool nulls[7] = {false, false, false, false, false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	value_list_check(vl, SII_WIDTH, SII_NPARAMS, "sii");
	if (vl->count == 0)
		PG_RETURN_NULL();
	conf = vl->params[SII_CONF];
	mult = vl->params[SII_MULT];
	vt = (int) vl->params[SII_VT];
	transform = vl->params[SII_TRANSFORM] != 0.0;
	sii_check_quantile_count(vl->count);
	rows = sii_sorted_rows(vl);
	sii_check_state(rows, conf, vt);
	reps = (int64) rows[SII_REPS];
	sii_check_rows(rows, vl->count);

	sii_fit_coefficients(rows, vl->count, vt, &fit);
	sii_fit_line(&fit, rows, vl->count, transform, &b0, &b1);
	sii_from_fit(b0, b1, vt, transform, mult, &sii, &rii, &intercept);

	sims_sii = palloc_extended(reps * sizeof(double), MCXT_ALLOC_HUGE);
	sims_rii = palloc_extended(reps * sizeof(double), MCXT_ALLOC_HUGE);
	sii_simulate(&fit, vl->count, vt, transform, mult, reps,
				 (uint64) rows[SII_SEED], sims_sii, sims_rii);

	sii_limit_ranks(conf, reps, &pos_lo, &pos_hi);

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
	phe_check_not_negative(item[2], "weight", "concentration_index",
						   "Weights are population counts or survey weights.");

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
 * The weighted fractional rank of each of the n rows sorted by rank: the
 * weight before the row's block of tied ranks plus half the block's
 * weight, over the total weight wsum (a tied block shares its midpoint).
 */
static void
fractional_ranks(const float8 *rows, int64 n, double wsum, double *frac)
{
	double before = 0.0;
	int64 i = 0;

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
	double *frac;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	value_list_check(vl, CI_WIDTH, 0, "concentration_index");
	n = vl->count;
	if (n == 0)
		PG_RETURN_NULL();
	rows = palloc_extended(n * CI_WIDTH * sizeof(float8), MCXT_ALLOC_HUGE);
	memcpy_interruptible(rows, vl->items, n * CI_WIDTH * sizeof(float8));
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

	fractional_ranks(rows, n, wsum, frac);
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
