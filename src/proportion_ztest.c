/*
 * proportion_ztest.c — the proportion_ztest(success, is_treatment)
 * aggregate: two-proportion z-test of treatment against control, and its
 * state type vinylops.ztest_state.
 *
 * State text form: (n_control,successes_control,n_treatment,successes_treatment).
 * Rows with a NULL success or arm are ignored.  The z statistic and p-value
 * use the pooled standard error (the test's null hypothesis is p_c = p_t);
 * the 95 % interval for the difference uses the unpooled (Wald) standard
 * error.  What an empty arm, a zero proportion or a zero standard error leaves
 * undefined is NULL.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"

#include "distributions.h"
#include "stats_state.h"

#define ZTEST_CONFIDENCE 0.95

typedef struct ZTestState
{
	int64		n[2];			/* rows per arm: control, treatment */
	int64		successes[2];
} ZTestState;

/* Columns of vinylops.ztest_result, in order. */
enum
{
	ZT_N_CONTROL, ZT_N_TREATMENT, ZT_SUCCESSES_CONTROL, ZT_SUCCESSES_TREATMENT,
	ZT_P_CONTROL, ZT_P_TREATMENT, ZT_DIFF, ZT_LIFT_PCT, ZT_Z_STAT, ZT_P_VALUE,
	ZT_CI_LOW, ZT_CI_HIGH, ZT_NCOLUMNS
};

StaticAssertDecl(sizeof(ZTestState) == 32, "INTERNALLENGTH of ztest_state in sql/install/50_stats_states.sql");

PG_FUNCTION_INFO_V1(vinylops_ztest_state_in);
PG_FUNCTION_INFO_V1(vinylops_ztest_state_out);
PG_FUNCTION_INFO_V1(vinylops_ztest_state_recv);
PG_FUNCTION_INFO_V1(vinylops_ztest_state_send);
PG_FUNCTION_INFO_V1(vinylops_proportion_ztest_accum);
PG_FUNCTION_INFO_V1(vinylops_proportion_ztest_combine);
PG_FUNCTION_INFO_V1(vinylops_proportion_ztest_final);

static const StatsField ZTestFields[] = {
	{"n_control", STATS_FIELD_INT64, offsetof(ZTestState, n[0])},
	{"successes_control", STATS_FIELD_INT64, offsetof(ZTestState, successes[0])},
	{"n_treatment", STATS_FIELD_INT64, offsetof(ZTestState, n[1])},
	{"successes_treatment", STATS_FIELD_INT64, offsetof(ZTestState, successes[1])},
};

/* What is inconsistent in a decoded ztest_state, or NULL. */
static const char *
ZTestStateProblem(const void *state)
{
	const ZTestState *s = state;

	for (int arm = 0; arm < 2; arm++)
	{
		if (s->n[arm] < 0 || s->successes[arm] < 0)
			return "Counts must not be negative.";
		if (s->successes[arm] > s->n[arm])
			return "An arm has more successes than rows.";
	}
	return NULL;
}

static const StatsStateLayout ZTestStateLayout = {
	"vinylops.ztest_state", sizeof(ZTestState), lengthof(ZTestFields), ZTestFields,
	ZTestStateProblem
};

/* ztest_state text input. */
Datum
vinylops_ztest_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromText(&ZTestStateLayout, PG_GETARG_CSTRING(0)));
}

/* ztest_state text output. */
Datum
vinylops_ztest_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(StatsStateToText(&ZTestStateLayout, PG_GETARG_POINTER(0)));
}

/* ztest_state binary input. */
Datum
vinylops_ztest_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromBinary(&ZTestStateLayout,
										   (StringInfo) PG_GETARG_POINTER(0)));
}

/* ztest_state binary output. */
Datum
vinylops_ztest_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(StatsStateToBinary(&ZTestStateLayout, PG_GETARG_POINTER(0)));
}

/* Adds b to the count *a, raising an error instead of wrapping around. */
static void
AddCount(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("proportion_ztest row count out of range")));
}

