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

/* One key's counts.  Every count is at most streams; dated counts non-NULL days. */
typedef struct StreamTallySlot
{
	int32		streams;		/* rows with this key */
	int32		completed;		/* rows whose flag was TRUE, per flag */
	int32		replayed;
	int32		playlisted;
	int32		marked;
	int32		dated;			/* rows with a non-NULL day */
	int32		last_day;		/* latest day (a DateADT) when dated > 0, else 0 */
} StreamTallySlot;

#define STREAM_TALLY_FIELDS 7

StaticAssertDecl(sizeof(StreamTallySlot) == STREAM_TALLY_FIELDS * sizeof(int32),
				 "StreamTallySlot must be a plain run of int32 fields");

typedef struct StreamTally
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		base;			/* the key of slot 0 */
	int32		nslots;			/* slots allocated */
	StreamTallySlot slots[FLEXIBLE_ARRAY_MEMBER];
} StreamTally;

#define STREAM_TALLY_HEADER_BYTES offsetof(StreamTally, slots)

/*
 * Most keys one tally spans (the largest key minus the smallest, plus one):
 * 2^25 slots are 896 MB, within PostgreSQL's 1 GB limit on one value.
 */
#define STREAM_TALLY_MAX_SLOTS (1 << 25)

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

#endif							/* VINYLOPS_STREAM_TALLY_H */
