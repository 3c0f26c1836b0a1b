/*
 * welch_ttest.c — the welch_ttest(value, is_treatment [, confidence])
 * aggregate: Welch's unequal-variance t-test of treatment against control.
 *
 * Rows with a NULL value or arm are ignored.  Values must be finite (NaN or
 * an infinity is an error: it has no mean or variance, and silently dropping
 * it would hide bad data).  The result fills what the data supports: counts
 * always, means where an arm has a row, standard deviations where it has two;
 * the test itself (t, df, p, interval, Cohen's d) needs two rows in each arm
 * and some variance, and is NULL otherwise — never an error.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/float.h"

#include "distributions.h"
#include "two_sample_state.h"

#define TTEST_DEFAULT_CONFIDENCE 0.95

/* Columns of vinylops.ttest_result, in order. */
enum
{
	TT_N_CONTROL, TT_N_TREATMENT, TT_MEAN_CONTROL, TT_MEAN_TREATMENT,
	TT_SD_CONTROL, TT_SD_TREATMENT, TT_MEAN_DIFF, TT_LIFT_PCT, TT_T_STAT, TT_DF,
	TT_P_VALUE, TT_CI_LOW, TT_CI_HIGH, TT_COHENS_D, TT_NCOLUMNS
};

PG_FUNCTION_INFO_V1(vinylops_welch_ttest_accum);
PG_FUNCTION_INFO_V1(vinylops_welch_ttest_accum_confidence);
PG_FUNCTION_INFO_V1(vinylops_welch_ttest_combine);
PG_FUNCTION_INFO_V1(vinylops_welch_ttest_final);

/* Rejects a confidence level outside (0, 1). */
static void
CheckConfidence(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("welch_ttest confidence must be between 0 and 1, exclusive"),
				 errdetail("The confidence given is %s.", float8out_internal(confidence))));
}

/* Rejects a confidence level that differs from the one the group started with. */
static void
CheckSameConfidence(double had, double got)
{
	if (had != got)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("welch_ttest confidence must be the same for every row of a group"),
				 errdetail("The confidence changed from %s to %s.",
						   float8out_internal(had), float8out_internal(got))));
}

/* Adds one row to the state, ignoring rows with a NULL value or arm. */
static Datum
AccumRow(FunctionCallInfo fcinfo, TTestState *state)
{
	double		x;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	x = PG_GETARG_FLOAT8(1);
	if (!isfinite(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("welch_ttest value must be finite"),
				 errdetail("A row has the value %s, which has no mean or variance.",
						   float8out_internal(x)),
				 errhint("Leave such rows out, e.g. WHERE value NOT IN ('NaN', 'Infinity', '-Infinity').")));
	TTestArmAdd(&state->arm[PG_GETARG_BOOL(2) ? ARM_TREATMENT : ARM_CONTROL], x);
	PG_RETURN_POINTER(state);
}

/* Transition function of welch_ttest(value, is_treatment): 95 % interval. */
Datum
vinylops_welch_ttest_accum(PG_FUNCTION_ARGS)
{
	TTestState	empty = {.confidence = TTEST_DEFAULT_CONFIDENCE};

	return AccumRow(fcinfo, StatsStateForUpdate(fcinfo, 0, &TTestStateLayout, &empty));
}

/*
 * Transition function of welch_ttest(value, is_treatment, confidence): the
 * first row fixes the confidence level, and every row must repeat it.
 */
Datum
vinylops_welch_ttest_accum_confidence(PG_FUNCTION_ARGS)
{
	TTestState	empty = {0};
	TTestState *state;
	double		confidence;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("welch_ttest confidence must not be null")));
	confidence = PG_GETARG_FLOAT8(3);
	CheckConfidence(confidence);
	empty.confidence = confidence;
	state = StatsStateForUpdate(fcinfo, 0, &TTestStateLayout, &empty);
	CheckSameConfidence(state->confidence, confidence);
	return AccumRow(fcinfo, state);
}

/* Combine function: merges two partial states (parallel workers, Citus nodes). */
Datum
vinylops_welch_ttest_combine(PG_FUNCTION_ARGS)
{
	TTestState *state;
	const TTestState *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = (const TTestState *) PG_GETARG_POINTER(1);
	state = StatsStateForUpdate(fcinfo, 0, &TTestStateLayout, other);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(state);
	CheckSameConfidence(state->confidence, other->confidence);
	TTestArmMerge(&state->arm[ARM_CONTROL], &other->arm[ARM_CONTROL]);
	TTestArmMerge(&state->arm[ARM_TREATMENT], &other->arm[ARM_TREATMENT]);
	PG_RETURN_POINTER(state);
}

