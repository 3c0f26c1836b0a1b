/*
 * stream_tally.c — the dense per-key array behind vinylops.stream_tally
 * (stream_tally.h): allocation, growth to span a new key, slot addition and
 * the checks every tally read from outside passes.
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/memutils.h"

#include "stream_tally.h"

/* The size of a tally with nslots slots. */
static inline Size
TallySize(int64 nslots)
{
	return STREAM_TALLY_HEADER_BYTES + (Size) nslots * sizeof(StreamTallySlot);
}

StreamTally *
StreamTallyFromDatum(Datum d)
{
	StreamTally *t = (StreamTally *) PG_DETOAST_DATUM(d);

	if (VARSIZE(t) < STREAM_TALLY_HEADER_BYTES ||
		t->nslots < 0 || t->nslots > STREAM_TALLY_MAX_SLOTS ||
		VARSIZE(t) != TallySize(t->nslots) ||
		(int64) t->base + t->nslots - 1 > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt stream_tally value")));
	return t;
}

/* A zeroed tally spanning keys base .. base + nslots - 1. */
static StreamTally *
Allocate(int32 base, int64 nslots)
{
	StreamTally *t = (StreamTally *) palloc0(TallySize(nslots));

	SET_VARSIZE(t, TallySize(nslots));
	t->base = base;
	t->nslots = (int32) nslots;
	return t;
}

StreamTally *
StreamTallyNew(int32 key)
{
	return Allocate(key, 1);
}

/*
 * A larger tally spanning t's keys and key: at least twice t's span (so a
 * tally filled in random key order is copied O(log keys) times), never past
 * the int32 range nor STREAM_TALLY_MAX_SLOTS.
 */
static StreamTally *
Regrow(const StreamTally *t, int32 key)
{
	int64		lo = Min((int64) t->base, (int64) key);
	int64		hi = Max((int64) t->base + t->nslots - 1, (int64) key);
	int64		span = hi - lo + 1;
	int64		nslots;
	int64		base;
	StreamTally *grown;

	if (span > STREAM_TALLY_MAX_SLOTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("stream_tally keys span more than %d values", STREAM_TALLY_MAX_SLOTS),
				 errdetail("Keys %lld to %lld.", (long long) lo, (long long) hi),
				 errhint("stream_tally is for dense keys such as users.user_key.")));
	nslots = Min(Max(span, 2 * (int64) t->nslots), STREAM_TALLY_MAX_SLOTS);
	/* Room on the side the new key came from; never past either end of int32. */
	base = (key < t->base) ? hi - nslots + 1 : lo;
	base = Max(base, (int64) PG_INT32_MIN);
	if (base + nslots - 1 > PG_INT32_MAX)
		base = (int64) PG_INT32_MAX - nslots + 1;
	grown = Allocate((int32) base, nslots);
	memcpy(&grown->slots[t->base - base], t->slots, (Size) t->nslots * sizeof(StreamTallySlot));
	return grown;
}

StreamTallySlot *
StreamTallySlotFor(StreamTally **t, int32 key)
{
	int64		offset = (int64) key - (*t)->base;

	if (unlikely(offset < 0 || offset >= (*t)->nslots))
	{
		*t = Regrow(*t, key);
		offset = (int64) key - (*t)->base;
	}
	return &(*t)->slots[offset];
}

/* Adds b to *a; error when the sum leaves int32. */
static inline void
AddCount(int32 *a, int32 b)
{
	if (unlikely(pg_add_s32_overflow(*a, b, a)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_tally count is out of range"),
				 errdetail("A key's counts are 32-bit integers.")));
}

void
StreamTallySlotAdd(StreamTallySlot *into, const StreamTallySlot *from)
{
	AddCount(&into->streams, from->streams);
	AddCount(&into->completed, from->completed);
	AddCount(&into->replayed, from->replayed);
	AddCount(&into->playlisted, from->playlisted);
	AddCount(&into->marked, from->marked);
	if (from->dated > 0 && (into->dated == 0 || from->last_day > into->last_day))
		into->last_day = from->last_day;
	AddCount(&into->dated, from->dated);
}

bool
StreamTallySlotValid(const StreamTallySlot *slot)
{
	int32		n = slot->streams;

	if (n == 0)
		return slot->completed == 0 && slot->replayed == 0 && slot->playlisted == 0 &&
			slot->marked == 0 && slot->dated == 0 && slot->last_day == 0;
	return n > 0 &&
		slot->completed >= 0 && slot->completed <= n &&
		slot->replayed >= 0 && slot->replayed <= n &&
		slot->playlisted >= 0 && slot->playlisted <= n &&
		slot->marked >= 0 && slot->marked <= n &&
		slot->dated >= 0 && slot->dated <= n &&
		(slot->dated > 0 || slot->last_day == 0);
}

StreamTally *
StreamTallyCopy(const StreamTally *t)
{
	StreamTally *copy = (StreamTally *) palloc(VARSIZE(t));

	memcpy(copy, t, VARSIZE(t));
	return copy;
}
