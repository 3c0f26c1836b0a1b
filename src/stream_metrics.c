/*
 * stream_metrics.c — transition, combine and final functions of the
 * engagement_score, experience_score and stream_metrics aggregates.
 *
 * All three share vinylops.stream_metrics_state (stream_metrics_state.h):
 * each transition function fills the counts its aggregate needs, one combine
 * function merges partial states for parallel and partitionwise plans, and
 * the final functions turn counts into percentages.  NULL rules are in
 * doc/aggregates.md.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"

#include "int64_fields.h"
#include "percent.h"
#include "stream_metrics_state.h"

PG_FUNCTION_INFO_V1(vinylops_engagement_score_accum);
PG_FUNCTION_INFO_V1(vinylops_experience_score_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_combine);
PG_FUNCTION_INFO_V1(vinylops_engagement_score_final);
PG_FUNCTION_INFO_V1(vinylops_experience_score_final);
PG_FUNCTION_INFO_V1(vinylops_stream_metrics_final);

#define STREAM_METRICS_RESULT_NATTS 7

/* The state argument 0 ready to be updated in place (int64_fields.h). */
static inline StreamMetricsState *
WritableState(FunctionCallInfo fcinfo)
{
	return (StreamMetricsState *) WritableAggState(fcinfo, sizeof(StreamMetricsState));
}

