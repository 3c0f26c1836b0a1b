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

/* Words per slot of each flag group, in bit order (STREAM_TALLY_COMPLETED first). */
static const int group_words[STREAM_TALLY_GROUPS] = {1, 1, 1, 1, 3, 3};

/* The group index of each flag. */
enum
{
	G_COMPLETED, G_REPLAYED, G_PLAYLISTED, G_MARKED, G_DATED, G_TIMED
};

/*
 * The layout of a slot holding the groups in fields: each group's first word
 * into offset (when not NULL; 0 for an absent group, word 0 being the
 * streams), and the slot's width in words as the result.
 */
static int
ComputeLayout(int32 fields, uint8 *offset)
{
	int			next = 1;

	for (int g = 0; g < STREAM_TALLY_GROUPS; g++)
	{
		if (offset != NULL)
			offset[g] = (fields & (1 << g)) ? next : 0;
		if (fields & (1 << g))
			next += group_words[g];
	}
	return next;
}

/* The size of a tally with nslots slots of width words. */
static inline Size
TallySize(int64 nslots, int width)
{
	return STREAM_TALLY_HEADER_BYTES + (Size) nslots * width * sizeof(int32);
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

/* Sets t's layout to the groups in fields: width and offsets. */
static void
SetLayout(StreamTally *t, int32 fields)
{
	t->fields = fields;
	t->width = ComputeLayout(fields, t->offset);
}

/* Whether t's layout fields are what SetLayout would have written. */
static bool
LayoutValid(const StreamTally *t)
{
	uint8		offset[STREAM_TALLY_GROUPS];

	if ((t->fields & ~STREAM_TALLY_ALL_FLAGS) != 0)
		return false;
	return t->width == ComputeLayout(t->fields, offset) &&
		memcmp(offset, t->offset, sizeof(offset)) == 0;
}

StreamTally *
StreamTallyFromDatum(Datum d)
{
	StreamTally *t = (StreamTally *) PG_DETOAST_DATUM(d);
	bool		valid;

	valid = VARSIZE(t) >= STREAM_TALLY_HEADER_BYTES &&
		LayoutValid(t) &&
		t->nslots >= 0 && t->nslots <= STREAM_TALLY_MAX_SLOTS &&
		VARSIZE(t) == TallySize(t->nslots, t->width) &&
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

/* A zeroed tally spanning keys base .. base + nslots - 1, its slots holding the groups in fields. */
static StreamTally *
Allocate(int32 base, int64 nslots, int32 fields)
{
	int			width = ComputeLayout(fields, NULL);
	StreamTally *t = (StreamTally *) palloc0(TallySize(nslots, width));

	SET_VARSIZE(t, TallySize(nslots, width));
	t->base = base;
	t->nslots = (int32) nslots;
	SetLayout(t, fields);
	return t;
}

StreamTally *
StreamTallyNew(int32 key)
{
	return Allocate(key, 1, 0);
}

void
StreamTallyReadSlot(const StreamTally *t, int64 i, StreamTallySlot *slot)
{
	const int32 *w = StreamTallyWords(t, i);

	memset(slot, 0, sizeof(*slot));
	slot->streams = w[0];
	if (t->fields & STREAM_TALLY_COMPLETED)
		slot->completed = w[t->offset[G_COMPLETED]];
	if (t->fields & STREAM_TALLY_REPLAYED)
		slot->replayed = w[t->offset[G_REPLAYED]];
	if (t->fields & STREAM_TALLY_PLAYLISTED)
		slot->playlisted = w[t->offset[G_PLAYLISTED]];
	if (t->fields & STREAM_TALLY_MARKED)
		slot->marked = w[t->offset[G_MARKED]];
	if (t->fields & STREAM_TALLY_DATED)
	{
		slot->dated = w[t->offset[G_DATED]];
		slot->first_day = w[t->offset[G_DATED] + 1];
		slot->last_day = w[t->offset[G_DATED] + 2];
	}
	if (t->fields & STREAM_TALLY_TIMED)
	{
		slot->timed = w[t->offset[G_TIMED]];
		memcpy(&slot->duration, &w[t->offset[G_TIMED] + 1], sizeof(int64));
	}
}

/* The groups a slot's counts need: those with a count other than 0. */
static int32
GroupsOf(const StreamTallySlot *slot)
{
	return (slot->completed != 0 ? STREAM_TALLY_COMPLETED : 0) |
		(slot->replayed != 0 ? STREAM_TALLY_REPLAYED : 0) |
		(slot->playlisted != 0 ? STREAM_TALLY_PLAYLISTED : 0) |
		(slot->marked != 0 ? STREAM_TALLY_MARKED : 0) |
		(slot->dated != 0 || slot->first_day != 0 || slot->last_day != 0 ? STREAM_TALLY_DATED : 0) |
		(slot->timed != 0 || slot->duration != 0 ? STREAM_TALLY_TIMED : 0);
}

/* Writes slot into slot i, whose layout holds every group the slot needs. */
static void
PutSlot(StreamTally *t, int64 i, const StreamTallySlot *slot)
{
	int32	   *w = StreamTallyWords(t, i);

	if ((GroupsOf(slot) & ~t->fields) != 0)
		elog(ERROR, "stream_tally slot needs field groups 0x%x, its tally holds 0x%x",
			 GroupsOf(slot), t->fields);
	w[0] = slot->streams;
	if (t->fields & STREAM_TALLY_COMPLETED)
		w[t->offset[G_COMPLETED]] = slot->completed;
	if (t->fields & STREAM_TALLY_REPLAYED)
		w[t->offset[G_REPLAYED]] = slot->replayed;
	if (t->fields & STREAM_TALLY_PLAYLISTED)
		w[t->offset[G_PLAYLISTED]] = slot->playlisted;
	if (t->fields & STREAM_TALLY_MARKED)
		w[t->offset[G_MARKED]] = slot->marked;
	if (t->fields & STREAM_TALLY_DATED)
	{
		w[t->offset[G_DATED]] = slot->dated;
		w[t->offset[G_DATED] + 1] = slot->first_day;
		w[t->offset[G_DATED] + 2] = slot->last_day;
	}
	if (t->fields & STREAM_TALLY_TIMED)
	{
		w[t->offset[G_TIMED]] = slot->timed;
		memcpy(&w[t->offset[G_TIMED] + 1], &slot->duration, sizeof(int64));
	}
}

/*
 * A copy of t spanning keys base .. base + nslots - 1 (which include t's)
 * whose slots hold the groups in fields (which include t's), with t's
 * waiting rows.  Slots of the same layout are copied as one block.
 */
static StreamTally *
Reshape(const StreamTally *t, int64 base, int64 nslots, int32 fields)
{
	StreamTally *copy = Allocate((int32) base, nslots, fields);
	int64		shift = t->base - base;
	StreamTallySlot slot;

	copy->npending = t->npending;
	copy->cursor = t->cursor;
	memcpy(copy->pending, t->pending, sizeof(t->pending));
	if (fields == t->fields)
	{
		memcpy(StreamTallyWords(copy, shift), t->words, (Size) t->nslots * t->width * sizeof(int32));
		return copy;
	}
	for (int32 i = 0; i < t->nslots; i++)
	{
		if (StreamTallyStreams(t, i) == 0)
			continue;
		StreamTallyReadSlot(t, i, &slot);
		PutSlot(copy, shift + i, &slot);
	}
	return copy;
}

/*
 * A copy of t whose slots hold the groups in fields too: a row or a merged
 * tally needs a count t's slots do not hold (rare: the first row of each
 * kind, so a tally's layout settles within its first rows).
 */
static StreamTally *
Widen(const StreamTally *t, int32 fields)
{
	return Reshape(t, t->base, t->nslots, t->fields | fields);
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
	return Reshape(t, base, nslots, t->fields);
}

int32 *
StreamTallySlotFor(StreamTally **t, int32 key)
{
	int64		offset = (int64) key - (*t)->base;

	if (unlikely(offset < 0 || offset >= (*t)->nslots))
	{
		*t = Regrow(*t, key);
		offset = (int64) key - (*t)->base;
	}
	return StreamTallyWords(*t, offset);
}

void
StreamTallyWriteSlot(StreamTally **t, int32 key, const StreamTallySlot *slot)
{
	int32		needed = GroupsOf(slot);

	if ((needed & ~(*t)->fields) != 0)
		*t = Widen(*t, needed);
	(void) StreamTallySlotFor(t, key);
	PutSlot(*t, (int64) key - (*t)->base, slot);
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
	int32	   *w;
	const StreamTally *tally;

	if (unlikely((row->flags & ~(*t)->fields) != 0))
		*t = Widen(*t, row->flags);
	w = StreamTallySlotFor(t, row->key);
	tally = *t;
	if (unlikely(w[0] == PG_INT32_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_tally count is out of range"),
				 errdetail("Key %d has more than %d rows.", row->key, PG_INT32_MAX)));
	w[0]++;
	if (row->flags & STREAM_TALLY_COMPLETED)
		w[tally->offset[G_COMPLETED]]++;
	if (row->flags & STREAM_TALLY_REPLAYED)
		w[tally->offset[G_REPLAYED]]++;
	if (row->flags & STREAM_TALLY_PLAYLISTED)
		w[tally->offset[G_PLAYLISTED]]++;
	if (row->flags & STREAM_TALLY_MARKED)
		w[tally->offset[G_MARKED]]++;
	if (row->flags & STREAM_TALLY_DATED)
	{
		int32	   *d = &w[tally->offset[G_DATED]];

		if (d[0] == 0 || row->day < d[1])
			d[1] = row->day;
		if (d[0] == 0 || row->day > d[2])
			d[2] = row->day;
		d[0]++;
	}
	if (row->flags & STREAM_TALLY_TIMED)
	{
		int32	   *m = &w[tally->offset[G_TIMED]];
		int64		duration;

		/* Two words, not an aligned int64: slots are packed. */
		memcpy(&duration, &m[1], sizeof(duration));
		duration += row->duration;
		memcpy(&m[1], &duration, sizeof(duration));
		m[0]++;
	}
}

void
StreamTallyAddRow(StreamTally **t, const StreamTallyRow *row)
{
	int32	   *slot = StreamTallySlotFor(t, row->key);
	StreamTally *tally;

	/* Both ends: a slot that straddles two cache lines misses on each. */
	__builtin_prefetch(slot, 1);
	__builtin_prefetch((const char *) (slot + (*t)->width) - 1, 1);
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

	while (i < t->nslots && StreamTallyStreams(t, i) == 0)
		i++;
	if (i == t->nslots)
		return false;
	while (StreamTallyStreams(t, j) == 0)
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
	StreamTallySlot from;
	StreamTallySlot into;

	if (UsedRange(b, &first, &last))
	{
		/* Hold b's groups and span b's keys first, so *a is copied at most three times. */
		if ((b->fields & ~(*a)->fields) != 0)
			*a = Widen(*a, b->fields);
		(void) StreamTallySlotFor(a, b->base + first);
		(void) StreamTallySlotFor(a, b->base + last);
		for (int32 i = first; i <= last; i++)
		{
			int64		at;

			if (StreamTallyStreams(b, i) == 0)
				continue;
			StreamTallyReadSlot(b, i, &from);
			if (unlikely(!StreamTallySlotValid(&from)))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("corrupt stream_tally value")));
			at = (int64) b->base + i - (*a)->base;
			StreamTallyReadSlot(*a, at, &into);
			StreamTallySlotAdd(&into, &from);
			PutSlot(*a, at, &into);
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
