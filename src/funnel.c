/*-------------------------------------------------------------------------
 *
 * funnel.c
 *	  Funnel plots with over-dispersion (Spiegelhalter 2005; NHS Digital
 *	  SHMI; CQC), docs/methods.md section 1: funnel_fit (aggregate to a
 *	  funnel_model), funnel_z, funnel_limit, funnel_flag and funnel_limits.
 *
 * Everything happens on a variance-stabilised scale g with within-unit SE s:
 *   proportion  g = asin(sqrt(r/n)),  s = 1/(2 sqrt(n)), target pooled r/n
 *   ratio_log   g = ln(O/E),          s = 1/sqrt(E),     target 1 (SHMI)
 *   ratio_sqrt  g = sqrt(O/E),        s = 1/(2 sqrt(E)), target 1 (CQC)
 * z = (g(y) - g(target)) / s. phi is the mean square of the trimmed z
 * (winsorised or truncated); tau2 the DerSimonian-Laird style between-unit
 * variance. Limits are back-transformed from g(target) +/- z S, so a unit
 * is outside a limit exactly when its adjusted |z| exceeds the critical
 * value, and the CQC (square root) limits are squared back (Spiegelhalter),
 * unlike FunnelPlotR's unsquared form.
 *
 * Aggregate rules (xaggr.sgml): the value_list state (numerator,
 * denominator pairs; the text options as four numeric parameters, so
 * combine rejects states built with different options) is changed in
 * place only under AggCheckCallContext (called directly, the transition
 * function works on a copy); the final function reads it.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "distributions.h"
#include "float8_sort.h"
#include "results.h"
#include "value_list.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

typedef enum DataType
{
	DT_PROPORTION = 1,
	DT_RATIO_LOG = 2,
	DT_RATIO_SQRT = 3
} DataType;

typedef enum Adjustment
{
	ADJ_NONE = 0,
	ADJ_MULTIPLICATIVE = 1,
	ADJ_ADDITIVE = 2
} Adjustment;

typedef enum TrimMode
{
	TRIM_WINSORISE = 1,
	TRIM_TRUNCATE = 2
} TrimMode;

static const char *const data_type_names[] = {NULL, "proportion", "ratio_log",
											  "ratio_sqrt"};
static const char *const adjustment_names[] = {"none", "multiplicative",
											   "additive"};
static const char *const trim_names[] = {NULL, "winsorise", "truncate"};

/* The choices as error messages list them. */
#define DATA_TYPE_CHOICES "'proportion', 'ratio_log', 'ratio_sqrt'"
#define ADJUSTMENT_CHOICES "'none', 'multiplicative', 'additive'"
#define TRIM_CHOICES "'winsorise', 'truncate'"

/* A fitted model as read from (or written to) the funnel_model composite. */
typedef struct FunnelModel
{
	DataType data_type;
	Adjustment adjustment;
	float8 target;
	float8 phi;
	float8 tau2;
	bool phi_null;
	bool tau2_null;
} FunnelModel;

/*
 * Index of `t` in names[first..n), or error 22023: argument `arg` of fname
 * must be one of `choices`.
 */
static int
parse_choice(text *t, const char *const *names, int first, int n,
			 const char *arg, const char *fname, const char *choices)
{
	const char *s = VARDATA_ANY(t);
	size_t len = VARSIZE_ANY_EXHDR(t);

	for (int i = first; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("%s of %s must be one of %s", arg, fname, choices),
					errdetail("The %s is \"%s\".", arg, text_to_cstring(t))));
	return -1; /* not reached */
}

static DataType
parse_data_type(text *t, const char *arg, const char *fname)
{
	return (DataType) parse_choice(t, data_type_names, 1, 4, arg, fname,
								   DATA_TYPE_CHOICES);
}

static Adjustment
parse_adjustment(text *t, const char *arg, const char *fname)
{
	return (Adjustment) parse_choice(t, adjustment_names, 0, 3, arg, fname,
									 ADJUSTMENT_CHOICES);
}

/* Error 22023 unless v, argument `arg` of fname, is finite. */
static void
check_finite(float8 v, const char *arg, const char *fname)
{
	check_finite_arg(v, arg, fname, NULL);
}

