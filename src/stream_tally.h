/*
 * stream_tally.h — vinylops.stream_tally, per-key stream counts in one dense
 * array: the state of the stream_tally aggregate, which the per-user reports
 * use instead of GROUP BY user_key.
 *
 * Why: grouping 19 M streams by user hashes every row into a table of a few
 * hundred bytes per user, far larger than the CPU caches, so each row costs
 * several cache misses.  Users carry a dense integer key (users.user_key), so
 * their counts fit a plain array indexed by key, 28 bytes per user: one
 * aggregate group, one slot touched per row, and partial arrays from
 * parallel workers or Citus shards add slot by slot.
 *
 * Slot i holds key base + i; a slot with streams = 0 holds nothing.  The
 * layout depends on the order keys arrived in, so only the text and binary
 * forms (the non-empty slots in ascending key order) are canonical.
 */
#ifndef VINYLOPS_STREAM_TALLY_H
#define VINYLOPS_STREAM_TALLY_H

#include "postgres.h"

#include "fmgr.h"

/*
 * One key's counts.  Every count is at most streams; dated counts rows with
 * a non-NULL day, timed rows with a non-NULL duration (summed in duration).
 */
typedef struct StreamTallySlot
{
	int64		duration;		/* sum of the timed rows' durations, seconds */
	int32		streams;		/* rows with this key */
	int32		completed;		/* rows whose flag was TRUE, per flag */
	int32		replayed;
	int32		playlisted;
	int32		marked;
	int32		dated;			/* rows with a non-NULL day */
	int32		first_day;		/* earliest and latest day (DateADT) when dated > 0, else 0 */
	int32		last_day;
	int32		timed;			/* rows with a non-NULL duration */
} StreamTallySlot;

/* The numbers of one slot in the external forms (all but duration are int32). */
#define STREAM_TALLY_FIELDS 10

/* Flags of a row waiting in the lookahead (StreamTallyRow.flags). */
#define STREAM_TALLY_COMPLETED	0x01
#define STREAM_TALLY_REPLAYED	0x02
#define STREAM_TALLY_PLAYLISTED	0x04
#define STREAM_TALLY_MARKED		0x08
#define STREAM_TALLY_DATED		0x10
#define STREAM_TALLY_TIMED		0x20
#define STREAM_TALLY_ALL_FLAGS	0x3F

/* One row added to the tally but not yet to its key's slot. */
typedef struct StreamTallyRow
{
	int64		duration;		/* >= 0; 0 unless TIMED */
	int32		key;
	int32		day;			/* 0 unless DATED */
	uint8		flags;
} StreamTallyRow;

/*
 * Rows wait this many transitions before they reach their slot.  Keys come
 * in random order (streams arrive in time order), so each row's slot is a
 * cache miss; the transition prefetches the slot and uses it this many rows
 * later, when it has arrived, instead of stalling on it (doc/performance.md).
 */
#define STREAM_TALLY_LOOKAHEAD 16

typedef struct StreamTally
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		base;			/* the key of slot 0 */
	int32		nslots;			/* slots allocated */
	int32		npending;		/* rows waiting in pending[], 0 .. STREAM_TALLY_LOOKAHEAD */
	int32		cursor;			/* the waiting row the next transition settles, when full */
	StreamTallyRow pending[STREAM_TALLY_LOOKAHEAD];
	StreamTallySlot slots[FLEXIBLE_ARRAY_MEMBER];
} StreamTally;

#define STREAM_TALLY_HEADER_BYTES offsetof(StreamTally, slots)

/*
 * Most keys one tally spans (the largest key minus the smallest, plus one):
 * 2^24 slots are 768 MB, within PostgreSQL's 1 GB limit on one value.
 */
#define STREAM_TALLY_MAX_SLOTS (1 << 24)

/* The tally of a datum, detoasted, its header checked against its size (XX001 otherwise). */
extern StreamTally *StreamTallyFromDatum(Datum d);

/* A new tally in CurrentMemoryContext with room for key. */
extern StreamTally *StreamTallyNew(int32 key);

/*
 * The slot of key, making room first when the tally does not span it: then
 * *t becomes a new, larger tally (the old one is left unchanged).
 */
extern StreamTallySlot *StreamTallySlotFor(StreamTally **t, int32 key);

/* Adds slot from into slot into; error on int32 overflow. */
extern void StreamTallySlotAdd(StreamTallySlot *into, const StreamTallySlot *from);

/* Whether a slot's counts are consistent (used for every slot read from outside). */
extern bool StreamTallySlotValid(const StreamTallySlot *slot);

/* A copy of t in CurrentMemoryContext. */
extern StreamTally *StreamTallyCopy(const StreamTally *t);

/*
 * Adds one row to *t: its slot is made to exist and prefetched now, and the
 * row that waited longest is added to its slot (a new, larger *t as for
 * StreamTallySlotFor).
 */
extern void StreamTallyAddRow(StreamTally **t, const StreamTallyRow *row);

/* Adds the rows still waiting in *t to their slots, in place. */
extern void StreamTallySettle(StreamTally **t);

/* Adds b (its slots and its waiting rows) into *a; b is not changed. */
extern void StreamTallyAddTally(StreamTally **a, const StreamTally *b);

/* The tally of a datum with no waiting rows: the datum itself, or a settled copy. */
extern StreamTally *StreamTallySettledFromDatum(Datum d);

#endif							/* VINYLOPS_STREAM_TALLY_H */