/* Stores a computed statistic in a result column. */
static void
SetResult(Datum *values, bool *nulls, int column, double value)
{
	values[column] = Float8GetDatum(StatsCheckedResult(value));
	nulls[column] = false;
}

/* sqrt(a + b) for a, b >= 0 without overflow in the sum. */
static double
SqrtOfSum(double a, double b)
{
	double		hi = Max(a, b);
	double		lo = Min(a, b);

	if (hi == 0)
		return 0;
	return sqrt(hi) * sqrt(1.0 + lo / hi);
}

/*
 * Welch-Satterthwaite degrees of freedom from the squared standard errors
 * a = s_c^2 / n_c and b = s_t^2 / n_t, scaled so nothing overflows.
 */
static double
WelchDf(double a, int64 n_control, double b, int64 n_treatment)
{
	double		hi = Max(a, b);
	double		ra = a / hi;
	double		rb = b / hi;

	return (ra + rb) * (ra + rb) /
		(ra * ra / (double) (n_control - 1) + rb * rb / (double) (n_treatment - 1));
}

/* Fills the test columns: t, df, p, interval and Cohen's d (both arms have n >= 2). */
static void
FillTest(const TTestState *s, double diff, Datum *values, bool *nulls)
{
	const TTestArm *c = &s->arm[ARM_CONTROL];
	const TTestArm *t = &s->arm[ARM_TREATMENT];
	double		a = c->m2 / (double) (c->n - 1) / (double) c->n;
	double		b = t->m2 / (double) (t->n - 1) / (double) t->n;
	double		se = SqrtOfSum(a, b);
	double		df,
				t_stat,
				p,
				q,
				pooled_sd;

	/* Zero variance in both arms (or below the smallest double): no test. */
	if (se == 0)
		return;
	df = WelchDf(a, c->n, b, t->n);
	t_stat = diff / se;
	p = StudentTTwoSided(t_stat, df, NULL);
	q = StudentTQuantileTwoSided(s->confidence, df);
	if (isnan(p) || isnan(q))
		elog(ERROR, "t distribution did not converge for t = %g, df = %g", t_stat, df);
	SetResult(values, nulls, TT_T_STAT, t_stat);
	SetResult(values, nulls, TT_DF, df);
	SetResult(values, nulls, TT_P_VALUE, p);
	SetResult(values, nulls, TT_CI_LOW, diff - q * se);
	SetResult(values, nulls, TT_CI_HIGH, diff + q * se);
	pooled_sd = sqrt(c->m2 / (double) (c->n + t->n - 2) + t->m2 / (double) (c->n + t->n - 2));
	if (pooled_sd > 0)
		SetResult(values, nulls, TT_COHENS_D, diff / pooled_sd);
}

/* Fills every column the state supports; the rest stay NULL. */
static void
FillResult(const TTestState *s, Datum *values, bool *nulls)
{
	const TTestArm *c = &s->arm[ARM_CONTROL];
	const TTestArm *t = &s->arm[ARM_TREATMENT];
	double		diff;

	values[TT_N_CONTROL] = Int64GetDatum(c->n);
	nulls[TT_N_CONTROL] = false;
	values[TT_N_TREATMENT] = Int64GetDatum(t->n);
	nulls[TT_N_TREATMENT] = false;
	if (c->n >= 1)
		SetResult(values, nulls, TT_MEAN_CONTROL, c->mean);
	if (t->n >= 1)
		SetResult(values, nulls, TT_MEAN_TREATMENT, t->mean);
	if (c->n >= 2)
		SetResult(values, nulls, TT_SD_CONTROL, sqrt(c->m2 / (double) (c->n - 1)));
	if (t->n >= 2)
		SetResult(values, nulls, TT_SD_TREATMENT, sqrt(t->m2 / (double) (t->n - 1)));
	if (c->n < 1 || t->n < 1)
		return;
	diff = t->mean - c->mean;
	SetResult(values, nulls, TT_MEAN_DIFF, diff);
	if (c->mean != 0)
		SetResult(values, nulls, TT_LIFT_PCT, 100.0 * diff / c->mean);
	if (c->n >= 2 && t->n >= 2)
		FillTest(s, diff, values, nulls);
}

/* Final function: the vinylops.ttest_result of a state (no rows: counts 0, rest NULL). */
Datum
vinylops_welch_ttest_final(PG_FUNCTION_ARGS)
{
	TTestState	empty = {.confidence = TTEST_DEFAULT_CONFIDENCE};
	const TTestState *s = PG_ARGISNULL(0) ? &empty : (const TTestState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[TT_NCOLUMNS];
	bool		nulls[TT_NCOLUMNS];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "welch_ttest_final must return a composite type");
	Assert(tupdesc->natts == TT_NCOLUMNS);
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nulls, true, sizeof(nulls));
	FillResult(s, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