/* Error 22023 unless the denominator `arg` of fname is finite and > 0. */
static void
check_denominator(float8 den, const char *arg, const char *fname)
{
	check_finite(den, arg, fname);
	if (!(den > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of %s must be positive", arg, fname),
				 errdetail("The %s is %s.", arg, float8out_internal(den))));
}

/* A unit's numerator and denominator must suit the data type. */
static void
check_unit(DataType dt, float8 num, float8 den, const char *fname)
{
	check_finite(num, "numerator", fname);
	if (num < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator of %s must not be negative", fname),
				 errdetail("The numerator is %s.", float8out_internal(num))));
	check_denominator(den, "denominator", fname);
	if (dt == DT_PROPORTION && num > den)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("numerator of %s must not exceed the denominator of a "
					"proportion",
					fname),
			 errdetail("The numerator is %s and the denominator is %s.",
					   float8out_internal(num), float8out_internal(den)),
			 errhint("For counts that can exceed the denominator use "
					 "'ratio_log' or 'ratio_sqrt' with expected counts.")));
}

/* g(target) on the transformed scale. */
static float8
g_target(DataType dt, float8 target)
{
	switch (dt)
	{
		case DT_PROPORTION:
			return asin(sqrt(target));
		case DT_RATIO_LOG:
			return log(target);
		case DT_RATIO_SQRT:
			return sqrt(target);
	}
	return NAN;
}

/* g(y) and s for one unit; g is -Infinity for O = 0 on the log scale. */
static void
transform_unit(DataType dt, float8 num, float8 den, float8 *g, float8 *s)
{
	switch (dt)
	{
		case DT_PROPORTION:
			*g = asin(sqrt(num / den));
			*s = 1.0 / (2.0 * sqrt(den));
			break;
		case DT_RATIO_LOG:
			*g = num > 0.0 ? log(num / den) : -INFINITY;
			*s = 1.0 / sqrt(den);
			break;
		case DT_RATIO_SQRT:
			*g = sqrt(num / den);
			*s = 1.0 / (2.0 * sqrt(den));
			break;
	}
}

/* ---------------------------------------------------------------------
 * funnel_fit(numerator, denominator, data_type, adjustment, trim, fraction)
 * ---------------------------------------------------------------------
 */
#define FIT_PARAMS 4 /* data type, adjustment, trim mode, trim fraction */

/* funnel_fit's optional arguments (numbers 3..6) and their defaults */
static const char *const fit_options[FIT_PARAMS] = {"data_type", "adjustment",
													"trim", "trim_fraction"};
static const char *const fit_defaults[FIT_PARAMS] = {
	"Omit it to use 'proportion'.", "Omit it to use 'additive'.",
	"Omit it to use 'winsorise'.", "Omit it to use 0.1."};

/* Option i of a state as the user wrote it, for an error. */
static char *
fit_option_text(int i, float8 v)
{
	int code = (int) v;

	if (i == 0 && v == code && code >= DT_PROPORTION && code <= DT_RATIO_SQRT)
		return psprintf("\"%s\"", data_type_names[code]);
	if (i == 1 && v == code && code >= ADJ_NONE && code <= ADJ_ADDITIVE)
		return psprintf("\"%s\"", adjustment_names[code]);
	if (i == 2 && v == code && code >= TRIM_WINSORISE && code <= TRIM_TRUNCATE)
		return psprintf("\"%s\"", trim_names[code]);
	return float8out_internal(v);
}

/*
 * Error 22023 for an option changing within a group (or between two states
 * being combined): `started` are the group's options, `now` the row's.
 */
static void
funnel_fit_params_error(FunctionCallInfo fcinfo, const float8 *started,
						const float8 *now)
{
	int i = FIT_PARAMS - 1;

	for (int j = 0; j < FIT_PARAMS; j++)
		if (memcmp(&started[j], &now[j], sizeof(float8)) != 0)
		{
			i = j;
			break;
		}
	ereport(
		ERROR,
		(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		 errmsg("%s of funnel_fit must be the same for every row of a "
				"group",
				fit_options[i]),
		 errdetail("The group started with %s and now has %s.",
				   fit_option_text(i, started[i]), fit_option_text(i, now[i])),
		 errhint("Pass a constant, or group by %s.", fit_options[i])));
}

