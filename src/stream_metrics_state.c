/*
 * stream_metrics_state.c — text and binary I/O, validation and addition of
 * vinylops.stream_metrics_state.
 *
 * Anyone can write '...'::vinylops.stream_metrics_state or send one in
 * binary, and Citus ships partial states between nodes through these
 * functions, so input accepts exactly the canonical form that output writes
 * and rejects every state that no set of input rows could have produced.
 */
#include "postgres.h"

#include <stddef.h>

#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "int64_fields.h"
#include "stream_metrics_state.h"

PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_in);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_out);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_recv);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_send);

/*
 * The text form, field by field: the literal that precedes each value and
 * the field it fills.  Binary send/recv use the same order.
 */
static const Int64Field state_fields[STREAM_METRICS_STATE_FIELDS] = {
	{"rows=", "rows", offsetof(StreamMetricsState, rows), false},
	{" completed=", "completed_true", offsetof(StreamMetricsState, completed_true), false},
	{"/", "completed_n", offsetof(StreamMetricsState, completed_n), false},
	{" skipped=", "skipped_true", offsetof(StreamMetricsState, skipped_true), false},
	{"/", "skipped_n", offsetof(StreamMetricsState, skipped_n), false},
	{" replayed=", "replayed_true", offsetof(StreamMetricsState, replayed_true), false},
	{"/", "replayed_n", offsetof(StreamMetricsState, replayed_n), false},
	{" playlisted=", "playlisted_true", offsetof(StreamMetricsState, playlisted_true), false},
	{"/", "playlisted_n", offsetof(StreamMetricsState, playlisted_n), false},
	{" duration=", "duration_sum", offsetof(StreamMetricsState, duration_sum), false},
	{"/", "duration_n", offsetof(StreamMetricsState, duration_n), false},
	{" listen=", "paired_stream_sum", offsetof(StreamMetricsState, paired_stream_sum), false},
	{"/", "paired_track_sum", offsetof(StreamMetricsState, paired_track_sum), false},
	{"/", "paired_n", offsetof(StreamMetricsState, paired_n), false},
};

static const Int64FieldsLayout layout = {
	"stream_metrics_state", STREAM_METRICS_STATE_FIELDS, state_fields
};

/* Whether n values, each in [0, PG_INT32_MAX], can add up to sum. */
static bool
SumIsReachable(int64 sum, int64 n)
{
	int64		most;

	if (pg_mul_s64_overflow(n, (int64) PG_INT32_MAX, &most))
		return true;			/* the bound is beyond int64, so any sum fits */
	return sum <= most;
}

/* The count relations one flag must satisfy, or NULL when it does. */
static char *
FlagProblem(const char *flag, int64 trues, int64 nonnull, int64 rows)
{
	if (trues > nonnull)
		return psprintf("Flag \"%s\" has more TRUE values (%lld) than non-NULL values (%lld).",
						flag, (long long) trues, (long long) nonnull);
	if (nonnull > rows)
		return psprintf("Flag \"%s\" has more non-NULL values (%lld) than the state has rows (%lld).",
						flag, (long long) nonnull, (long long) rows);
	return NULL;
}

/*
 * Why a state could not come from any set of input rows, or NULL when it
 * could: every count and sum is non-negative, sub-counts fit in their
 * counts, and each duration sum is reachable by that many integers in
 * [0, 2^31 - 1].
 */
static char *
StateProblem(const StreamMetricsState *s)
{
	char	   *problem;

	if ((problem = Int64FieldsNegativeProblem(&layout, s)) ||
		(problem = FlagProblem("completed", s->completed_true, s->completed_n, s->rows)) ||
		(problem = FlagProblem("skipped", s->skipped_true, s->skipped_n, s->rows)) ||
		(problem = FlagProblem("replayed", s->replayed_true, s->replayed_n, s->rows)) ||
		(problem = FlagProblem("playlisted", s->playlisted_true, s->playlisted_n, s->rows)))
		return problem;
	if (s->duration_n > s->rows)
		return psprintf("The state counts more stream durations (%lld) than rows (%lld).",
						(long long) s->duration_n, (long long) s->rows);
	if (s->paired_n > s->duration_n)
		return psprintf("More rows have both durations (%lld) than have a stream duration (%lld).",
						(long long) s->paired_n, (long long) s->duration_n);
	if (s->paired_stream_sum > s->duration_sum)
		return psprintf("The paired stream durations sum to %lld, more than all stream durations (%lld).",
						(long long) s->paired_stream_sum, (long long) s->duration_sum);
	if (!SumIsReachable(s->paired_stream_sum, s->paired_n) ||
		!SumIsReachable(s->duration_sum - s->paired_stream_sum, s->duration_n - s->paired_n))
		return psprintf("Stream durations (count %lld, sum %lld; paired count %lld, sum %lld) "
						"cannot come from values between 0 and 2147483647.",
						(long long) s->duration_n, (long long) s->duration_sum,
						(long long) s->paired_n, (long long) s->paired_stream_sum);
	if (!SumIsReachable(s->paired_track_sum, s->paired_n))
		return psprintf("Track durations (count %lld, sum %lld) "
						"cannot come from values between 0 and 2147483647.",
						(long long) s->paired_n, (long long) s->paired_track_sum);
	return NULL;
}

/* Raises an error with the given code if the state is impossible. */
static void
ValidateState(const StreamMetricsState *state, int sqlerrcode)
{
	char	   *problem = StateProblem(state);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg("inconsistent stream_metrics_state value"),
				 errdetail_internal("%s", problem)));
}

/* Text input: exactly the canonical form stream_metrics_state_out writes. */
Datum
vinylops_stream_metrics_state_in(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = palloc(sizeof(StreamMetricsState));

	Int64FieldsParse(&layout, PG_GETARG_CSTRING(0), state);
	ValidateState(state, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Text output: "rows=N completed=T/N ... listen=S/T/N" (doc/aggregates.md). */
Datum
vinylops_stream_metrics_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(Int64FieldsFormat(&layout, PG_GETARG_POINTER(0)));
}

/* Binary input: exactly 14 big-endian int64 in text-form order, validated. */
Datum
vinylops_stream_metrics_state_recv(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = palloc(sizeof(StreamMetricsState));

	Int64FieldsReceive(&layout, (StringInfo) PG_GETARG_POINTER(0), state);
	ValidateState(state, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Binary output: 14 big-endian int64 in text-form order. */
Datum
vinylops_stream_metrics_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(Int64FieldsSend(&layout, PG_GETARG_POINTER(0)));
}

/* Adds one state into another field by field; overflow is an error. */
void
StreamMetricsStateAdd(StreamMetricsState *into, const StreamMetricsState *from)
{
	Int64FieldsAdd(&layout, into, from);
}

bool
StreamMetricsStateValid(const StreamMetricsState *state)
{
	return StateProblem(state) == NULL;
}
