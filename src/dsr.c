/*-------------------------------------------------------------------------
 *
 * dsr.c
 *	  The dsr module (41): standardised rates as PHEindicatormethods
 *	  computes them. The dsr aggregates (Dobson limits on Byar's counts,
 *	  NULL below 10 events; one row per band, or the variant for
 *	  non-independent events), the isr and isr_rate aggregates (exact
 *	  Poisson below 10 events, Byar's otherwise) and esp2013_weight, the
 *	  2013 European Standard Population of an age's band.
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
#include "common/hashfn.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* PHE suppresses standardised rates below this many events */
#define DSR_MIN_EVENTS 10.0

/* ESP 2013 populations of the 19 five-year bands 0-4, ..., 85-89, 90+ */
static const double esp2013[19] = {5000, 5500, 5500, 5500, 6000, 6000, 6500,
								   7000, 7000, 7000, 7000, 6500, 6000, 5500,
								   5000, 4000, 2500, 1500, 1000};

/* esp2013_weight(age): the standard population of the age's band. */
PG_FUNCTION_INFO_V1(esp2013_weight);
Datum
esp2013_weight(PG_FUNCTION_ARGS)
{
	int32 age = PG_GETARG_INT32(0);

	phe_check_age(age, "esp2013_weight");
	PG_RETURN_FLOAT8(esp2013[Min(age / 5, 18)]);
}

#define BAND_NULL_HINT                                                       \
	"Give every band its population and standard population, or filter out " \
	"the rows that lack them."

/* Error 22023 unless a count (events, persons, ...) is finite and >= 0. */
static void
check_count(double v, const char *arg, const char *fname)
{
	phe_check_finite(v, arg, fname);
	phe_check_not_negative(v, arg, fname,
						   "Counts and populations cannot be negative.");
}

/* Error 22023 unless a population (a divisor) is finite and > 0. */
static void
check_population(double v, const char *arg, const char *fname)
{
	phe_check_finite(v, arg, fname);
	phe_check_positive(v, arg, fname, "Leave out bands with no population.");
}

/* The optional multiplier at argno, or dflt when the overload has none. */
static double
get_multiplier(FunctionCallInfo fcinfo, int argno, double dflt,
			   const char *fname)
{
	double m;

	if (PG_NARGS() <= argno)
		return dflt;
	if (PG_ARGISNULL(argno))
		phe_null_argument("multiplier", fname,
						  "Pass a multiplier such as 100000, or call the "
						  "overload without one.");
	m = PG_GETARG_FLOAT8(argno);
	phe_check_multiplier(m, fname);
	return m;
}

/* The optional confidence at argno, or 0.95 when the overload has none. */
static double
get_confidence(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	if (PG_NARGS() <= argno)
		return 0.95;
	if (PG_ARGISNULL(argno))
		phe_null_argument("confidence", fname,
						  "Pass a confidence such as 0.95, or call the "
						  "overload without one.");
	return phe_confidence(PG_GETARG_FLOAT8(argno), fname);
}

/*
 * Dobson limits for a weighted sum of Poisson counts: the value moved by
 * sqrt(var / O) times the distance of Byar's limits from the count O.
 */
static void
dobson_limits(double value, double var, double events, double confidence,
			  double *lower, double *upper)
{
	double scale = sqrt(var / events);

	*lower = value + scale * (byars_lower(events, confidence) - events);
	*upper = value + scale * (byars_upper(events, confidence) - events);
}

static Datum
dsr_result(FunctionCallInfo fcinfo, double events, double population,
		   double wrate, double wsum, double var, double confidence,
		   double multiplier)
{
	Datum values[5];
	bool nulls[5] = {false, false, false, false, false};

	if (events < DSR_MIN_EVENTS || wsum <= 0.0)
		nulls[0] = nulls[1] = nulls[2] = true;
	else
	{
		double value = wrate / wsum;
		double lower;
		double upper;

		dobson_limits(value, var / (wsum * wsum), events, confidence, &lower,
					  &upper);
		values[0] = Float8GetDatum(value * multiplier);
		set_limit_or_null(values, nulls, 1, lower * multiplier, confidence);
		set_limit_or_null(values, nulls, 2, upper * multiplier, confidence);
	}
	values[3] = Float8GetDatum(events);
	values[4] = Float8GetDatum(population);
	return composite_result(fcinfo, values, nulls);
}

/* ---------------------------------------------------------------------
 * dsr(events, population, standard_population [, confidence
 *     [, multiplier]]): independent events, one row per band
 *
 * State float8[8]: {rows, sum x, sum n, sum x w / n, sum w,
 * sum x (w / n)^2, confidence, multiplier}.
 * ---------------------------------------------------------------------
 */