/* funnel_fit's options from arguments 3..6, checked, as state parameters */
static void
fit_params(FunctionCallInfo fcinfo, float8 *params)
{
	for (int i = 3; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							errmsg("%s of funnel_fit must not be NULL",
								   fit_options[i - 3]),
							errhint("%s", fit_defaults[i - 3])));
	if (PG_NARGS() > 3)
		params[0] =
			parse_data_type(PG_GETARG_TEXT_PP(3), "data_type", "funnel_fit");
	if (PG_NARGS() > 4)
		params[1] =
			parse_adjustment(PG_GETARG_TEXT_PP(4), "adjustment", "funnel_fit");
	if (PG_NARGS() > 5)
		params[2] = parse_choice(PG_GETARG_TEXT_PP(5), trim_names, 1, 3,
								 "trim", "funnel_fit", TRIM_CHOICES);
	if (PG_NARGS() > 6)
		params[3] = PG_GETARG_FLOAT8(6);
	if (!(params[3] >= 0.0 && params[3] < 0.5) ||
		(params[2] == TRIM_TRUNCATE && params[3] == 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trim_fraction of funnel_fit must be between 0 and "
						"0.5"),
				 errdetail("The trim_fraction is %s.",
						   float8out_internal(params[3])),
				 errhint("0.1 trims 10%% at each end, as SHMI and CQC do; 0.5 "
						 "is excluded, and 'truncate' needs more than 0.")));
}

PG_FUNCTION_INFO_V1(funnel_fit_trans);
Datum
funnel_fit_trans(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_ARGISNULL(0) ? NULL : PG_GETARG_VALUE_LIST(0);
	float8 params[FIT_PARAMS] = {DT_PROPORTION, ADJ_ADDITIVE, TRIM_WINSORISE,
								 0.1};
	float8 item[2];

	fit_params(fcinfo, params);
	if (vl != NULL)
	{
		value_list_check(vl, 2, FIT_PARAMS, "funnel_fit");
		if (memcmp(vl->params, params, sizeof(params)) != 0)
			funnel_fit_params_error(fcinfo, vl->params, params);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		/* no unit to add; a group of only such rows is an empty fit */
		if (vl != NULL)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_VALUE_LIST(value_list_create(2, FIT_PARAMS, params, 64));
	}
	item[0] = PG_GETARG_FLOAT8(1);
	item[1] = PG_GETARG_FLOAT8(2);
	check_unit((DataType) params[0], item[0], item[1], "funnel_fit");
	/* outside an aggregate, value_list_add works on a copy */
	return value_list_add(fcinfo, vl, 2, FIT_PARAMS, params, 64, 0, item);
}

PG_FUNCTION_INFO_V1(funnel_fit_combine);
Datum
funnel_fit_combine(PG_FUNCTION_ARGS)
{
	return value_list_combine_params(fcinfo, 2, FIT_PARAMS, "funnel_fit",
									 funnel_fit_params_error);
}

typedef struct RankedZ
{
	float8 z; /* unadjusted z-score */
	float8 w; /* 1 / s^2 */
} RankedZ;

static int
ranked_z_cmp(const void *a, const void *b)
{
	float8 x = ((const RankedZ *) a)->z, y = ((const RankedZ *) b)->z;

	sort_interrupt_tick();
	return x < y ? -1 : (x > y ? 1 : 0);
}

/* R's quantile() type 7 of the sorted z of rz[0..n), n >= 1. */
static float8
quantile7(const RankedZ *rz, int64 n, float8 p)
{
	float8 h = (n - 1) * p;
	int64 lo = (int64) floor(h);

	if (lo >= n - 1)
		return rz[n - 1].z;
	return rz[lo].z + (h - lo) * (rz[lo + 1].z - rz[lo].z);
}

/*
 * The z-scores and weights of the units with a finite z (O = 0 on the log
 * scale has none and is left out), sorted by z, in rz; returns how many.
 */
static int64
ranked_units(const ValueList *vl, const FunnelModel *model, RankedZ *rz)
{
	float8 g0 = g_target(model->data_type, model->target);
	int64 nz = 0;

	for (int64 i = 0; i < vl->count; i++)
	{
		float8 g, s;
		const float8 *u = VALUE_LIST_ITEM(vl, i);

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		transform_unit(model->data_type, u[0], u[1], &g, &s);
		if (!isfinite(g))
			continue;
		rz[nz].z = (g - g0) / s;
		rz[nz].w = 1.0 / (s * s);
		nz++;
	}
	CHECK_FOR_INTERRUPTS();
	qsort(rz, nz, sizeof(RankedZ), ranked_z_cmp);
	return nz;
}

