/*-------------------------------------------------------------------------
 *
 * life.c
 *	  The life module (43): the life_expectancy aggregate, period life
 *	  expectancy from an abridged life table (Chiang II) with Silcocks'
 *	  confidence limits on PHE's 20 age bands (0, 1-4, 5-9, ..., 85-89,
 *	  90+) and PHEindicatormethods' validity rules; and life_table_band,
 *	  the band an age falls in.
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

#include "phe.h"
#include "results.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/array.h"

#define LE_BANDS 20
/* PHE: no life expectancy for a total population of 5,000 or less */
#define LE_MIN_POPULATION 5000.0
/* PHE: the value is suppressed when the 95% interval is wider than 20 years */
#define LE_MAX_HALF_WIDTH 10.0

static const int le_band_start[LE_BANDS] = {0,  1,  5,  10, 15, 20, 25,
											30, 35, 40, 45, 50, 55, 60,
											65, 70, 75, 80, 85, 90};

/*
 * State float8[63]: {rows, confidence, at_age, deaths[20], population[20],
 * rows per band[20]}. Rows of the same band add up, so person-level rows
 * (deaths 0/1, population 1) work as well as one row per band.
 */
#define LE_LEN (3 + 3 * LE_BANDS)
#define LE_ROWS 0
#define LE_CONF 1
#define LE_AT 2
#define LE_DEATHS 3
#define LE_POP (LE_DEATHS + LE_BANDS)
#define LE_SEEN (LE_POP + LE_BANDS)

/*
 * Error 22023 unless two rows (or partial states) of a group agree on the
 * confidence and at_age.
 */
static void
check_same_params(double conf_a, double at_a, double conf_b, double at_b)
{
	if (conf_a != conf_b)
		phe_param_changed("confidence", conf_a, conf_b, "life_expectancy");
	if (at_a != at_b)
		phe_param_changed("at_age", at_a, at_b, "life_expectancy");
}

/* index of the band that starts at `start`, or -1 */
static int
band_index(int start)
{
	for (int i = 0; i < LE_BANDS; i++)
		if (le_band_start[i] == start)
			return i;
	return -1;
}

/* life_table_band(age): the start of PHE's life-table band holding age. */
PG_FUNCTION_INFO_V1(life_table_band);
Datum
life_table_band(PG_FUNCTION_ARGS)
{
	int32 age = PG_GETARG_INT32(0);

	phe_check_age(age, "life_table_band");
	if (age == 0)
		PG_RETURN_INT32(0);
	if (age < 5)
		PG_RETURN_INT32(1);
	PG_RETURN_INT32(Min(age, 90) / 5 * 5);
}

#define BAND_HINT "life_table_band(age) maps an age to the start of its band."

/* The band that starts at `start`; error 22023 naming `arg` if none does. */
static int
checked_band(int32 start, const char *arg)
{
	int band = band_index(start);

	if (band < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of life_expectancy must be one of 0, 1, 5, 10, "
						"..., 85, 90",
						arg),
				 errdetail("The %s is %d.", arg, start), errhint(BAND_HINT)));
	return band;
}

/*
 * The band of one row's deaths and population, after the checks of the
 * row: no NULL, finite, deaths not negative. (A population of zero or less
 * is no error: PHE then gives no life expectancy, see life_table.)
 */
static int
life_expectancy_row(FunctionCallInfo fcinfo, double *deaths,
					double *population)
{
	if (PG_ARGISNULL(1))
		phe_null_argument("deaths", "life_expectancy",
						  "Use 0 for a band with no deaths.");
	if (PG_ARGISNULL(2))
		phe_null_argument("population", "life_expectancy",
						  "Give every band its population.");
	if (PG_ARGISNULL(3))
		phe_null_argument("age_band_start", "life_expectancy", BAND_HINT);
	*deaths = PG_GETARG_FLOAT8(1);
	*population = PG_GETARG_FLOAT8(2);
	phe_check_finite(*deaths, "deaths", "life_expectancy");
	phe_check_finite(*population, "population", "life_expectancy");
	phe_check_not_negative(*deaths, "deaths", "life_expectancy",
						   "Counts of deaths cannot be negative.");
	return checked_band(PG_GETARG_INT32(3), "age_band_start");
}

