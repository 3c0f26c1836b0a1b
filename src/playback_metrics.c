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
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"

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
#define PLAYBACK_METRICS_BINARY_BYTES ((int) (PLAYBACK_METRICS_FIELDS * sizeof(int64)))
#define PLAYBACK_METRICS_RESULT_NATTS 5

StaticAssertDecl(sizeof(PlaybackMetricsState) == PLAYBACK_METRICS_FIELDS * sizeof(int64),
				 "PlaybackMetricsState must be a plain run of int64 fields");

/* The text form field by field: the literal before each value and the field it fills. */
typedef struct StateField
{
	const char *prefix;
	const char *name;
	size_t		offset;
	bool		may_be_negative;
} StateField;

static const StateField state_fields[PLAYBACK_METRICS_FIELDS] = {
	{"events=", "events", offsetof(PlaybackMetricsState, events), false},
	{" plays=", "plays", offsetof(PlaybackMetricsState, plays), false},
	{" buffers=", "buffers", offsetof(PlaybackMetricsState, buffers), false},
	{" buffer_ms=", "buffer_ms_sum", offsetof(PlaybackMetricsState, buffer_ms_sum), true},
	{"/", "buffer_ms_n", offsetof(PlaybackMetricsState, buffer_ms_n), false},
	{" errors=", "errors", offsetof(PlaybackMetricsState, errors), false},
};

/* The storage of field i of a state. */
static inline int64 *
FieldPtr(PlaybackMetricsState *state, int i)
{
	return (int64 *) ((char *) state + state_fields[i].offset);
}

/* The value of field i of a state. */
static inline int64
FieldValue(const PlaybackMetricsState *state, int i)
{
	return *(const int64 *) ((const char *) state + state_fields[i].offset);
}

/* Raises the error for a text state that does not follow the canonical form. */
static void
pg_attribute_noreturn()
SyntaxError(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type playback_metrics_state: \"%s\"", input),
			 errdetail_internal("%s", detail)));
}

/*
 * Reads the canonical decimal form of an int64 at *pos (a '-' only where the
 * field may be negative; no '+', no leading zero, no "-0") and advances past it.
 */
static int64
ReadField(const char *input, const char **pos, const StateField *field)
{
	const char *p = *pos;
	bool		negative = false;
	int64		value = 0;

	if (*p == '-')
	{
		if (!field->may_be_negative)
			SyntaxError(input, psprintf("Field \"%s\" is negative; counts are never negative.",
										field->name));
		negative = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		SyntaxError(input, psprintf("Field \"%s\" is not a decimal integer.", field->name));
	if (p[0] == '0' && ((p[1] >= '0' && p[1] <= '9') || negative))
		SyntaxError(input, psprintf("Field \"%s\" is not in canonical form (leading zero or -0).",
									field->name));
	/* Accumulate negatively so that the most negative int64 reads too. */
	for (; *p >= '0' && *p <= '9'; p++)
	{
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value of field \"%s\" is out of range for type playback_metrics_state",
							field->name),
					 errdetail("Fields are 64-bit integers.")));
	}
	if (!negative && value == PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value of field \"%s\" is out of range for type playback_metrics_state",
						field->name),
				 errdetail("Fields are 64-bit integers.")));
	*pos = p;
	return negative ? value : -value;
}

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
	int			i;

	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
		if (!state_fields[i].may_be_negative && FieldValue(s, i) < 0)
			return psprintf("Field \"%s\" is %lld; counts are never negative.",
							state_fields[i].name, (long long) FieldValue(s, i));
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
	const char *input = PG_GETARG_CSTRING(0);
	const char *pos = input;
	PlaybackMetricsState *state = palloc(sizeof(PlaybackMetricsState));
	int			i;

	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
	{
		size_t		len = strlen(state_fields[i].prefix);

		if (strncmp(pos, state_fields[i].prefix, len) != 0)
			SyntaxError(input, psprintf("Expected \"%s\" at character %d.", state_fields[i].prefix,
										pg_mbstrlen_with_len(input, pos - input) + 1));
		pos += len;
		*FieldPtr(state, i) = ReadField(input, &pos, &state_fields[i]);
	}
	if (*pos != '\0')
		SyntaxError(input, psprintf("Unexpected text at character %d after the last field.",
									pg_mbstrlen_with_len(input, pos - input) + 1));
	ValidateState(state, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Text output: "events=N plays=N buffers=N buffer_ms=S/N errors=N". */
Datum
vinylops_playback_metrics_state_out(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = (PlaybackMetricsState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, state_fields[i].prefix, FieldValue(state, i));
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: exactly six big-endian int64 in text-form order, validated. */
Datum
vinylops_playback_metrics_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			remaining = buf->len - buf->cursor;
	PlaybackMetricsState *state;
	int			i;

	if (remaining != PLAYBACK_METRICS_BINARY_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary playback_metrics_state value"),
				 errdetail("The value has %d bytes; a playback_metrics_state has exactly %d.",
						   remaining, PLAYBACK_METRICS_BINARY_BYTES)));
	state = palloc(sizeof(PlaybackMetricsState));
	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
		*FieldPtr(state, i) = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	ValidateState(state, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Binary output: six big-endian int64 in text-form order. */
Datum
vinylops_playback_metrics_state_send(PG_FUNCTION_ARGS)
{
	PlaybackMetricsState *state = (PlaybackMetricsState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
		pq_sendint64(&buf, FieldValue(state, i));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * WritableState's general case: in an aggregate (the state lives in the
 * aggregate context) the state itself, otherwise a copy so a direct call
 * never changes its input.  A NULL state counts as empty.
 */
static pg_noinline PlaybackMetricsState *
WritableStateSlow(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	PlaybackMetricsState *state;

	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (!PG_ARGISNULL(0))
			return (PlaybackMetricsState *) PG_GETARG_POINTER(0);
		return MemoryContextAllocZero(aggcontext, sizeof(PlaybackMetricsState));
	}
	state = palloc0(sizeof(PlaybackMetricsState));
	if (!PG_ARGISNULL(0))
		memcpy(state, PG_GETARG_POINTER(0), sizeof(PlaybackMetricsState));
	return state;
}

/* The state argument ready to be updated in place; the plain-aggregate test is inlined. */
static inline PlaybackMetricsState *
WritableState(FunctionCallInfo fcinfo)
{
	if (likely(fcinfo->context != NULL && IsA(fcinfo->context, AggState) && !PG_ARGISNULL(0)))
		return (PlaybackMetricsState *) PG_GETARG_POINTER(0);
	return WritableStateSlow(fcinfo);
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
	const PlaybackMetricsState *other = (const PlaybackMetricsState *) PG_GETARG_POINTER(1);
	int			i;

	for (i = 0; i < PLAYBACK_METRICS_FIELDS; i++)
	{
		int64	   *a = FieldPtr(state, i);

		if (pg_add_s64_overflow(*a, FieldValue(other, i), a))
			OverflowError(state_fields[i].name);
	}
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
