/*
 * stream_tally.h — vinylops.stream_tally, per-key stream counts in one dense
 * array: the state of the stream_tally aggregate, which the per-user reports
 * use instead of GROUP BY user_key.
 *
 * Why: grouping 19 M streams by user hashes every row into a table of a few
 * hundred bytes per user, far larger than the CPU caches, so each row costs
 * several cache misses.  Users carry a dense integer key (users.user_key), so
 * their counts fit a plain array indexed by key: one aggregate group, one
 * slot touched per row, and partial arrays from parallel workers or Citus
 * shards add slot by slot.
 *
 * Slot i holds key base + i; a slot with streams = 0 holds nothing.  A slot
 * holds only the counts some row of the tally has needed (its layout): the
 * streams always, then each field group a row has set (completed, replayed,
 * playlisted, marked; the three day fields; timed and the duration), so a
 * report that counts streams alone touches 4 bytes per user, not 48.  The
 * slots' memory is what a row waits on; the full slot of every key is read
 * through StreamTallyReadSlot.  The layout and the slots' places depend on
 * the rows' order, so only the text and binary forms (the non-empty slots
 * in ascending key order, every field) are canonical.
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

/*
 * Flags of a row waiting in the lookahead (StreamTallyRow.flags), which are
 * also the field groups of a tally's layout (StreamTally.fields).
 */
#define STREAM_TALLY_COMPLETED	0x01
#define STREAM_TALLY_REPLAYED	0x02
#define STREAM_TALLY_PLAYLISTED	0x04
#define STREAM_TALLY_MARKED		0x08
#define STREAM_TALLY_DATED		0x10
#define STREAM_TALLY_TIMED		0x20
#define STREAM_TALLY_ALL_FLAGS	0x3F
#define STREAM_TALLY_GROUPS		6

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
	int32		fields;			/* the flag groups the slots hold (STREAM_TALLY_ALL_FLAGS bits) */
	int32		width;			/* int32 words per slot, which fields decides */
	/* Per flag group (bit order), its first word within a slot; 0 when absent (word 0 is streams). */
	uint8		offset[STREAM_TALLY_GROUPS];
	StreamTallyRow pending[STREAM_TALLY_LOOKAHEAD];
	/*
	 * Slot i is words[i * width ..]: streams, then the groups present in bit
	 * order: completed, replayed, playlisted, marked (one word each); dated,
	 * first_day, last_day; timed, then the duration as an int64 in two words.
	 */
	int32		words[FLEXIBLE_ARRAY_MEMBER];
} StreamTally;

#define STREAM_TALLY_HEADER_BYTES offsetof(StreamTally, words)

/*
 * Most keys one tally spans (the largest key minus the smallest, plus one):
 * 2^24 slots of the widest layout are 704 MB, within PostgreSQL's 1 GB limit
 * on one value.
 */
#define STREAM_TALLY_MAX_SLOTS (1 << 24)

/* The tally of a datum, detoasted, its header checked against its size (XX001 otherwise). */
extern StreamTally *StreamTallyFromDatum(Datum d);

/* A new tally in CurrentMemoryContext with room for key, its slots holding streams alone. */
extern StreamTally *StreamTallyNew(int32 key);

/* The words of slot i (streams first). */
static inline int32 *
StreamTallyWords(const StreamTally *t, int64 i)
{
	return (int32 *) &t->words[i * t->width];
}

/* The streams of slot i: 0 for a slot that holds no key. */
static inline int32
StreamTallyStreams(const StreamTally *t, int64 i)
{
	return StreamTallyWords(t, i)[0];
}

/*
 * The words of key's slot, making room first when the tally does not span
 * it: then *t becomes a new, larger tally (the old one is left unchanged).
 */
extern int32 *StreamTallySlotFor(StreamTally **t, int32 key);

/* Every field of slot i, 0 for the groups its layout does not hold. */
extern void StreamTallyReadSlot(const StreamTally *t, int64 i, StreamTallySlot *slot);

/*
 * Sets key's slot to slot (an empty one holds nothing): *t becomes a new
 * tally when it must span key or hold more field groups.
 */
extern void StreamTallyWriteSlot(StreamTally **t, int32 key, const StreamTallySlot *slot);

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
