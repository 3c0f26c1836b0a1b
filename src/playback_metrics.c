/*
 * playback_metrics.c — the playback_metrics aggregate behind playback_health:
 * per group of player events, in one call per row, the counts and the sum
 * that the report's ratios are made of (plays, buffer events, buffer time,
 * errors), with its concrete state type vinylops.playback_metrics_state.
 *
 * Only counts and integer sums: partial states add exactly in any order, so
 * a parallel or Citus plan gives the serial state bit for bit.  Anyone can
 * write '...'::vinylops.playback_metrics_state or send one in binary, so
 * input accepts exactly the canonical form output writes and rejects every
 * state that no set of rows could have produced (doc/platform.md).
 */
#include "postgres.h"

#include <stddef.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"

#include "int64_fields.h"

PG_FUNCTION_INFO_V1(vinylops_playback_metrics_state_in);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_state_out);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_state_recv);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_state_send);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_accum);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_combine);
PG_FUNCTION_INFO_V1(vinylops_playback_metrics_final);

/*
 * Every field is an int64.  events counts every input row; plays, buffers
 * and errors the rows whose event_type is 'play', 'buffer', 'error';
 * buffer_ms_n the buffers with a non-NULL duration_ms and buffer_ms_sum
 * their sum (the only field that may be negative: a table whose CHECK was
 * dropped can hold negative durations, and the report sums what is there).
 * The SQL type has INTERNALLENGTH = 48: keep the two in step.
 */
typedef struct PlaybackMetricsState
{
	int64		events;
	int64		plays;
	int64		buffers;
	int64		buffer_ms_sum;
	int64		buffer_ms_n;
	int64		errors;
} PlaybackMetricsState;

#define PLAYBACK_METRICS_FIELDS 6
#define PLAYBACK_METRICS_RESULT_NATTS 5

StaticAssertDecl(sizeof(PlaybackMetricsState) == PLAYBACK_METRICS_FIELDS * sizeof(int64),
				 "PlaybackMetricsState must be a plain run of int64 fields");

/* The text form field by field: the literal before each value and the field it fills. */
static const Int64Field state_fields[PLAYBACK_METRICS_FIELDS] = {
	{"events=", "events", offsetof(PlaybackMetricsState, events), false},
	{" plays=", "plays", offsetof(PlaybackMetricsState, plays), false},
	{" buffers=", "buffers", offsetof(PlaybackMetricsState, buffers), false},
	{" buffer_ms=", "buffer_ms_sum", offsetof(PlaybackMetricsState, buffer_ms_sum), true},
	{"/", "buffer_ms_n", offsetof(PlaybackMetricsState, buffer_ms_n), false},
	{" errors=", "errors", offsetof(PlaybackMetricsState, errors), false},
};

static const Int64FieldsLayout layout = {
	"playback_metrics_state", PLAYBACK_METRICS_FIELDS, state_fields
};

/*
 * Why a state could not come from any set of rows, or NULL when it could:
 * counts are non-negative, plays + buffers + errors fit in events, the
 * buffers with a duration fit in the buffers, and the sum is reachable by
 * that many int32 durations.
 */
static char *
StateProblem(const PlaybackMetricsState *s)
{
	int64		kinds;
	int64		lo,
				hi;
	char	   *problem = Int64FieldsNegativeProblem(&layout, s);

	if (problem != NULL)
		return problem;
	if (pg_add_s64_overflow(s->plays, s->buffers, &kinds) ||
		pg_add_s64_overflow(kinds, s->errors, &kinds) || kinds > s->events)
		return psprintf("Plays, buffers and errors (%lld, %lld, %lld) add up to more than the %lld events.",
						(long long) s->plays, (long long) s->buffers, (long long) s->errors,
						(long long) s->events);
	if (s->buffer_ms_n > s->buffers)
		return psprintf("The state counts more buffer durations (%lld) than buffers (%lld).",
						(long long) s->buffer_ms_n, (long long) s->buffers);
	/* n durations in [-2^31, 2^31 - 1]; beyond int64 the bound holds anyway. */
	if (!pg_mul_s64_overflow(s->buffer_ms_n, (int64) PG_INT32_MIN, &lo) && s->buffer_ms_sum < lo)
		return psprintf("A sum of %lld buffer durations cannot be %lld.",
						(long long) s->buffer_ms_n, (long long) s->buffer_ms_sum);
	if (!pg_mul_s64_overflow(s->buffer_ms_n, (int64) PG_INT32_MAX, &hi) && s->buffer_ms_sum > hi)
		return psprintf("A sum of %lld buffer durations cannot be %lld.",
						(long long) s->buffer_ms_n, (long long) s->buffer_ms_sum);
	return NULL;
}

/* Raises an error with the given code if the state is impossible. */
static void
ValidateState(const PlaybackMetricsState *state, int sqlerrcode)
{
	char	   *problem = StateProblem(state);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg("inconsistent playback_metrics_state value"),
				 errdetail_internal("%s", problem)));
}

