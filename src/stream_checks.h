/*
 * stream_checks.h — the counters of the stream_checks aggregates, and the
 * expanded form their state takes inside stream_checks_keyed, where the
 * track-duration checks of a stream wait a few rows for the prefetched
 * duration.
 *
 * The state's value is a plain bigint[] of STREAM_CHECKS_FIELDS counters
 * everywhere outside the transition (combine, final, a parallel worker's
 * result, Citus): the expanded object flattens to exactly that array, after
 * counting the rows still waiting.
 */
#ifndef VINYLOPS_STREAM_CHECKS_H
#define VINYLOPS_STREAM_CHECKS_H

#include "postgres.h"

#include "utils/expandeddatum.h"

/* The state's elements, in order (bigint[] subscripts 1 .. STREAM_CHECKS_FIELDS). */
enum
{
	CHK_STREAMS,				/* rows */
	CHK_NO_USER_KEY,			/* user_key IS NULL */
	CHK_NO_TRACK_KEY,			/* track_key IS NULL */
	CHK_UNKNOWN_TRACK,			/* a track_key whose track duration is NULL or negative */
	CHK_LONGER_THAN_TRACK,		/* stream_duration_sec > track_duration_sec >= 0 */
	CHK_LONGEST_EXCESS,			/* the largest such difference, 0 when none */
	CHK_COMPLETED_AND_SKIPPED,
	CHK_ZERO_DURATION,
	CHK_HOUR_MISMATCH,			/* hour_of_day IS DISTINCT FROM the hour of stream_time */
	CHK_FUTURE,					/* stream_date > today */
	CHK_LATEST_DATE,			/* max(stream_date) as a DateADT, NO_DATE when none */
	STREAM_CHECKS_FIELDS
};

#define NO_DATE PG_INT64_MIN

/*
 * Rows whose track duration is read from an array that outlives them wait
 * this many transitions: track keys come in random order, so each lookup is
 * a cache miss; the transition prefetches the element and reads it this many
 * rows later (as cell_metrics_keyed and stream_tally do).
 */
#define STREAM_CHECKS_LOOKAHEAD 16

/* The track checks of one stream with a track key, waiting for its duration. */
typedef struct StreamChecksPending
{
	const int32 *track_sec_at;	/* the duration's element (negative: no such track) */
	int32		stream_sec;
	bool		has_stream_sec;
} StreamChecksPending;

typedef struct StreamChecks
{
	ExpandedObjectHeader hdr;
	int32		magic;			/* STREAM_CHECKS_MAGIC */
	int32		npending;
	int32		cursor;			/* the waiting row counted next, when full */
	int64		counters[STREAM_CHECKS_FIELDS];
	StreamChecksPending pending[STREAM_CHECKS_LOOKAHEAD];
} StreamChecks;

#define STREAM_CHECKS_MAGIC 0x73636b73

/* Adds 1 to a counter; error on overflow. */
extern void StreamChecksIncrement(int64 *counter);

/*
 * The track checks of a stream: a track key (not NULL) with no such track
 * (track_sec_at NULL or on a negative element), and a stream longer than its
 * track (both durations known, the track's not negative).
 */
extern void StreamChecksCountTrack(int64 *c, bool has_track_key, const int32 *track_sec_at,
								   bool has_stream_sec, int32 stream_sec);

/* A new expanded state in a child of parent, holding the counters c. */
extern StreamChecks *StreamChecksNew(MemoryContext parent, const int64 *c);

/* The expanded state d points to (read/write), or NULL when d is anything else. */
extern StreamChecks *StreamChecksExpandedOf(Datum d);

/* Prefetches the row's track duration and counts the row that waited longest. */
extern void StreamChecksQueue(StreamChecks *s, const StreamChecksPending *row);

/* The R/W datum of a state. */
static inline Datum
StreamChecksGetDatum(StreamChecks *s)
{
	return EOHPGetRWDatum(&s->hdr);
}

#endif							/* VINYLOPS_STREAM_CHECKS_H */