/* The sums phi and tau2 are made of, over the units used. */
typedef struct DispersionSums
{
	float8 sumz2; /* sum of the (trimmed) z^2 */
	float8 sw;    /* sum of w */
	float8 sw2;   /* sum of w^2 */
	int64 used;
} DispersionSums;

static inline void
dispersion_add(DispersionSums *d, float8 z, float8 w)
{
	d->sumz2 += z * z;
	d->sw += w;
	d->sw2 += w * w;
	d->used++;
}

/*
 * Winsorise: z below the `fraction` / above the 1 - `fraction` quantile
 * (type 7) replaced by those quantiles, every unit used.
 */
static void
winsorised_sums(const RankedZ *rz, int64 nz, float8 fraction,
				DispersionSums *d)
{
	float8 lo = quantile7(rz, nz, fraction);
	float8 hi = quantile7(rz, nz, 1.0 - fraction);

	for (int64 i = 0; i < nz; i++)
		dispersion_add(d, Min(Max(rz[i].z, lo), hi), rz[i].w);
}

/*
 * Truncate (SHMI): average ranks r, group floor(r k / (I + 1)) with
 * k = 1 / fraction, units of groups 1 .. k - 2 used (strictly between 0
 * and k - 1 when k is not a whole number), the rest dropped.
 */
static void
truncated_sums(const RankedZ *rz, int64 nz, float8 fraction, DispersionSums *d)
{
	float8 k = 1.0 / fraction;

	for (int64 i = 0; i < nz;)
	{
		int64 e = i;
		float8 rank, sp;

		while (e + 1 < nz && rz[e + 1].z == rz[i].z)
			e++;
		/* 1-based average rank of the tied block i..e */
		rank = ((float8) (i + 1) + (float8) (e + 1)) / 2.0;
		sp = floor(rank * k / (float8) (nz + 1));
		if (sp > 0.0 && sp < k - 1.0)
			for (int64 t = i; t <= e; t++)
				dispersion_add(d, rz[t].z, rz[t].w);
		i = e + 1;
	}
}

/*
 * phi = mean square of the used z; tau2 = (I' phi - (I' - 1)) /
 * (sum w - sum w^2 / sum w) over the used units, 0 when phi <= 1 or that
 * is negative; NULL (phi too) when too few units are used.
 */
static void
set_dispersion(FunnelModel *model, const DispersionSums *d)
{
	float8 phi, num, den;

	if (d->used == 0)
	{
		model->phi_null = model->tau2_null = true;
		return;
	}
	phi = d->sumz2 / d->used;
	num = d->used * phi - (d->used - 1);
	den = d->sw - d->sw2 / d->sw;
	model->phi = phi;
	model->phi_null = false;
	if (d->used < 2 || !(den > 0.0))
		model->tau2_null = true;
	else
	{
		/* applied only when over-dispersed: phi <= 1 gives 0 */
		model->tau2 = (phi > 1.0 && num > 0.0) ? num / den : 0.0;
		model->tau2_null = false;
	}
}

/*
 * Estimate phi and tau2 from the units with a finite z, trimmed as `trim`
 * says (winsorised_sums, truncated_sums). Fills model->phi/tau2 and
 * returns the number of units used.
 */
static int64
estimate_dispersion(const ValueList *vl, FunnelModel *model, TrimMode trim,
					float8 fraction)
{
	RankedZ *rz =
		palloc_extended(Max(vl->count, 1) * sizeof(RankedZ), MCXT_ALLOC_HUGE);
	int64 nz = ranked_units(vl, model, rz);
	DispersionSums d = {0.0, 0.0, 0.0, 0};

	if (nz > 0 && trim == TRIM_WINSORISE)
		winsorised_sums(rz, nz, fraction, &d);
	else if (nz > 0)
		truncated_sums(rz, nz, fraction, &d);
	set_dispersion(model, &d);
	pfree(rz);
	return d.used;
}