/* Transition function: counts a row and its success, ignoring NULLs. */
Datum
vinylops_proportion_ztest_accum(PG_FUNCTION_ARGS)
{
	ZTestState	empty = {{0, 0}, {0, 0}};
	ZTestState *state = StatsStateForUpdate(fcinfo, 0, &ZTestStateLayout, &empty);
	int			arm;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	arm = PG_GETARG_BOOL(2) ? 1 : 0;
	AddCount(&state->n[arm], 1);
	if (PG_GETARG_BOOL(1))
		AddCount(&state->successes[arm], 1);
	PG_RETURN_POINTER(state);
}

/* Combine function: adds the counts of two partial states. */
Datum
vinylops_proportion_ztest_combine(PG_FUNCTION_ARGS)
{
	ZTestState *state;
	const ZTestState *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = (const ZTestState *) PG_GETARG_POINTER(1);
	state = StatsStateForUpdate(fcinfo, 0, &ZTestStateLayout, other);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(state);
	for (int arm = 0; arm < 2; arm++)
	{
		AddCount(&state->n[arm], other->n[arm]);
		AddCount(&state->successes[arm], other->successes[arm]);
	}
	PG_RETURN_POINTER(state);
}

/* Stores a computed statistic in a result column. */
static void
SetResult(Datum *values, bool *nulls, int column, double value)
{
	values[column] = Float8GetDatum(StatsCheckedResult(value));
	nulls[column] = false;
}

/* Fills the test columns (both arms have rows). */
static void
FillTest(const ZTestState *s, double p_c, double p_t, Datum *values, bool *nulls)
{
	double		n_c = (double) s->n[0];
	double		n_t = (double) s->n[1];
	double		diff = p_t - p_c;
	double		pooled = ((double) s->successes[0] + (double) s->successes[1]) / (n_c + n_t);
	double		se_pooled = sqrt(pooled * (1.0 - pooled) * (1.0 / n_c + 1.0 / n_t));
	double		se = sqrt(p_c * (1.0 - p_c) / n_c + p_t * (1.0 - p_t) / n_t);

	if (se_pooled > 0)
	{
		double		z = diff / se_pooled;

		SetResult(values, nulls, ZT_Z_STAT, z);
		SetResult(values, nulls, ZT_P_VALUE, NormalTwoSided(z));
	}
	if (se > 0)
	{
		double		q = NormalQuantileTwoSided(ZTEST_CONFIDENCE);

		if (isnan(q))
			elog(ERROR, "normal quantile did not converge");
		SetResult(values, nulls, ZT_CI_LOW, diff - q * se);
		SetResult(values, nulls, ZT_CI_HIGH, diff + q * se);
	}
}

/* Final function: the vinylops.ztest_result of a state. */
Datum
vinylops_proportion_ztest_final(PG_FUNCTION_ARGS)
{
	ZTestState	empty = {{0, 0}, {0, 0}};
	const ZTestState *s = PG_ARGISNULL(0) ? &empty : (const ZTestState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[ZT_NCOLUMNS];
	bool		nulls[ZT_NCOLUMNS];
	double		p_c = 0,
				p_t = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "proportion_ztest_final must return a composite type");
	Assert(tupdesc->natts == ZT_NCOLUMNS);
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nulls, true, sizeof(nulls));
	for (int arm = 0; arm < 2; arm++)
	{
		values[ZT_N_CONTROL + arm] = Int64GetDatum(s->n[arm]);
		nulls[ZT_N_CONTROL + arm] = false;
		values[ZT_SUCCESSES_CONTROL + arm] = Int64GetDatum(s->successes[arm]);
		nulls[ZT_SUCCESSES_CONTROL + arm] = false;
	}
	if (s->n[0] > 0)
		SetResult(values, nulls, ZT_P_CONTROL, p_c = (double) s->successes[0] / (double) s->n[0]);
	if (s->n[1] > 0)
		SetResult(values, nulls, ZT_P_TREATMENT, p_t = (double) s->successes[1] / (double) s->n[1]);
	if (s->n[0] > 0 && s->n[1] > 0)
	{
		SetResult(values, nulls, ZT_DIFF, p_t - p_c);
		if (p_c > 0)
			SetResult(values, nulls, ZT_LIFT_PCT, 100.0 * (p_t - p_c) / p_c);
		FillTest(s, p_c, p_t, values, nulls);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
