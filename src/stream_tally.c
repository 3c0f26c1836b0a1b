/*
 * stream_tally.c — the dense per-key array behind vinylops.stream_tally
 * (stream_tally.h): allocation, growth to span a new key, the lookahead of
 * rows waiting for their slot, slot addition and the checks every tally read
 * from outside passes.
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

/* Whether a waiting row is one StreamTallyAddRow could have stored. */
static bool
RowValid(const StreamTallyRow *row)
{
	return (row->flags & ~STREAM_TALLY_ALL_FLAGS) == 0 &&
		row->duration >= 0 && row->duration <= PG_INT32_MAX &&
		((row->flags & STREAM_TALLY_TIMED) || row->duration == 0) &&
		((row->flags & STREAM_TALLY_DATED) || row->day == 0);
}

StreamTally *
StreamTallyFromDatum(Datum d)
{
	StreamTally *t = (StreamTally *) PG_DETOAST_DATUM(d);
	bool		valid;

	valid = VARSIZE(t) >= STREAM_TALLY_HEADER_BYTES &&
		t->nslots >= 0 && t->nslots <= STREAM_TALLY_MAX_SLOTS &&
		VARSIZE(t) == TallySize(t->nslots) &&
		(int64) t->base + t->nslots - 1 <= PG_INT32_MAX &&
		t->npending >= 0 && t->npending <= STREAM_TALLY_LOOKAHEAD &&
		t->cursor >= 0 && t->cursor < STREAM_TALLY_LOOKAHEAD;
	for (int i = 0; valid && i < t->npending; i++)
		valid = RowValid(&t->pending[i]);
	if (!valid)
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
 * A larger tally spanning t's keys and key, with a quarter of the span as
 * room on the side the new key came from: a tally filled in rising key order
 * is copied O(log keys) times, and one filled in random order ends close to
 * its keys' span.  Doubling the slots instead left a tally of dense keys
 * about twice as large as its keys' span, and every copy of the state (to
 * the leader of a parallel plan, into the combined state, out to
 * stream_tally_rows) carried the empty half.  Room never goes below key 1
 * while every key is positive (surrogate keys start at 1), nor past either
 * end of int32 or STREAM_TALLY_MAX_SLOTS.
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
	nslots = Min(span + span / 4, STREAM_TALLY_MAX_SLOTS);
	base = (key < t->base) ? hi - nslots + 1 : lo;
	if (lo >= 1)
		base = Max(base, 1);
	base = Max(base, (int64) PG_INT32_MIN);
	if (base + nslots - 1 > PG_INT32_MAX)
		base = (int64) PG_INT32_MAX - nslots + 1;
	grown = Allocate((int32) base, nslots);
	grown->npending = t->npending;
	grown->cursor = t->cursor;
	memcpy(grown->pending, t->pending, sizeof(t->pending));
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
	if (from->dated > 0)
	{
		if (into->dated == 0 || from->first_day < into->first_day)
			into->first_day = from->first_day;
		if (into->dated == 0 || from->last_day > into->last_day)
			into->last_day = from->last_day;
	}
	AddCount(&into->dated, from->dated);
	AddCount(&into->timed, from->timed);
	/* Below 2^31 rows of below 2^31 seconds each: no int64 overflow. */
	into->duration += from->duration;
}

bool
StreamTallySlotValid(const StreamTallySlot *slot)
{
	int32		n = slot->streams;

	if (n == 0)
		return slot->completed == 0 && slot->replayed == 0 && slot->playlisted == 0 &&
			slot->marked == 0 && slot->dated == 0 && slot->first_day == 0 &&
			slot->last_day == 0 && slot->timed == 0 && slot->duration == 0;
	return n > 0 &&
		slot->completed >= 0 && slot->completed <= n &&
		slot->replayed >= 0 && slot->replayed <= n &&
		slot->playlisted >= 0 && slot->playlisted <= n &&
		slot->marked >= 0 && slot->marked <= n &&
		slot->dated >= 0 && slot->dated <= n &&
		(slot->dated > 0 ? slot->first_day <= slot->last_day
		 : slot->first_day == 0 && slot->last_day == 0) &&
		slot->timed >= 0 && slot->timed <= n &&
		slot->duration >= 0 && slot->duration <= (int64) slot->timed * PG_INT32_MAX;
}

StreamTally *
StreamTallyCopy(const StreamTally *t)
{
	StreamTally *copy = (StreamTally *) palloc(VARSIZE(t));

	memcpy(copy, t, VARSIZE(t));
	return copy;
}