#define DSR_LEN 8
#define DSR_ROWS 0
#define DSR_X 1
#define DSR_N 2
#define DSR_WRATE 3
#define DSR_W 4
#define DSR_VAR 5
#define DSR_CONF 6
#define DSR_MULT 7

PG_FUNCTION_INFO_V1(dsr_trans);
Datum
dsr_trans(PG_FUNCTION_ARGS)
{
	ArrayType *state = phe_state_arg(fcinfo, DSR_LEN);
	float8 *s = PHE_STATE_DATA(state);
	double x = PG_ARGISNULL(1) ? 0.0 : PG_GETARG_FLOAT8(1);
	double n;
	double w;
	double conf = get_confidence(fcinfo, 4, "dsr");
	double mult = get_multiplier(fcinfo, 5, 100000.0, "dsr");
	double wn;

	/* PHE counts a missing number of events as zero; the band still counts */
	if (PG_ARGISNULL(2))
		phe_null_argument("population", "dsr", BAND_NULL_HINT);
	if (PG_ARGISNULL(3))
		phe_null_argument("standard_population", "dsr", BAND_NULL_HINT);
	n = PG_GETARG_FLOAT8(2);
	w = PG_GETARG_FLOAT8(3);
	check_count(x, "events", "dsr");
	check_population(n, "population", "dsr");
	check_count(w, "standard_population", "dsr");
	if (s[DSR_ROWS] > 0)
		phe_check_same_params(s[DSR_CONF], s[DSR_MULT], conf, mult, "dsr");

	state = phe_state_writable(fcinfo, state, DSR_LEN);
	s = PHE_STATE_DATA(state);
	wn = w / n;
	s[DSR_ROWS] += 1.0;
	s[DSR_X] += x;
	s[DSR_N] += n;
	s[DSR_WRATE] += x * wn;
	s[DSR_W] += w;
	s[DSR_VAR] += x * wn * wn;
	s[DSR_CONF] = conf;
	s[DSR_MULT] = mult;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(dsr_combine);
Datum
dsr_combine(PG_FUNCTION_ARGS)
{
	return phe_sum_state_combine(fcinfo, DSR_LEN, "dsr");
}

PG_FUNCTION_INFO_V1(dsr_final);
Datum
dsr_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, DSR_LEN);

	if (s[DSR_ROWS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(dsr_result(fcinfo, s[DSR_X], s[DSR_N], s[DSR_WRATE],
							   s[DSR_W], s[DSR_VAR], s[DSR_CONF],
							   s[DSR_MULT]));
}

/* ---------------------------------------------------------------------
 * dsr(persons, population, standard_population, event_frequency, age_band
 *     [, confidence [, multiplier]]): non-independent events
 *
 * Each row counts the persons of one band with one event frequency f
 * (PHE's calculate_dsr(independent_events = FALSE)); a band's events are
 * sum(persons * f) and its variance contribution sum(persons * f^2). The
 * band's population and standard population repeat on each of its rows,
 * so the state keeps one item per row, (band key, n, w, x f, x f^2), and
 * the final function groups the rows by band.
 * ---------------------------------------------------------------------
 */
#define NI_WIDTH 5

/* 52 bits of the band label's hash: an exactly representable float8 */
static double
band_key(text *label)
{
	uint64 h = hash_bytes_extended((const unsigned char *) VARDATA_ANY(label),
								   VARSIZE_ANY_EXHDR(label), 0);

	return (double) (h >> 12);
}

PG_FUNCTION_INFO_V1(dsr_nonind_trans);
Datum
dsr_nonind_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	double x = PG_ARGISNULL(1) ? 0.0 : PG_GETARG_FLOAT8(1);
	double n;
	double w;
	double f;
	double conf = get_confidence(fcinfo, 6, "dsr");
	double params[2];
	float8 item[NI_WIDTH];

	params[0] = conf;
	params[1] = get_multiplier(fcinfo, 7, 100000.0, "dsr");
	if (PG_ARGISNULL(2))
		phe_null_argument("population", "dsr", BAND_NULL_HINT);
	if (PG_ARGISNULL(3))
		phe_null_argument("standard_population", "dsr", BAND_NULL_HINT);
	if (PG_ARGISNULL(5))
		phe_null_argument("age_band", "dsr",
						  "Give every row the label of its age band.");
	n = PG_GETARG_FLOAT8(2);
	w = PG_GETARG_FLOAT8(3);
	check_count(x, "persons", "dsr");
	check_population(n, "population", "dsr");
	check_count(w, "standard_population", "dsr");
	if (PG_ARGISNULL(4))
	{
		if (x > 0.0)
			phe_null_argument("event_frequency", "dsr",
							  "Give the event frequency of every row with "
							  "persons, or filter the row out.");
		f = 0.0;
	}
	else
	{
		f = PG_GETARG_FLOAT8(4);
		check_count(f, "event_frequency", "dsr");
	}

	if (vl != NULL)
	{
		value_list_check(vl, NI_WIDTH, 2, "dsr");
		phe_check_same_params(vl->params[0], vl->params[1], params[0],
							  params[1], "dsr");
	}
	item[0] = band_key(PG_GETARG_TEXT_PP(5));
	item[1] = n;
	item[2] = w;
	item[3] = x * f;
	item[4] = x * f * f;
	return value_list_add(fcinfo, vl, NI_WIDTH, 2, params, 32, 0, item);
}

