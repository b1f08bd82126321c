/*-------------------------------------------------------------------------
 *
 * life.c
 *	  life_expectancy(deaths, population, age_band_start, ...): period life
 *	  expectancy from an abridged life table (Chiang II) with Silcocks'
 *	  confidence limits, on PHE's 20 age bands (0, 1-4, 5-9, ..., 85-89,
 *	  90+), with PHEindicatormethods' validity rules.
 *
 * Aggregate rules (xaggr.sgml): state lives in the aggregate context; the
 * transition updates it in place only when called as an aggregate; combine
 * never returns its second argument; final functions never modify state.
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

	if (age < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("life_table_band age must not be negative"),
				 errdetail("The age given was %d.", age),
				 errhint("Pass age in completed years (0 and above).")));
	if (age == 0)
		PG_RETURN_INT32(0);
	if (age < 5)
		PG_RETURN_INT32(1);
	PG_RETURN_INT32(Min(age, 90) / 5 * 5);
}

static void
check_at_age(int at_age)
{
	if (band_index(at_age) < 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("life_expectancy at_age must be the start of a "
							   "life-table band"),
						errdetail("The age given was %d.", at_age),
						errhint("Use 0, 1, 5, 10, ..., 85 or 90.")));
}

PG_FUNCTION_INFO_V1(life_expectancy_trans);
Datum
life_expectancy_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state = phe_state_arg(fcinfo, LE_LEN, "life_expectancy");
	float8 *s = PHE_STATE_DATA(state);
	double deaths;
	double population;
	int32 start;
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
		check_at_age(at_age);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("life_expectancy deaths, population and "
							   "age_band_start must not be NULL"),
						errdetail("A row had a NULL deaths, population or age "
								  "band; the life table needs every band."),
						errhint("Use 0 for a band with no deaths.")));
	deaths = PG_GETARG_FLOAT8(1);
	population = PG_GETARG_FLOAT8(2);
	start = PG_GETARG_INT32(3);
	phe_check_finite(deaths, "deaths", "life_expectancy");
	phe_check_finite(population, "population", "life_expectancy");
	if (deaths < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("life_expectancy deaths must be greater than or equal "
						"to zero"),
				 errdetail("The value given for deaths was %g.", deaths),
				 errhint("Counts of deaths cannot be negative.")));
	band = band_index(start);
	if (band < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("life_expectancy age_band_start must be the start of "
						"a life-table band"),
				 errdetail("The age band start given was %d.", start),
				 errhint("Use 0, 1, 5, 10, ..., 85 or 90 "
						 "(life_table_band(age) maps an age to its band).")));
	if (s[LE_ROWS] > 0 && (s[LE_CONF] != conf || s[LE_AT] != at_age))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("life_expectancy parameters must be the same for "
						"every row of a group"),
				 errdetail("Confidence %g and %g (at age %g and %d) were both "
						   "given in one group.",
						   s[LE_CONF], conf, s[LE_AT], at_age),
				 errhint("Pass the confidence and at_age as constants.")));

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		/* called directly: never scribble on the caller's array */
		state = phe_state_build(s, LE_LEN);
		s = PHE_STATE_DATA(state);
	}
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
	float8 *a =
		phe_state_values(PG_GETARG_ARRAYTYPE_P(0), LE_LEN, "life_expectancy");
	float8 *b =
		phe_state_values(PG_GETARG_ARRAYTYPE_P(1), LE_LEN, "life_expectancy");
	float8 out[LE_LEN];

	if (a[LE_ROWS] == 0)
		memcpy(out, b, sizeof(out));
	else if (b[LE_ROWS] == 0)
		memcpy(out, a, sizeof(out));
	else
	{
		if (a[LE_CONF] != b[LE_CONF] || a[LE_AT] != b[LE_AT])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("life_expectancy parameters must be the same for "
							"every row of a group"),
					 errdetail("Confidence %g and %g (at age %g and %g) were "
							   "both given in one group.",
							   a[LE_CONF], b[LE_CONF], a[LE_AT], b[LE_AT]),
					 errhint("Pass the confidence and at_age as constants.")));
		memcpy(out, a, sizeof(out));
		out[LE_ROWS] = a[LE_ROWS] + b[LE_ROWS];
		for (int i = LE_DEATHS; i < LE_LEN; i++)
			out[i] = a[i] + b[i];
	}
	PG_RETURN_ARRAYTYPE_P(phe_state_build(out, LE_LEN));
}