/* Adds one row to its slot; error when the key's row count would leave int32. */
static void
AddRowToSlot(StreamTally **t, const StreamTallyRow *row)
{
	StreamTallySlot *slot = StreamTallySlotFor(t, row->key);

	if (unlikely(slot->streams == PG_INT32_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_tally count is out of range"),
				 errdetail("Key %d has more than %d rows.", row->key, PG_INT32_MAX)));
	slot->streams++;
	slot->completed += (row->flags & STREAM_TALLY_COMPLETED) != 0;
	slot->replayed += (row->flags & STREAM_TALLY_REPLAYED) != 0;
	slot->playlisted += (row->flags & STREAM_TALLY_PLAYLISTED) != 0;
	slot->marked += (row->flags & STREAM_TALLY_MARKED) != 0;
	if (row->flags & STREAM_TALLY_DATED)
	{
		if (slot->dated == 0 || row->day < slot->first_day)
			slot->first_day = row->day;
		if (slot->dated == 0 || row->day > slot->last_day)
			slot->last_day = row->day;
		slot->dated++;
	}
	if (row->flags & STREAM_TALLY_TIMED)
	{
		slot->timed++;
		slot->duration += row->duration;
	}
}

void
StreamTallyAddRow(StreamTally **t, const StreamTallyRow *row)
{
	StreamTallySlot *slot = StreamTallySlotFor(t, row->key);
	StreamTally *tally;

	/* Both ends: a slot that straddles two cache lines misses on each. */
	__builtin_prefetch(slot, 1);
	__builtin_prefetch((const char *) (slot + 1) - 1, 1);
	tally = *t;
	if (tally->npending < STREAM_TALLY_LOOKAHEAD)
	{
		tally->pending[tally->npending++] = *row;
		return;
	}
	/* Full: the oldest waiting row goes to its slot, fetched by now; row takes its place. */
	{
		StreamTallyRow oldest = tally->pending[tally->cursor];

		tally->pending[tally->cursor] = *row;
		tally->cursor = (tally->cursor + 1) % STREAM_TALLY_LOOKAHEAD;
		AddRowToSlot(t, &oldest);
	}
}

void
StreamTallySettle(StreamTally **t)
{
	StreamTallyRow waiting[STREAM_TALLY_LOOKAHEAD];
	int32		n = (*t)->npending;

	memcpy(waiting, (*t)->pending, n * sizeof(StreamTallyRow));
	/* Settled, the header holds no trace of the rows (a stored tally's bytes are defined). */
	memset((*t)->pending, 0, sizeof((*t)->pending));
	(*t)->npending = 0;
	(*t)->cursor = 0;
	for (int32 i = 0; i < n; i++)
		AddRowToSlot(t, &waiting[i]);
}

/* The first and last slots of t that hold a key; false when none does. */
static bool
UsedRange(const StreamTally *t, int32 *first, int32 *last)
{
	int32		i = 0;
	int32		j = t->nslots - 1;

	while (i < t->nslots && t->slots[i].streams == 0)
		i++;
	if (i == t->nslots)
		return false;
	while (t->slots[j].streams == 0)
		j--;
	*first = i;
	*last = j;
	return true;
}

void
StreamTallyAddTally(StreamTally **a, const StreamTally *b)
{
	int32		first;
	int32		last;

	if (UsedRange(b, &first, &last))
	{
		/* Span b's keys first, so *a grows at most twice. */
		(void) StreamTallySlotFor(a, b->base + first);
		(void) StreamTallySlotFor(a, b->base + last);
		for (int32 i = first; i <= last; i++)
		{
			if (b->slots[i].streams == 0)
				continue;
			if (unlikely(!StreamTallySlotValid(&b->slots[i])))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("corrupt stream_tally value")));
			StreamTallySlotAdd(StreamTallySlotFor(a, b->base + i), &b->slots[i]);
		}
	}
	for (int32 i = 0; i < b->npending; i++)
		AddRowToSlot(a, &b->pending[i]);
}

StreamTally *
StreamTallySettledFromDatum(Datum d)
{
	StreamTally *t = StreamTallyFromDatum(d);

	if (t->npending == 0)
		return t;
	if ((Pointer) t == DatumGetPointer(d))
		t = StreamTallyCopy(t);
	StreamTallySettle(&t);
	return t;
}
