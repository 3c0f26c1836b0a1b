/*
 * stream_metrics_state.h — the state shared by engagement_score,
 * experience_score and stream_metrics.
 *
 * Only counts and integer sums: they add exactly and in any order, so a
 * parallel or partitionwise plan gives the same state, bit for bit, as a
 * serial one, and the text form round-trips without any float formatting.
 */
#ifndef VINYLOPS_STREAM_METRICS_STATE_H
#define VINYLOPS_STREAM_METRICS_STATE_H

#include "postgres.h"

#include "fmgr.h"

/*
 * Every field is a non-negative int64.  For each flag, *_true counts TRUE
 * inputs and *_n counts non-NULL inputs.  duration_* covers rows with a
 * non-NULL stream duration; paired_* covers rows where both durations are
 * non-NULL (the only rows listen-through uses).  The SQL type has
 * INTERNALLENGTH = 112: keep the two in step.
 *
 * The order is for speed, not for reading (the text and binary forms have
 * their own order, stream_metrics_state.c): under hash aggregation every row
 * reads its group's state from a cold cache line, so each transition
 * function's fields sit together.  engagement_score updates the first seven
 * (bytes 0-55), experience_score the last ten (bytes 32-111), and
 * stream_metrics all of them.
 */
typedef struct StreamMetricsState
{
	int64		playlisted_true;
	int64		playlisted_n;
	int64		replayed_true;
	int64		replayed_n;
	int64		rows;
	int64		completed_true;
	int64		completed_n;
	int64		skipped_true;
	int64		skipped_n;
	int64		paired_stream_sum;
	int64		paired_track_sum;
	int64		paired_n;
	int64		duration_sum;
	int64		duration_n;
} StreamMetricsState;

#define STREAM_METRICS_STATE_FIELDS 14

StaticAssertDecl(sizeof(StreamMetricsState) == STREAM_METRICS_STATE_FIELDS * sizeof(int64),
				 "StreamMetricsState must be a plain run of int64 fields");

/* Adds one state into another, raising an error on int64 overflow. */
extern void StreamMetricsStateAdd(StreamMetricsState *into, const StreamMetricsState *from);

/* Whether a state could come from some input rows (the checks of its input functions). */
extern bool StreamMetricsStateValid(const StreamMetricsState *state);

/*
 * One row's arguments to stream_metrics, read and checked, for a caller that
 * counts it later: for each flag (STREAM_METRICS_COMPLETED ...) whether it is
 * non-NULL and whether it is TRUE, and the durations when non-NULL.
 */
typedef struct StreamMetricsRow
{
	int32		stream_sec;
	int32		track_sec;
	uint8		nonnull;
	uint8		trues;
	bool		has_stream;
	bool		has_track;
} StreamMetricsRow;

#define STREAM_METRICS_COMPLETED	0x01
#define STREAM_METRICS_SKIPPED		0x02
#define STREAM_METRICS_REPLAYED		0x04
#define STREAM_METRICS_PLAYLISTED	0x08

/*
 * Reads the four flags and the stream duration of a row from fcinfo's
 * arguments first_arg .. first_arg + 4 (a negative duration is an error);
 * the track duration is the caller's to set (StreamMetricsReadTrack, or a
 * lookup).
 */
extern void StreamMetricsReadRow(FunctionCallInfo fcinfo, int first_arg, StreamMetricsRow *row);

/* Reads the track duration argument argno into the row (a negative one is an error). */
extern void StreamMetricsReadTrack(FunctionCallInfo fcinfo, int argno, StreamMetricsRow *row);

/* Counts a row read by StreamMetricsReadRow (its track duration, when set, not negative). */
extern void StreamMetricsCountRow(StreamMetricsState *state, const StreamMetricsRow *row);

#endif							/* VINYLOPS_STREAM_METRICS_STATE_H */