/*
 * value_list_combine, after the check dsr_nonind_trans makes, so that
 * states of different parameters give the message a single node gives.
 */
PG_FUNCTION_INFO_V1(dsr_nonind_combine);
Datum
dsr_nonind_combine(PG_FUNCTION_ARGS)
{
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
	{
		ValueList *a = PG_GETARG_VALUE_LIST(0);
		ValueList *b = PG_GETARG_VALUE_LIST(1);

		value_list_check(a, NI_WIDTH, 2, "dsr");
		value_list_check(b, NI_WIDTH, 2, "dsr");
		phe_check_same_params(a->params[0], a->params[1], b->params[0],
							  b->params[1], "dsr");
	}
	return value_list_combine(fcinfo, NI_WIDTH, 2, "dsr");
}

static int
compare_band_rows(const void *pa, const void *pb)
{
	const float8 *a = (const float8 *) pa;
	const float8 *b = (const float8 *) pb;

	sort_interrupt_tick();
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return 0;
}

/*
 * Error 22023 unless a row of an age band repeats the population and the
 * standard population of the band's first row.
 */
static void
check_same_in_band(const float8 *first, const float8 *row)
{
	static const char *const args[] = {NULL, "population",
									   "standard_population"};

	for (int i = 1; i <= 2; i++)
		if (row[i] != first[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s of dsr must be the same for every row of an "
							"age band",
							args[i]),
					 errdetail("The age band started with %g and now has %g.",
							   first[i], row[i]),
					 errhint("Each row of the non-independent form is one "
							 "(age band, event frequency) pair of the same "
							 "band population.")));
}

PG_FUNCTION_INFO_V1(dsr_nonind_final);
Datum
dsr_nonind_final(PG_FUNCTION_ARGS)
{
	ValueList *vl;
	float8 *rows;
	double events = 0.0;
	double population = 0.0;
	double wrate = 0.0;
	double wsum = 0.0;
	double var = 0.0;
	int64 i = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vl = PG_GETARG_VALUE_LIST(0);
	value_list_check(vl, NI_WIDTH, 2, "dsr");
	if (vl->count == 0)
		PG_RETURN_NULL();

	/* sort a copy: the final function must leave the state alone */
	rows = palloc_extended(vl->count * NI_WIDTH * sizeof(float8),
						   MCXT_ALLOC_HUGE);
	memcpy_interruptible(rows, vl->items,
						 vl->count * NI_WIDTH * sizeof(float8));
	qsort(rows, vl->count, NI_WIDTH * sizeof(float8), compare_band_rows);

	while (i < vl->count)
	{
		const float8 *first = &rows[i * NI_WIDTH];
		double band_events = 0.0;
		double band_sq = 0.0;
		double wn = first[2] / first[1];

		for (; i < vl->count && rows[i * NI_WIDTH] == first[0]; i++)
		{
			const float8 *r = &rows[i * NI_WIDTH];

			CHECK_FOR_INTERRUPTS();
			check_same_in_band(first, r);
			band_events += r[3];
			band_sq += r[4];
		}
		events += band_events;
		population += first[1];
		wrate += band_events * wn;
		wsum += first[2];
		var += band_sq * wn * wn;
	}
	pfree(rows);
	PG_RETURN_DATUM(dsr_result(fcinfo, events, population, wrate, wsum, var,
							   vl->params[0], vl->params[1]));
}

/* ---------------------------------------------------------------------
 * isr(observed, population, reference_events, reference_population
 *     [, confidence [, multiplier]]) and isr_rate(...)
 *
 * State float8[7]: {rows, O, E, sum reference events, sum reference
 * population, confidence, multiplier}; E = sum n * x_ref / n_ref.
 * ---------------------------------------------------------------------
 */