PG_FUNCTION_INFO_V1(life_expectancy_trans);
Datum
life_expectancy_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state = phe_state_arg(fcinfo, LE_LEN);
	float8 *s = PHE_STATE_DATA(state);
	double deaths;
	double population;
	int band;
	double conf = 0.95;
	int32 at_age = 0;

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			PG_RETURN_ARRAYTYPE_P(state);
		conf = phe_confidence(PG_GETARG_FLOAT8(4), "life_expectancy");
	}
	if (PG_NARGS() > 5)
	{
		if (PG_ARGISNULL(5))
			PG_RETURN_ARRAYTYPE_P(state);
		at_age = PG_GETARG_INT32(5);
		checked_band(at_age, "at_age");
	}
	band = life_expectancy_row(fcinfo, &deaths, &population);
	if (s[LE_ROWS] > 0)
		check_same_params(s[LE_CONF], s[LE_AT], conf, at_age);

	state = phe_state_writable(fcinfo, state, LE_LEN);
	s = PHE_STATE_DATA(state);
	s[LE_ROWS] += 1.0;
	s[LE_CONF] = conf;
	s[LE_AT] = at_age;
	s[LE_DEATHS + band] += deaths;
	s[LE_POP + band] += population;
	s[LE_SEEN + band] += 1.0;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(life_expectancy_combine);
Datum
life_expectancy_combine(PG_FUNCTION_ARGS)
{
	float8 *a = phe_state_values(fcinfo, 0, LE_LEN);
	float8 *b = phe_state_values(fcinfo, 1, LE_LEN);
	float8 out[LE_LEN];

	if (a[LE_ROWS] == 0)
		memcpy(out, b, sizeof(out));
	else if (b[LE_ROWS] == 0)
		memcpy(out, a, sizeof(out));
	else
	{
		check_same_params(a[LE_CONF], a[LE_AT], b[LE_CONF], b[LE_AT]);
		memcpy(out, a, sizeof(out));
		out[LE_ROWS] = a[LE_ROWS] + b[LE_ROWS];
		for (int i = LE_DEATHS; i < LE_LEN; i++)
			out[i] = a[i] + b[i];
	}
	PG_RETURN_ARRAYTYPE_P(phe_state_build(out, LE_LEN));
}

/*
 * PHE's rules for when it would not calculate: a band with a population of
 * zero or less, more deaths than population in a band, a total population
 * of 5,000 or less, or no deaths in 90+ (its mean survival 1/M is then
 * undefined).
 */
static bool
life_table_computable(const float8 *deaths, const float8 *pop)
{
	double total = 0.0;

	for (int i = 0; i < LE_BANDS; i++)
	{
		if (pop[i] <= 0.0 || deaths[i] > pop[i])
			return false;
		total += pop[i];
	}
	return !(total <= LE_MIN_POPULATION || deaths[LE_BANDS - 1] <= 0.0);
}

/*
 * The columns of an abridged life table (Chiang II), band i of width n[i]:
 * death rate m, fraction a of the band lived by those who die in it,
 * probability q of dying in it, survivors l at its start (of 100,000),
 * deaths d and person-years L in it. The open 90+ band has width 2/M,
 * and its person-years are l/M.
 */
typedef struct LifeTable
{
	double n[LE_BANDS];
	double a[LE_BANDS];
	double m[LE_BANDS];
	double q[LE_BANDS];
	double l[LE_BANDS + 1];
	double d[LE_BANDS];
	double L[LE_BANDS];
} LifeTable;

static void
life_table_columns(const float8 *deaths, const float8 *pop, LifeTable *t)
{
	const int last = LE_BANDS - 1;

	for (int i = 0; i < LE_BANDS; i++)
	{
		t->m[i] = deaths[i] / pop[i];
		t->a[i] = (i == 0) ? 0.1 : 0.5;
		t->n[i] = (i < last)
					  ? (double) (le_band_start[i + 1] - le_band_start[i])
					  : 2.0 / t->m[i];
		/* Chiang's q, capped at 1 when the deaths exceed what it allows */
		if (deaths[i] <= pop[i] / t->n[i] / t->a[i])
			t->q[i] = t->m[i] * t->n[i] /
					  (1.0 + t->m[i] * t->n[i] * (1.0 - t->a[i]));
		else
			t->q[i] = 1.0;
	}
	t->l[0] = 1e5;
	for (int i = 1; i < LE_BANDS; i++)
		t->l[i] = t->l[i - 1] * (1.0 - t->q[i - 1]);
	t->l[LE_BANDS] = 0.0;
	for (int i = 0; i < LE_BANDS; i++)
	{
		t->d[i] = t->l[i] - t->l[i + 1];
		t->L[i] = (i < last) ? t->n[i] * (t->l[i + 1] + t->a[i] * t->d[i])
							 : t->l[i] / t->m[i];
	}
}