/* The funnel_model composite for `m` (type from the call's result). */
static Datum
model_datum(FunctionCallInfo fcinfo, const FunnelModel *m, int64 units,
			int64 used)
{
	Datum values[7];
	bool nulls[7] = {false};

	values[0] = CStringGetTextDatum(data_type_names[m->data_type]);
	values[1] = CStringGetTextDatum(adjustment_names[m->adjustment]);
	values[2] = Float8GetDatum(m->target);
	values[3] = Float8GetDatum(m->phi);
	nulls[3] = m->phi_null;
	values[4] = Float8GetDatum(m->tau2);
	nulls[4] = m->tau2_null;
	values[5] = Int64GetDatum(units);
	values[6] = Int64GetDatum(used);
	return composite_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(funnel_fit_final);
Datum
funnel_fit_final(PG_FUNCTION_ARGS)
{
	ValueList *vl = PG_GETARG_VALUE_LIST(0);
	FunnelModel m = {0};
	int64 used;

	value_list_check(vl, 2, FIT_PARAMS, "funnel_fit");
	if (vl->params[0] < DT_PROPORTION || vl->params[0] > DT_RATIO_SQRT ||
		vl->params[1] < ADJ_NONE || vl->params[1] > ADJ_ADDITIVE ||
		(vl->params[2] != TRIM_WINSORISE && vl->params[2] != TRIM_TRUNCATE) ||
		!(vl->params[3] >= 0.0 && vl->params[3] < 0.5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid state for funnel_fit"),
				 errdetail("The state's options are out of range."),
				 errhint("Pass only states made by funnel_fit itself.")));
	if (vl->count == 0)
		PG_RETURN_NULL();
	m.data_type = (DataType) vl->params[0];
	m.adjustment = (Adjustment) vl->params[1];
	if (m.data_type == DT_PROPORTION)
	{
		float8 sr = 0.0, sn = 0.0;

		for (int64 i = 0; i < vl->count; i++)
		{
			const float8 *u = VALUE_LIST_ITEM(vl, i);

			check_unit(DT_PROPORTION, u[0], u[1], "funnel_fit");
			sr += u[0];
			sn += u[1];
		}
		m.target = sr / sn;
	}
	else
	{
		for (int64 i = 0; i < vl->count; i++)
			check_unit(m.data_type, VALUE_LIST_ITEM(vl, i)[0],
					   VALUE_LIST_ITEM(vl, i)[1], "funnel_fit");
		m.target = 1.0;
	}
	used =
		estimate_dispersion(vl, &m, (TrimMode) vl->params[2], vl->params[3]);
	return model_datum(fcinfo, &m, vl->count, used);
}

/* ---------------------------------------------------------------------
 * Using a model: funnel_z, funnel_limit, funnel_flag, funnel_limits
 * ---------------------------------------------------------------------
 */

/* Error 22004: field `field` of fname's model is NULL. */
static pg_attribute_noreturn() void model_field_null(const char *field,
													 const char *fname)
{
	ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("model.%s of %s must not be NULL", field, fname),
					errhint("Use a model made by funnel_fit.")));
}

/*
 * Error 22023 unless the model's phi or tau2, when not NULL, is finite and
 * not negative.
 */
static void
check_model_spread(float8 v, bool isnull, const char *field, const char *fname)
{
	if (isnull)
		return;
	if (!isfinite(v))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("model.%s of %s must be finite", field, fname),
						errdetail("The model.%s is %s.", field,
								  float8out_internal(v)),
						errhint("Use a model made by funnel_fit.")));
	if (v < 0.0)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("model.%s of %s must not be negative", field, fname),
			 errdetail("The model.%s is %s.", field, float8out_internal(v)),
			 errhint("Use a model made by funnel_fit.")));
}

/* Error 22023 unless the model's target suits its data type. */
static void
check_model_target(const FunnelModel *m, const char *fname)
{
	if (!isfinite(m->target))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("model.target of %s must be finite", fname),
						errdetail("The model.target is %s.",
								  float8out_internal(m->target)),
						errhint("Use a model made by funnel_fit.")));
	if (m->data_type == DT_PROPORTION && (m->target < 0.0 || m->target > 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model.target of %s must be between 0 and 1", fname),
				 errdetail("The model.target is %s.",
						   float8out_internal(m->target)),
				 errhint("The target of a proportion lies in [0, 1].")));
	if (m->data_type != DT_PROPORTION && !(m->target > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model.target of %s must be positive", fname),
				 errdetail("The model.target is %s.",
						   float8out_internal(m->target)),
				 errhint("The target of a ratio is above 0: 1 for observed "
						 "against expected.")));
}