/* Counts one input row. */
static inline void
CountRow(StreamMetricsState *state)
{
	if (unlikely(pg_add_s64_overflow(state->rows, 1, &state->rows)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_metrics_state row count is out of range")));
}

/*
 * Counts a boolean argument: non-NULL values, and among them TRUE values.
 * Branch-free, because on real data the flags are close to random and a
 * mispredicted branch per flag costs more than the additions.  Both counts
 * are bounded by rows, which is overflow-checked.
 */
static inline void
CountFlag(FunctionCallInfo fcinfo, int argno, int64 *trues, int64 *nonnull)
{
	int64		present = !PG_ARGISNULL(argno);

	*nonnull += present;
	*trues += present & (int64) (DatumGetBool(PG_GETARG_DATUM(argno)) != 0);
}

/* Reads a duration argument; negative values are an error (doc/aggregates.md). */
static inline bool
GetDuration(FunctionCallInfo fcinfo, int argno, const char *name, int64 *value)
{
	int32		v;

	if (PG_ARGISNULL(argno))
		return false;
	v = PG_GETARG_INT32(argno);
	if (unlikely(v < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", name),
				 errdetail("Got %d; durations are counted in whole seconds from zero.", v)));
	*value = v;
	return true;
}

/* Adds a non-negative duration to a sum, raising an error on overflow. */
static inline void
AddToSum(int64 *sum, int64 value)
{
	if (unlikely(pg_add_s64_overflow(*sum, value, sum)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_metrics_state duration sum is out of range")));
}

/*
 * Counts the two duration arguments: the stream duration wherever it is
 * non-NULL (for the mean), both where both are non-NULL (for listen-through).
 */
static inline void
CountDurations(FunctionCallInfo fcinfo, StreamMetricsState *state, int stream_arg, int track_arg)
{
	int64		stream = 0;
	int64		track = 0;
	bool		has_stream = GetDuration(fcinfo, stream_arg, "stream_duration_sec", &stream);
	bool		has_track = GetDuration(fcinfo, track_arg, "track_duration_sec", &track);

	if (!has_stream)
		return;
	state->duration_n++;
	AddToSum(&state->duration_sum, stream);
	if (!has_track)
		return;
	state->paired_n++;
	AddToSum(&state->paired_stream_sum, stream);
	AddToSum(&state->paired_track_sum, track);
}

/* engagement_score transition: (state, completed, replayed, added_to_playlist). */
Datum
vinylops_engagement_score_accum(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = WritableState(fcinfo);

	CountRow(state);
	CountFlag(fcinfo, 1, &state->completed_true, &state->completed_n);
	CountFlag(fcinfo, 2, &state->replayed_true, &state->replayed_n);
	CountFlag(fcinfo, 3, &state->playlisted_true, &state->playlisted_n);
	PG_RETURN_POINTER(state);
}

/* experience_score transition: (state, completed, skipped, stream sec, track sec). */
Datum
vinylops_experience_score_accum(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = WritableState(fcinfo);

	CountRow(state);
	CountFlag(fcinfo, 1, &state->completed_true, &state->completed_n);
	CountFlag(fcinfo, 2, &state->skipped_true, &state->skipped_n);
	CountDurations(fcinfo, state, 3, 4);
	PG_RETURN_POINTER(state);
}

/*
 * stream_metrics transition: (state, completed, skipped, replayed,
 * added_to_playlist, stream sec, track sec).
 */
Datum
vinylops_stream_metrics_accum(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = WritableState(fcinfo);

	CountRow(state);
	CountFlag(fcinfo, 1, &state->completed_true, &state->completed_n);
	CountFlag(fcinfo, 2, &state->skipped_true, &state->skipped_n);
	CountFlag(fcinfo, 3, &state->replayed_true, &state->replayed_n);
	CountFlag(fcinfo, 4, &state->playlisted_true, &state->playlisted_n);
	CountDurations(fcinfo, state, 5, 6);
	PG_RETURN_POINTER(state);
}

/* The bit of one flag argument in the row's non-NULL and TRUE masks. */
static inline void
ReadFlag(FunctionCallInfo fcinfo, int argno, uint8 bit, StreamMetricsRow *row)
{
	if (PG_ARGISNULL(argno))
		return;
	row->nonnull |= bit;
	if (DatumGetBool(PG_GETARG_DATUM(argno)))
		row->trues |= bit;
}

void
StreamMetricsReadRow(FunctionCallInfo fcinfo, int first_arg, StreamMetricsRow *row)
{
	int64		v = 0;

	memset(row, 0, sizeof(*row));
	ReadFlag(fcinfo, first_arg, STREAM_METRICS_COMPLETED, row);
	ReadFlag(fcinfo, first_arg + 1, STREAM_METRICS_SKIPPED, row);
	ReadFlag(fcinfo, first_arg + 2, STREAM_METRICS_REPLAYED, row);
	ReadFlag(fcinfo, first_arg + 3, STREAM_METRICS_PLAYLISTED, row);
	row->has_stream = GetDuration(fcinfo, first_arg + 4, "stream_duration_sec", &v);
	row->stream_sec = (int32) v;
}

void
StreamMetricsReadTrack(FunctionCallInfo fcinfo, int argno, StreamMetricsRow *row)
{
	int64		v = 0;

	row->has_track = GetDuration(fcinfo, argno, "track_duration_sec", &v);
	row->track_sec = (int32) v;
}

/* Adds one flag's bits of the row's masks to its two counts. */
static inline void
CountRowFlag(const StreamMetricsRow *row, uint8 bit, int64 *trues, int64 *nonnull)
{
	*nonnull += (row->nonnull & bit) != 0;
	*trues += (row->trues & bit) != 0;
}

void
StreamMetricsCountRow(StreamMetricsState *state, const StreamMetricsRow *row)
{
	CountRow(state);
	CountRowFlag(row, STREAM_METRICS_COMPLETED, &state->completed_true, &state->completed_n);
	CountRowFlag(row, STREAM_METRICS_SKIPPED, &state->skipped_true, &state->skipped_n);
	CountRowFlag(row, STREAM_METRICS_REPLAYED, &state->replayed_true, &state->replayed_n);
	CountRowFlag(row, STREAM_METRICS_PLAYLISTED, &state->playlisted_true, &state->playlisted_n);
	if (!row->has_stream)
		return;
	state->duration_n++;
	AddToSum(&state->duration_sum, row->stream_sec);
	if (!row->has_track)
		return;
	state->paired_n++;
	AddToSum(&state->paired_stream_sum, row->stream_sec);
	AddToSum(&state->paired_track_sum, row->track_sec);
}

/* Combine function of all three aggregates: adds the second state into the first. */
Datum
vinylops_stream_metrics_combine(PG_FUNCTION_ARGS)
{
	StreamMetricsState *state = WritableState(fcinfo);

	StreamMetricsStateAdd(state, (StreamMetricsState *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(state);
}

/* 0.4 × completion % + 0.3 × replay % + 0.3 × playlist-add %, or NULL. */
Datum
vinylops_engagement_score_final(PG_FUNCTION_ARGS)
{
	StreamMetricsState *s = (StreamMetricsState *) PG_GETARG_POINTER(0);
	double		completion,
				replay,
				playlist;

	if (!Percent(s->completed_true, s->completed_n, &completion) ||
		!Percent(s->replayed_true, s->replayed_n, &replay) ||
		!Percent(s->playlisted_true, s->playlisted_n, &playlist))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(0.4 * completion + 0.3 * replay + 0.3 * playlist);
}

/*
 * 0.5 × completion % + 0.3 × (100 − skip %) + 0.2 × listen-through %, or
 * NULL; listen-through % = 100 × Σ stream sec / Σ track sec over rows with both.
 */
Datum
vinylops_experience_score_final(PG_FUNCTION_ARGS)
{
	StreamMetricsState *s = (StreamMetricsState *) PG_GETARG_POINTER(0);
	double		completion,
				skip,
				listen;

	if (!Percent(s->completed_true, s->completed_n, &completion) ||
		!Percent(s->skipped_true, s->skipped_n, &skip) ||
		!Percent(s->paired_stream_sum, s->paired_track_sum, &listen))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(0.5 * completion + 0.3 * (100.0 - skip) + 0.2 * listen);
}

/* The blessed descriptor of vinylops.stream_metrics_result, cached per call site. */
static TupleDesc
ResultDescriptor(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	MemoryContext oldcontext;

	if (tupdesc != NULL)
		return tupdesc;
	oldcontext = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "stream_metrics_final must return a composite type");
	if (tupdesc->natts != STREAM_METRICS_RESULT_NATTS)
		elog(ERROR, "stream_metrics_result has %d attributes, expected %d",
			 tupdesc->natts, STREAM_METRICS_RESULT_NATTS);
	tupdesc = BlessTupleDesc(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	fcinfo->flinfo->fn_extra = tupdesc;
	return tupdesc;
}

/* Stores a percentage (or NULL) into one field of the result row. */
static inline void
SetPercent(Datum *values, bool *nulls, int attno, int64 part, int64 whole)
{
	double		pct;

	nulls[attno] = !Percent(part, whole, &pct);
	values[attno] = nulls[attno] ? (Datum) 0 : Float8GetDatum(pct);
}

/*
 * The stream_metrics_result row: streams (all input rows), the four flag
 * rates, the mean stream duration and listen-through; NULL where the
 * denominator is zero.
 */
Datum
vinylops_stream_metrics_final(PG_FUNCTION_ARGS)
{
	StreamMetricsState *s = (StreamMetricsState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc = ResultDescriptor(fcinfo);
	Datum		values[STREAM_METRICS_RESULT_NATTS];
	bool		nulls[STREAM_METRICS_RESULT_NATTS];

	values[0] = Int64GetDatum(s->rows);
	nulls[0] = false;
	SetPercent(values, nulls, 1, s->completed_true, s->completed_n);
	SetPercent(values, nulls, 2, s->skipped_true, s->skipped_n);
	SetPercent(values, nulls, 3, s->replayed_true, s->replayed_n);
	SetPercent(values, nulls, 4, s->playlisted_true, s->playlisted_n);
	nulls[5] = s->duration_n == 0;
	values[5] = nulls[5] ? (Datum) 0
		: Float8GetDatum((double) s->duration_sum / (double) s->duration_n);
	SetPercent(values, nulls, 6, s->paired_stream_sum, s->paired_track_sum);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