#define ISR_LEN 7
#define ISR_ROWS 0
#define ISR_O 1
#define ISR_E 2
#define ISR_XREF 3
#define ISR_NREF 4
#define ISR_CONF 5
#define ISR_MULT 6

static Datum
isr_accumulate(FunctionCallInfo fcinfo, const char *aggname, double dflt_mult)
{
	ArrayType *state = phe_state_arg(fcinfo, ISR_LEN);
	float8 *s = PHE_STATE_DATA(state);
	/*
	 * As PHE (sums with NAs removed): a NULL observed count, population or
	 * reference event count adds nothing; the reference population is a
	 * divisor and must be given.
	 */
	double o = PG_ARGISNULL(1) ? 0.0 : PG_GETARG_FLOAT8(1);
	double n = PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2);
	double xr = PG_ARGISNULL(3) ? 0.0 : PG_GETARG_FLOAT8(3);
	double nr;
	double conf = get_confidence(fcinfo, 5, aggname);
	double mult = get_multiplier(fcinfo, 6, dflt_mult, aggname);

	if (PG_ARGISNULL(4))
		phe_null_argument("reference_population", aggname,
						  "Give every band its reference population, or "
						  "filter out the rows that lack it.");
	nr = PG_GETARG_FLOAT8(4);
	check_count(o, "observed", aggname);
	check_count(n, "population", aggname);
	check_count(xr, "reference_events", aggname);
	check_population(nr, "reference_population", aggname);
	if (s[ISR_ROWS] > 0)
		phe_check_same_params(s[ISR_CONF], s[ISR_MULT], conf, mult, aggname);

	state = phe_state_writable(fcinfo, state, ISR_LEN);
	s = PHE_STATE_DATA(state);
	s[ISR_ROWS] += 1.0;
	s[ISR_O] += o;
	s[ISR_E] += n * xr / nr;
	s[ISR_XREF] += xr;
	s[ISR_NREF] += nr;
	s[ISR_CONF] = conf;
	s[ISR_MULT] = mult;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(isr_trans);
Datum
isr_trans(PG_FUNCTION_ARGS)
{
	return isr_accumulate(fcinfo, "isr", 1.0);
}

PG_FUNCTION_INFO_V1(isr_rate_trans);
Datum
isr_rate_trans(PG_FUNCTION_ARGS)
{
	return isr_accumulate(fcinfo, "isr_rate", 100000.0);
}

/* Combine of isr() and isr_rate(): the sums add up. */
PG_FUNCTION_INFO_V1(isr_combine);
Datum
isr_combine(PG_FUNCTION_ARGS)
{
	return phe_sum_state_combine(fcinfo, ISR_LEN, NULL);
}

/*
 * Both forms: limits on the observed count (exact below 10, Byar's from
 * 10) divided by the expected count, times `scale` (the multiplier for the
 * ratio, the reference rate for the rate form).
 */
static Datum
isr_result(FunctionCallInfo fcinfo, const float8 *s, bool rate_form)
{
	Datum values[7];
	bool nulls[7] = {false, false, false, false, false, false, false};
	double o = s[ISR_O];
	double e = s[ISR_E];
	double conf = s[ISR_CONF];
	bool exact = (o < DSR_MIN_EVENTS);
	double ref_rate = s[ISR_XREF] / s[ISR_NREF] * s[ISR_MULT];
	double scale = rate_form ? ref_rate : s[ISR_MULT];
	int nfields = rate_form ? 7 : 6;
	int method_field = nfields - 1;

	if (e <= 0.0)
		nulls[0] = nulls[1] = nulls[2] = true;
	else
	{
		double lower =
			exact ? poisson_exact_lower(o, conf) : byars_lower(o, conf);
		double upper =
			exact ? poisson_exact_upper(o, conf) : byars_upper(o, conf);

		values[0] = Float8GetDatum(o / e * scale);
		set_limit_or_null(values, nulls, 1, lower / e * scale, conf);
		set_limit_or_null(values, nulls, 2, upper / e * scale, conf);
	}
	values[3] = Float8GetDatum(o);
	values[4] = Float8GetDatum(e);
	if (rate_form)
		values[5] = Float8GetDatum(ref_rate);
	values[method_field] = CStringGetTextDatum(exact ? "Exact" : "Byars");
	return composite_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(isr_final);
Datum
isr_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, ISR_LEN);

	if (s[ISR_ROWS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(isr_result(fcinfo, s, false));
}

PG_FUNCTION_INFO_V1(isr_rate_final);
Datum
isr_rate_final(PG_FUNCTION_ARGS)
{
	float8 *s = phe_state_values(fcinfo, 0, ISR_LEN);

	if (s[ISR_ROWS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(isr_result(fcinfo, s, true));
}