/*
 * Read and check a funnel_model composite, the argument `model` of fname
 * (users may build their own).
 */
static void
read_model(HeapTupleHeader row, FunnelModel *m, const char *fname)
{
	bool isnull;
	Datum d;

	d = GetAttributeByNum(row, 1, &isnull);
	if (isnull)
		model_field_null("data_type", fname);
	m->data_type =
		parse_data_type(DatumGetTextPP(d), "model.data_type", fname);
	d = GetAttributeByNum(row, 2, &isnull);
	if (isnull)
		model_field_null("adjustment", fname);
	m->adjustment =
		parse_adjustment(DatumGetTextPP(d), "model.adjustment", fname);
	d = GetAttributeByNum(row, 3, &isnull);
	if (isnull)
		model_field_null("target", fname);
	m->target = DatumGetFloat8(d);
	d = GetAttributeByNum(row, 4, &m->phi_null);
	m->phi = m->phi_null ? 0.0 : DatumGetFloat8(d);
	d = GetAttributeByNum(row, 5, &m->tau2_null);
	m->tau2 = m->tau2_null ? 0.0 : DatumGetFloat8(d);

	check_model_target(m, fname);
	check_model_spread(m->phi, m->phi_null, "phi", fname);
	check_model_spread(m->tau2, m->tau2_null, "tau2", fname);
}

/*
 * read_model for a per-row function argument: the model is usually the
 * same row for every call (a join to one stored model), so the parsed form
 * is kept in fn_extra and reused while the composite's bytes are unchanged.
 */
typedef struct ModelCache
{
	Size len;
	FunnelModel model;
	char bytes[FLEXIBLE_ARRAY_MEMBER];
} ModelCache;

static void
cached_model(FunctionCallInfo fcinfo, int argno, FunnelModel *m,
			 const char *fname)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(argno);
	Size len = HeapTupleHeaderGetDatumLength(row);
	ModelCache *cache = (ModelCache *) fcinfo->flinfo->fn_extra;

	if (cache != NULL && cache->len == len &&
		memcmp(cache->bytes, row, len) == 0)
	{
		*m = cache->model;
		return;
	}
	read_model(row, m, fname);
	if (cache == NULL || cache->len < len)
	{
		if (cache != NULL)
			pfree(cache);
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
								   offsetof(ModelCache, bytes) + len);
		fcinfo->flinfo->fn_extra = cache;
	}
	cache->len = len;
	cache->model = *m;
	memcpy(cache->bytes, row, len);
}

/*
 * The SE on the transformed scale after adjustment, for within-unit SE s;
 * false when the adjustment's parameter is NULL (too few units to fit).
 * phi <= 1 means no adjustment (limits are never narrowed).
 */
static bool
adjusted_se(const FunnelModel *m, float8 s, float8 *se)
{
	switch (m->adjustment)
	{
		case ADJ_NONE:
			*se = s;
			return true;
		case ADJ_MULTIPLICATIVE:
			if (m->phi_null)
				return false;
			*se = s * sqrt(Max(m->phi, 1.0));
			return true;
		case ADJ_ADDITIVE:
			if (m->phi_null || m->tau2_null)
				return false;
			*se = m->phi > 1.0 ? sqrt(s * s + m->tau2) : s;
			return true;
	}
	return false;
}

/* Adjusted z of one unit; false when the model cannot adjust. */
static bool
unit_z(const FunnelModel *m, float8 num, float8 den, float8 *z,
	   const char *fname)
{
	float8 g, s, se;

	check_unit(m->data_type, num, den, fname);
	transform_unit(m->data_type, num, den, &g, &s);
	if (!adjusted_se(m, s, &se))
		return false;
	*z = (g - g_target(m->data_type, m->target)) / se;
	return true;
}

PG_FUNCTION_INFO_V1(funnel_z);
Datum
funnel_z(PG_FUNCTION_ARGS)
{
	FunnelModel m;
	float8 z;

	cached_model(fcinfo, 2, &m, "funnel_z");
	if (!unit_z(&m, PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), &z, "funnel_z"))
		PG_RETURN_NULL();
	/* documented: a numerator of 0 on a log scale is at -Infinity */
	if (!(isinf(z) && z < 0 && PG_GETARG_FLOAT8(0) == 0.0))
		check_result_finite(z, "z-score", "funnel_z");
	PG_RETURN_FLOAT8(z);
}

