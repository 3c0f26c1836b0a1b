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
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"

#include "stream_metrics_state.h"

PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_in);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_out);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_recv);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_send);

#define STATE_BINARY_BYTES ((int) (STREAM_METRICS_STATE_FIELDS * sizeof(int64)))

/*
 * The text form, field by field: the literal that precedes each value and
 * the field it fills.  Binary send/recv use the same order.
 */
typedef struct StateField
{
	const char *prefix;
	const char *name;
	size_t		offset;
} StateField;

static const StateField state_fields[STREAM_METRICS_STATE_FIELDS] = {
	{"rows=", "rows", offsetof(StreamMetricsState, rows)},
	{" completed=", "completed_true", offsetof(StreamMetricsState, completed_true)},
	{"/", "completed_n", offsetof(StreamMetricsState, completed_n)},
	{" skipped=", "skipped_true", offsetof(StreamMetricsState, skipped_true)},
	{"/", "skipped_n", offsetof(StreamMetricsState, skipped_n)},
	{" replayed=", "replayed_true", offsetof(StreamMetricsState, replayed_true)},
	{"/", "replayed_n", offsetof(StreamMetricsState, replayed_n)},
	{" playlisted=", "playlisted_true", offsetof(StreamMetricsState, playlisted_true)},
	{"/", "playlisted_n", offsetof(StreamMetricsState, playlisted_n)},
	{" duration=", "duration_sum", offsetof(StreamMetricsState, duration_sum)},
	{"/", "duration_n", offsetof(StreamMetricsState, duration_n)},
	{" listen=", "paired_stream_sum", offsetof(StreamMetricsState, paired_stream_sum)},
	{"/", "paired_track_sum", offsetof(StreamMetricsState, paired_track_sum)},
	{"/", "paired_n", offsetof(StreamMetricsState, paired_n)},
};

/* The storage of field i of a state. */
static inline int64 *
FieldPtr(StreamMetricsState *state, int i)
{
	return (int64 *) ((char *) state + state_fields[i].offset);
}

/* The value of field i of a state. */
static inline int64
FieldValue(const StreamMetricsState *state, int i)
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
			 errmsg("invalid input syntax for type stream_metrics_state: \"%s\"", input),
			 errdetail_internal("%s", detail)));
}

/*
 * Reads the canonical decimal form of a non-negative int64 (no sign, no
 * leading zero) at *pos and advances past it.
 */
static int64
ReadCount(const char *input, const char **pos, const char *field)
{
	const char *p = *pos;
	int64		value = 0;

	if (*p == '-')
		SyntaxError(input, psprintf("Field \"%s\" is negative; counts and sums are never negative.", field));
	if (*p < '0' || *p > '9')
		SyntaxError(input, psprintf("Field \"%s\" is not an unsigned decimal integer.", field));
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		SyntaxError(input, psprintf("Field \"%s\" has a leading zero.", field));
	for (; *p >= '0' && *p <= '9'; p++)
	{
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_add_s64_overflow(value, *p - '0', &value))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value of field \"%s\" is out of range for type stream_metrics_state",
							field),
					 errdetail("Counts and sums are at most 9223372036854775807.")));
	}
	*pos = p;
	return value;
}

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
	int			i;

	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
		if (FieldValue(s, i) < 0)
			return psprintf("Field \"%s\" is %lld; counts and sums are never negative.",
							state_fields[i].name, (long long) FieldValue(s, i));
	if ((problem = FlagProblem("completed", s->completed_true, s->completed_n, s->rows)) ||
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

/* At most maxbytes bytes of text, cut on a character boundary, with "..." if cut. */
static char *
ClippedText(const char *text, int maxbytes)
{
	int			len = strlen(text);
	int			cut = pg_mbcliplen(text, len, maxbytes);

	return psprintf("%.*s%s", cut, text, cut < len ? "..." : "");
}

/* Text input: exactly the canonical form stream_metrics_state_out writes. */
Datum
vinylops_stream_metrics_state_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *pos = input;
	StreamMetricsState *state = palloc(sizeof(StreamMetricsState));
	int			i;

	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
	{
		size_t		len = strlen(state_fields[i].prefix);

		if (strncmp(pos, state_fields[i].prefix, len) != 0)
			SyntaxError(input, psprintf("Expected \"%s\" at character %d.",
										state_fields[i].prefix,
										pg_mbstrlen_with_len(input, pos - input) + 1));
		pos += len;
		*FieldPtr(state, i) = ReadCount(input, &pos, state_fields[i].name);
	}
	if (*pos != '\0')
		SyntaxError(input, psprintf("Unexpected text \"%s\" after the last field.",
									ClippedText(pos, 20)));
	ValidateState(state, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Text output: "rows=N completed=T/N ... listen=S/T/N" (doc/aggregates.md). */
Datum
vinylops_stream_metrics_state_out(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = (StreamMetricsState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, state_fields[i].prefix, FieldValue(state, i));
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: exactly 14 big-endian int64 in text-form order, validated. */
Datum
vinylops_stream_metrics_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			remaining = buf->len - buf->cursor;
	StreamMetricsState *state;
	int			i;

	if (remaining != STATE_BINARY_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary stream_metrics_state value"),
				 errdetail("The value has %d bytes; a stream_metrics_state has exactly %d.",
						   remaining, STATE_BINARY_BYTES)));
	state = palloc(sizeof(StreamMetricsState));
	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
		*FieldPtr(state, i) = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	ValidateState(state, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(state);
}

/* Binary output: 14 big-endian int64 in text-form order. */
Datum
vinylops_stream_metrics_state_send(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = (StreamMetricsState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
		pq_sendint64(&buf, FieldValue(state, i));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Adds one state into another field by field; overflow is an error. */
void
StreamMetricsStateAdd(StreamMetricsState *into, const StreamMetricsState *from)
{
	int			i;

	for (i = 0; i < STREAM_METRICS_STATE_FIELDS; i++)
	{
		int64	   *a = FieldPtr(into, i);
		int64		b = FieldValue(from, i);

		if (pg_add_s64_overflow(*a, b, a))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("stream_metrics_state field \"%s\" is out of range", state_fields[i].name),
					 errdetail("Counts and sums are at most 9223372036854775807.")));
	}
}