/*
 * The life table. Returns false when PHE would not calculate: a band
 * missing, a population of zero or less, more deaths than population in a
 * band, a total population of 5,000 or less, or no deaths in 90+ (its mean
 * survival 1/M is then undefined).
 */
static bool
life_table(const float8 *deaths, const float8 *pop, double e[LE_BANDS],
		   double se[LE_BANDS])
{
	double n[LE_BANDS];
	double a[LE_BANDS];
	double m[LE_BANDS];
	double q[LE_BANDS];
	double l[LE_BANDS + 1];
	double d[LE_BANDS];
	double L[LE_BANDS];
	double w[LE_BANDS];
	double total = 0.0;
	double sum;
	const int last = LE_BANDS - 1;

	for (int i = 0; i < LE_BANDS; i++)
	{
		if (pop[i] <= 0.0 || deaths[i] > pop[i])
			return false;
		total += pop[i];
	}
	if (total <= LE_MIN_POPULATION || deaths[last] <= 0.0)
		return false;

	for (int i = 0; i < LE_BANDS; i++)
	{
		m[i] = deaths[i] / pop[i];
		a[i] = (i == 0) ? 0.1 : 0.5;
		n[i] = (i < last) ? (double) (le_band_start[i + 1] - le_band_start[i])
						  : 2.0 / m[i];
		/* Chiang's q, capped at 1 when the deaths exceed what it allows */
		if (deaths[i] <= pop[i] / n[i] / a[i])
			q[i] = m[i] * n[i] / (1.0 + m[i] * n[i] * (1.0 - a[i]));
		else
			q[i] = 1.0;
	}
	l[0] = 1e5;
	for (int i = 1; i < LE_BANDS; i++)
		l[i] = l[i - 1] * (1.0 - q[i - 1]);
	l[LE_BANDS] = 0.0;
	for (int i = 0; i < LE_BANDS; i++)
	{
		d[i] = l[i] - l[i + 1];
		L[i] = (i < last) ? n[i] * (l[i + 1] + a[i] * d[i]) : l[i] / m[i];
	}
	sum = 0.0;
	for (int i = last; i >= 0; i--)
	{
		sum += L[i];
		e[i] = (l[i] == 0.0) ? 0.0 : sum / l[i];
	}

	/*
	 * Variance: Chiang's weighted sum of the variances of the survival
	 * probabilities, plus Silcocks' term for the open 90+ band, whose life
	 * expectancy is the mean survival 1/M.
	 */
	for (int i = 0; i < LE_BANDS; i++)
	{
		if (i == last)
		{
			double sp = 4.0 / (deaths[i] * m[i] * m[i]);

			w[i] = (l[i] / 2.0) * (l[i] / 2.0) * sp;
		}
		else
		{
			double sp =
				(d[i] == 0.0) ? 0.0 : q[i] * q[i] * (1.0 - q[i]) / deaths[i];
			double t = (1.0 - a[i]) * n[i] + e[i + 1];

			w[i] = sp * l[i] * l[i] * t * t;
		}
	}
	sum = 0.0;
	for (int i = last; i >= 0; i--)
	{
		sum += w[i];
		se[i] = sqrt(sum / (l[i] * l[i]));
	}
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
	float8 *s =
		phe_state_values(PG_GETARG_ARRAYTYPE_P(0), LE_LEN, "life_expectancy");
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
		check_at_age((int) s[LE_AT]);
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