/* One limit on the natural scale of the data type. */
static float8
limit_at(const FunnelModel *m, float8 den, float8 zc, bool upper)
{
	float8 g0 = g_target(m->data_type, m->target);
	float8 s = m->data_type == DT_RATIO_LOG ? 1.0 / sqrt(den)
											: 1.0 / (2.0 * sqrt(den));
	float8 se, h, g;

	if (!adjusted_se(m, s, &se))
		return NAN;
	h = zc * se;
	switch (m->data_type)
	{
		case DT_PROPORTION:
			g = upper ? g0 + h : g0 - h;
			if (g <= 0.0)
				return 0.0;
			if (g >= M_PI_2)
				return 1.0;
			return sin(g) * sin(g);
		case DT_RATIO_LOG:
			return exp(upper ? g0 + h : g0 - h);
		case DT_RATIO_SQRT:
			g = upper ? g0 + h : g0 - h;
			return g <= 0.0 ? 0.0 : g * g;
	}
	return NAN;
}

PG_FUNCTION_INFO_V1(funnel_limit);
Datum
funnel_limit(PG_FUNCTION_ARGS)
{
	FunnelModel m;
	float8 den = PG_GETARG_FLOAT8(0);
	float8 zc = normal_critical_value(PG_GETARG_FLOAT8(2), "funnel_limit");
	float8 limit;

	cached_model(fcinfo, 1, &m, "funnel_limit");
	check_denominator(den, "denominator", "funnel_limit");
	limit = limit_at(&m, den, zc, PG_GETARG_BOOL(3));
	if (isnan(limit))
		PG_RETURN_NULL();
	check_result_finite(limit, "limit", "funnel_limit");
	PG_RETURN_FLOAT8(limit);
}

/* 'high' / 'low' outside the limits, 'within' on or inside them. */
PG_FUNCTION_INFO_V1(funnel_flag);
Datum
funnel_flag(PG_FUNCTION_ARGS)
{
	FunnelModel m;
	float8 zc = normal_critical_value(PG_GETARG_FLOAT8(3), "funnel_flag");
	float8 z;

	cached_model(fcinfo, 2, &m, "funnel_flag");
	if (!unit_z(&m, PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), &z,
				"funnel_flag"))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(
		cstring_to_text(z > zc ? "high" : (z < -zc ? "low" : "within")));
}

#define LIMITS_MAX_POINTS 100000

PG_FUNCTION_INFO_V1(funnel_limits);
Datum
funnel_limits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FunnelModel m;
	float8 dmin = PG_GETARG_FLOAT8(1);
	float8 dmax = PG_GETARG_FLOAT8(2);
	int32 points = PG_GETARG_INT32(3);
	float8 z95 = normal_critical_value(0.95, "funnel_limits");
	float8 z998 = normal_critical_value(0.998, "funnel_limits");

	read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m, "funnel_limits");
	check_denominator(dmin, "denominator_min", "funnel_limits");
	check_denominator(dmax, "denominator_max", "funnel_limits");
	if (dmax < dmin)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("denominator_max of funnel_limits must not be below "
					"denominator_min"),
			 errdetail("The denominator_min is %s and the denominator_max "
					   "is %s.",
					   float8out_internal(dmin), float8out_internal(dmax))));
	if (points < 2 || points > LIMITS_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points of funnel_limits must be between 2 and %d",
						LIMITS_MAX_POINTS),
				 errdetail("The points is %d.", points)));

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < points; i++)
	{
		Datum values[5];
		bool nulls[5] = {false};
		float8 d = i == points - 1
					   ? dmax
					   : dmin + (dmax - dmin) * ((float8) i / (points - 1));
		float8 lim[4];

		lim[0] = limit_at(&m, d, z95, false);
		lim[1] = limit_at(&m, d, z95, true);
		lim[2] = limit_at(&m, d, z998, false);
		lim[3] = limit_at(&m, d, z998, true);
		values[0] = Float8GetDatum(d);
		for (int j = 0; j < 4; j++)
		{
			values[j + 1] = Float8GetDatum(lim[j]);
			nulls[j + 1] = isnan(lim[j]);
		}
		check_row_finite(rsinfo->setDesc, values, nulls, "funnel_limits");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
	}
	return (Datum) 0;
}
