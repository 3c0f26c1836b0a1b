/*
 * srm_check.c — the srm_check(is_treatment [, expected_treatment_share])
 * aggregate: sample-ratio-mismatch check of an experiment's assignment, by
 * Pearson's chi-square goodness-of-fit test with one degree of freedom; and
 * its state type vinylops.srm_state.
 *
 * State text form: (n_control,n_treatment,expected_treatment_share).  The
 * one-argument form expects an even split (0.5).  Rows with a NULL arm are
 * ignored.  mismatch is true when p < 0.001, the usual SRM alarm threshold.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/float.h"

#include "distributions.h"
#include "stats_state.h"

#define SRM_DEFAULT_SHARE 0.5
#define SRM_ALPHA 0.001

typedef struct SrmState
{
	int64		n[2];			/* rows per arm: control, treatment */
	double		expected_share; /* expected treatment share, in (0, 1) */
} SrmState;

/* Columns of vinylops.srm_result, in order. */
enum
{
	SRM_N_CONTROL, SRM_N_TREATMENT, SRM_EXPECTED_SHARE, SRM_OBSERVED_SHARE,
	SRM_CHI_SQUARE, SRM_P_VALUE, SRM_MISMATCH, SRM_NCOLUMNS
};

StaticAssertDecl(sizeof(SrmState) == 24, "INTERNALLENGTH of srm_state in sql/install/50_stats_states.sql");

PG_FUNCTION_INFO_V1(vinylops_srm_state_in);
PG_FUNCTION_INFO_V1(vinylops_srm_state_out);
PG_FUNCTION_INFO_V1(vinylops_srm_state_recv);
PG_FUNCTION_INFO_V1(vinylops_srm_state_send);
PG_FUNCTION_INFO_V1(vinylops_srm_check_accum);
PG_FUNCTION_INFO_V1(vinylops_srm_check_accum_share);
PG_FUNCTION_INFO_V1(vinylops_srm_check_combine);
PG_FUNCTION_INFO_V1(vinylops_srm_check_final);

static const StatsField SrmFields[] = {
	{"n_control", STATS_FIELD_INT64, offsetof(SrmState, n[0])},
	{"n_treatment", STATS_FIELD_INT64, offsetof(SrmState, n[1])},
	{"expected_treatment_share", STATS_FIELD_FLOAT8, offsetof(SrmState, expected_share)},
};

/* What is inconsistent in a decoded srm_state, or NULL. */
static const char *
SrmStateProblem(const void *state)
{
	const SrmState *s = state;

	if (s->n[0] < 0 || s->n[1] < 0)
		return "Counts must not be negative.";
	if (!(s->expected_share > 0 && s->expected_share < 1))
		return "The expected treatment share must be between 0 and 1, exclusive.";
	return NULL;
}

static const StatsStateLayout SrmStateLayout = {
	"vinylops.srm_state", sizeof(SrmState), lengthof(SrmFields), SrmFields,
	SrmStateProblem
};

/* srm_state text input. */
Datum
vinylops_srm_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromText(&SrmStateLayout, PG_GETARG_CSTRING(0)));
}

/* srm_state text output. */
Datum
vinylops_srm_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(StatsStateToText(&SrmStateLayout, PG_GETARG_POINTER(0)));
}

/* srm_state binary input. */
Datum
vinylops_srm_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(StatsStateFromBinary(&SrmStateLayout,
										   (StringInfo) PG_GETARG_POINTER(0)));
}

/* srm_state binary output. */
Datum
vinylops_srm_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(StatsStateToBinary(&SrmStateLayout, PG_GETARG_POINTER(0)));
}

/* Adds b to the count *a, raising an error instead of wrapping around. */
static void
AddCount(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("srm_check row count out of range")));
}

/* Rejects two different expected shares within one group. */
static void
CheckSameShare(double had, double got)
{
	if (had != got)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("srm_check expected_treatment_share must be the same for every row of a group"),
				 errdetail("The share changed from %s to %s.",
						   float8out_internal(had), float8out_internal(got))));
}

