/*
 * two_sample_state.c — vinylops.ttest_state, the state of welch_ttest: its
 * text and binary input/output, and the moment updates.
 *
 * Text form: (n_control,mean_control,m2_control,n_treatment,mean_treatment,
 * m2_treatment,confidence), e.g. (3,2,2,2,5,0.5,0.95).  Means and M2 are
 * updated and merged with the Youngs-Cramer / Chan formulas, as core's
 * float8_accum and float8_combine do (there with sums, here with means), so
 * no variance is ever computed as a difference of large sums of squares.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "utils/float.h"

#include "two_sample_state.h"

StaticAssertDecl(sizeof(TTestState) == 56, "INTERNALLENGTH of ttest_state in sql/install/50_stats_states.sql");

PG_FUNCTION_INFO_V1(vinylops_ttest_state_in);
PG_FUNCTION_INFO_V1(vinylops_ttest_state_out);
PG_FUNCTION_INFO_V1(vinylops_ttest_state_recv);
PG_FUNCTION_INFO_V1(vinylops_ttest_state_send);

static const StatsField TTestFields[] = {
	{"n_control", STATS_FIELD_INT64, offsetof(TTestState, arm[ARM_CONTROL].n)},
	{"mean_control", STATS_FIELD_FLOAT8, offsetof(TTestState, arm[ARM_CONTROL].mean)},
	{"m2_control", STATS_FIELD_FLOAT8, offsetof(TTestState, arm[ARM_CONTROL].m2)},
	{"n_treatment", STATS_FIELD_INT64, offsetof(TTestState, arm[ARM_TREATMENT].n)},
	{"mean_treatment", STATS_FIELD_FLOAT8, offsetof(TTestState, arm[ARM_TREATMENT].mean)},
	{"m2_treatment", STATS_FIELD_FLOAT8, offsetof(TTestState, arm[ARM_TREATMENT].m2)},
	{"confidence", STATS_FIELD_FLOAT8, offsetof(TTestState, confidence)},
};

/* What is inconsistent in one arm's moments, or NULL. */
static const char *
TTestArmProblem(const TTestArm *arm, const char *name)
{
	if (arm->n < 0)
		return psprintf("The %s count is negative.", name);
	if (arm->m2 < 0)
		return psprintf("The %s sum of squared deviations is negative.", name);
	if (arm->n == 0 && (arm->mean != 0 || arm->m2 != 0))
		return psprintf("The %s arm has no rows but a nonzero mean or sum of squared deviations.", name);
	if (arm->n == 1 && arm->m2 != 0)
		return psprintf("The %s arm has one row but a nonzero sum of squared deviations.", name);
	return NULL;
}

/* What is inconsistent in a decoded ttest_state, or NULL. */
static const char *
TTestStateProblem(const void *state)
{
	const TTestState *s = state;
	const char *problem;

	if ((problem = TTestArmProblem(&s->arm[ARM_CONTROL], "control")) != NULL ||
		(problem = TTestArmProblem(&s->arm[ARM_TREATMENT], "treatment")) != NULL)
		return problem;
	if (!(s->confidence > 0 && s->confidence < 1))
		return "The confidence must be between 0 and 1, exclusive.";
	return NULL;
}

const StatsStateLayout TTestStateLayout = {
	"vinylops.ttest_state", sizeof(TTestState), lengthof(TTestFields), TTestFields,
	TTestStateProblem
};

/* Checks a running mean and M2 after an update: overflow is an error, as in core. */
static void
CheckArmFinite(const TTestArm *arm)
{
	if (!isfinite(arm->mean) || !isfinite(arm->m2))
		float_overflow_error();
}

/* Adds one finite value to an arm (Welford's update of mean and M2). */
void
TTestArmAdd(TTestArm *arm, double x)
{
	double		delta;

	if (arm->n == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("welch_ttest row count out of range")));
	arm->n++;
	delta = x - arm->mean;
	arm->mean += delta / (double) arm->n;
	arm->m2 += delta * (x - arm->mean);
	CheckArmFinite(arm);
}

/* Merges the moments of `from` into `into` (Chan et al.'s pairwise formula). */
void
TTestArmMerge(TTestArm *into, const TTestArm *from)
{
	int64		n;
	double		delta;

	if (from->n == 0)
		return;
	if (into->n == 0)
	{
		*into = *from;
		return;
	}
	if (pg_add_s64_overflow(into->n, from->n, &n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("welch_ttest row count out of range")));
	delta = from->mean - into->mean;
	into->m2 += from->m2 + delta * delta * ((double) into->n * (double) from->n / (double) n);
	into->mean += delta * ((double) from->n / (double) n);
	into->n = n;
	CheckArmFinite(into);
}

/* ttest_state text input. */
Datum
vinylops_ttest_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromText(&TTestStateLayout, PG_GETARG_CSTRING(0)));
}

/* ttest_state text output. */
Datum
vinylops_ttest_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(StatsStateToText(&TTestStateLayout, PG_GETARG_POINTER(0)));
}

/* ttest_state binary input. */
Datum
vinylops_ttest_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromBinary(&TTestStateLayout,
										   (StringInfo) PG_GETARG_POINTER(0)));
}

/* ttest_state binary output. */
Datum
vinylops_ttest_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(StatsStateToBinary(&TTestStateLayout, PG_GETARG_POINTER(0)));
}