/* Text input: exactly the canonical form playback_metrics_state_out writes. */
Datum
vinylops_playback_metrics_state_in(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = palloc(sizeof(PlaybackMetricsState));

	Int64FieldsParse(&layout, PG_GETARG_CSTRING(0), state);
	ValidateState(state, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Text output: "events=N plays=N buffers=N buffer_ms=S/N errors=N". */
Datum
vinylops_playback_metrics_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(Int64FieldsFormat(&layout, PG_GETARG_POINTER(0)));
}

/* Binary input: exactly six big-endian int64 in text-form order, validated. */
Datum
vinylops_playback_metrics_state_recv(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = palloc(sizeof(PlaybackMetricsState));

	Int64FieldsReceive(&layout, (StringInfo) PG_GETARG_POINTER(0), state);
	ValidateState(state, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Binary output: six big-endian int64 in text-form order. */
Datum
vinylops_playback_metrics_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(Int64FieldsSend(&layout, PG_GETARG_POINTER(0)));
}

/* The state argument ready to be updated in place (int64_fields.h). */
static inline PlaybackMetricsState *
WritableState(FunctionCallInfo fcinfo)
{
	return (PlaybackMetricsState *) WritableAggState(fcinfo, sizeof(PlaybackMetricsState));
}

/* Raises the overflow error of a field. */
static void
pg_attribute_noreturn()
OverflowError(const char *field)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("playback_metrics_state field \"%s\" is out of range", field),
			 errdetail("Fields are 64-bit integers.")));
}

/* Whether a text datum is exactly the given ASCII word. */
static inline bool
TextIs(const text *t, const char *word, int wordlen)
{
	return VARSIZE_ANY_EXHDR(t) == wordlen && memcmp(VARDATA_ANY(t), word, wordlen) == 0;
}

/*
 * playback_metrics transition: (state, event_type, duration_ms).  Every row
 * counts in events; 'play', 'buffer' and 'error' in their counts, and a
 * buffer's non-NULL duration in the buffer time.  Other types ('pause',
 * 'resume', 'stop', anything else, NULL) count only as events.
 */
Datum
vinylops_playback_metrics_accum(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = WritableState(fcinfo);
	text	   *kind;

	if (unlikely(pg_add_s64_overflow(state->events, 1, &state->events)))
		OverflowError("events");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);
	kind = PG_GETARG_TEXT_PP(1);
	/* events bounds the three counts, so they cannot overflow. */
	if (TextIs(kind, "play", 4))
		state->plays++;
	else if (TextIs(kind, "buffer", 6))
	{
		state->buffers++;
		if (!PG_ARGISNULL(2))
		{
			state->buffer_ms_n++;
			if (unlikely(pg_add_s64_overflow(state->buffer_ms_sum, PG_GETARG_INT32(2),
											 &state->buffer_ms_sum)))
				OverflowError("buffer_ms_sum");
		}
	}
	else if (TextIs(kind, "error", 5))
		state->errors++;
	PG_RETURN_POINTER(state);
}

/* Combine: adds the second state into the first, field by field; overflow is an error. */
Datum
vinylops_playback_metrics_combine(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = WritableState(fcinfo);

	Int64FieldsAdd(&layout, state, PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(state);
}

/* The blessed descriptor of vinylops.playback_metrics_result, cached per call site. */
static TupleDesc
ResultDescriptor(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	MemoryContext oldcontext;

	if (tupdesc != NULL)
		return tupdesc;
	oldcontext = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "playback_metrics_final must return a composite type");
	if (tupdesc->natts != PLAYBACK_METRICS_RESULT_NATTS)
		elog(ERROR, "playback_metrics_result has %d attributes, expected %d",
			 tupdesc->natts, PLAYBACK_METRICS_RESULT_NATTS);
	tupdesc = BlessTupleDesc(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	fcinfo->flinfo->fn_extra = tupdesc;
	return tupdesc;
}

/*
 * The playback_metrics_result row: events, plays, buffer_events, buffer_ms
 * (Σ duration_ms of the buffers, 0 without any) and errors.
 */
Datum
vinylops_playback_metrics_final(PG_FUNCTION_ARGS)
{
	const PlaybackMetricsState *s = (const PlaybackMetricsState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc = ResultDescriptor(fcinfo);
	Datum		values[PLAYBACK_METRICS_RESULT_NATTS];
	bool		nulls[PLAYBACK_METRICS_RESULT_NATTS] = {false};

	values[0] = Int64GetDatum(s->events);
	values[1] = Int64GetDatum(s->plays);
	values[2] = Int64GetDatum(s->buffers);
	values[3] = Int64GetDatum(s->buffer_ms_sum);
	values[4] = Int64GetDatum(s->errors);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