/* Counts one row in its arm, ignoring a NULL arm. */
static Datum
AccumRow(FunctionCallInfo fcinfo, SrmState *state)
{
	if (!PG_ARGISNULL(1))
		AddCount(&state->n[PG_GETARG_BOOL(1) ? 1 : 0], 1);
	PG_RETURN_POINTER(state);
}

/* Transition function of srm_check(is_treatment): an even split is expected. */
Datum
vinylops_srm_check_accum(PG_FUNCTION_ARGS)
{
	SrmState	empty = {{0, 0}, SRM_DEFAULT_SHARE};

	return AccumRow(fcinfo, StatsStateForUpdate(fcinfo, 0, &SrmStateLayout, &empty));
}

/*
 * Transition function of srm_check(is_treatment, expected_treatment_share):
 * the share must be the same on every row, strictly between 0 and 1.
 */
Datum
vinylops_srm_check_accum_share(PG_FUNCTION_ARGS)
{
	SrmState	empty = {{0, 0}, 0};
	SrmState   *state;
	double		share;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("srm_check expected_treatment_share must not be null")));
	share = PG_GETARG_FLOAT8(2);
	if (!(share > 0 && share < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("srm_check expected_treatment_share must be between 0 and 1, exclusive"),
				 errdetail("The share given is %s.", float8out_internal(share))));
	empty.expected_share = share;
	state = StatsStateForUpdate(fcinfo, 0, &SrmStateLayout, &empty);
	CheckSameShare(state->expected_share, share);
	return AccumRow(fcinfo, state);
}

/* Combine function: adds the counts of two partial states. */
Datum
vinylops_srm_check_combine(PG_FUNCTION_ARGS)
{
	SrmState   *state;
	const SrmState *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = (const SrmState *) PG_GETARG_POINTER(1);
	state = StatsStateForUpdate(fcinfo, 0, &SrmStateLayout, other);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(state);
	CheckSameShare(state->expected_share, other->expected_share);
	AddCount(&state->n[0], other->n[0]);
	AddCount(&state->n[1], other->n[1]);
	PG_RETURN_POINTER(state);
}

/* Stores a computed statistic in a result column. */
static void
SetResult(Datum *values, bool *nulls, int column, double value)
{
	values[column] = Float8GetDatum(StatsCheckedResult(value));
	nulls[column] = false;
}

/*
 * Final function: the vinylops.srm_result of a state.  No rows at all in the
 * two-argument form leaves even the expected share unknown (NULL).
 */
Datum
vinylops_srm_check_final(PG_FUNCTION_ARGS)
{
	const SrmState *s = PG_ARGISNULL(0) ? NULL : (const SrmState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[SRM_NCOLUMNS];
	bool		nulls[SRM_NCOLUMNS];
	double		n_c,
				n_t,
				total,
				expected_t,
				expected_c,
				chi_square,
				p;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "srm_check_final must return a composite type");
	Assert(tupdesc->natts == SRM_NCOLUMNS);
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nulls, true, sizeof(nulls));
	values[SRM_N_CONTROL] = Int64GetDatum(s ? s->n[0] : 0);
	values[SRM_N_TREATMENT] = Int64GetDatum(s ? s->n[1] : 0);
	nulls[SRM_N_CONTROL] = nulls[SRM_N_TREATMENT] = false;
	if (s != NULL)
	{
		SetResult(values, nulls, SRM_EXPECTED_SHARE, s->expected_share);
		n_c = (double) s->n[0];
		n_t = (double) s->n[1];
		total = n_c + n_t;
		if (total > 0)
		{
			expected_t = total * s->expected_share;
			expected_c = total * (1.0 - s->expected_share);
			chi_square = (n_t - expected_t) * (n_t - expected_t) / expected_t +
				(n_c - expected_c) * (n_c - expected_c) / expected_c;
			p = ChiSquare1Upper(chi_square);
			SetResult(values, nulls, SRM_OBSERVED_SHARE, n_t / total);
			SetResult(values, nulls, SRM_CHI_SQUARE, chi_square);
			SetResult(values, nulls, SRM_P_VALUE, p);
			values[SRM_MISMATCH] = BoolGetDatum(p < SRM_ALPHA);
			nulls[SRM_MISMATCH] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