/* Life expectancy at the start of each band: person-years to come / l. */
static void
life_table_expectancy(const LifeTable *t, double e[LE_BANDS])
{
	double sum = 0.0;

	for (int i = LE_BANDS - 1; i >= 0; i--)
	{
		sum += t->L[i];
		e[i] = (t->l[i] == 0.0) ? 0.0 : sum / t->l[i];
	}
}

/*
 * Standard errors of e: Chiang's weighted sum of the variances of the
 * survival probabilities, plus Silcocks' term for the open 90+ band, whose
 * life expectancy is the mean survival 1/M.
 */
static void
life_table_standard_errors(const LifeTable *t, const float8 *deaths,
						   const double e[LE_BANDS], double se[LE_BANDS])
{
	const int last = LE_BANDS - 1;
	double w[LE_BANDS];
	double sum = 0.0;

	for (int i = 0; i < LE_BANDS; i++)
	{
		if (i == last)
		{
			double sp = 4.0 / (deaths[i] * t->m[i] * t->m[i]);

			w[i] = (t->l[i] / 2.0) * (t->l[i] / 2.0) * sp;
		}
		else
		{
			double sp = (t->d[i] == 0.0)
							? 0.0
							: t->q[i] * t->q[i] * (1.0 - t->q[i]) / deaths[i];
			double r = (1.0 - t->a[i]) * t->n[i] + e[i + 1];

			w[i] = sp * t->l[i] * t->l[i] * r * r;
		}
	}
	for (int i = last; i >= 0; i--)
	{
		sum += w[i];
		se[i] = sqrt(sum / (t->l[i] * t->l[i]));
	}
}

/*
 * The life table's e and se at the start of each band, or false when PHE
 * would not calculate (life_table_computable).
 */
static bool
life_table(const float8 *deaths, const float8 *pop, double e[LE_BANDS],
		   double se[LE_BANDS])
{
	LifeTable t;

	if (!life_table_computable(deaths, pop))
		return false;
	life_table_columns(deaths, pop, &t);
	life_table_expectancy(&t, e);
	life_table_standard_errors(&t, deaths, e, se);
	return true;
}

/*
 * (value, lower, upper, population, deaths) at at_age: population and
 * deaths are the totals of the bands from at_age up, as PHE reports them.
 * When PHE would not calculate (see life_table, or a band has no row) the
 * value and limits are NULL and the totals still given; the value alone is
 * NULL (limits kept) when the 95% interval is wider than 20 years. No rows
 * give NULL.
 */
PG_FUNCTION_INFO_V1(life_expectancy_final);
Datum
life_expectancy_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, LE_LEN);
	double e[LE_BANDS];
	double se[LE_BANDS];
	int at;
	double z95 = phe_z(0.95);
	Datum values[5];
	bool nulls[5] = {false, false, false, false, false};
	double pop_used = 0.0;
	double deaths_used = 0.0;

	bool valid = true;

	if (s[LE_ROWS] == 0)
		PG_RETURN_NULL();
	at = band_index((int) s[LE_AT]);
	if (at < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for life_expectancy"),
				 errdetail("The state's at_age is not the start of a "
						   "life-table band."),
				 errhint("Pass only states made by life_expectancy itself.")));
	for (int i = at; i < LE_BANDS; i++)
	{
		pop_used += s[LE_POP + i];
		deaths_used += s[LE_DEATHS + i];
	}
	for (int i = 0; i < LE_BANDS; i++)
		if (s[LE_SEEN + i] == 0)
			valid = false;
	if (valid)
		valid = life_table(&s[LE_DEATHS], &s[LE_POP], e, se);

	if (!valid)
	{
		/* as PHE: no life expectancy, but the totals are still reported */
		nulls[0] = nulls[1] = nulls[2] = true;
	}
	else
	{
		double z = phe_z(s[LE_CONF]);

		if (!isfinite(e[at]) || z95 * se[at] > LE_MAX_HALF_WIDTH)
			nulls[0] = true;
		else
			values[0] = Float8GetDatum(e[at]);
		if (isfinite(e[at]) && isfinite(se[at]))
		{
			set_limit_or_null(values, nulls, 1, e[at] - z * se[at],
							  s[LE_CONF]);
			set_limit_or_null(values, nulls, 2, e[at] + z * se[at],
							  s[LE_CONF]);
		}
		else
			nulls[1] = nulls[2] = true;
	}
	values[3] = Float8GetDatum(pop_used);
	values[4] = Float8GetDatum(deaths_used);

	PG_RETURN_DATUM(composite_result(fcinfo, values, nulls));
}
