/*
 * int_set.c — storage of vinylops.int_set (int_set.h describes the layout):
 * adding values, union, and the values in order.
 *
 * A set grows only through IntSetAdd, which picks the smaller form every time
 * it needs more room: the bitmap over [min, max] or a hash table at most half
 * full.  Values that lie close together (a user's days, the row positions of
 * a table) keep a bitmap of a few bits per value; values spread thinly (the
 * listeners of one artist among all users) keep 16 bytes per value.  Growth
 * doubles, so each value is moved O(1) times on average.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "port/pg_bitutils.h"

#include "int_set.h"

/* A value as its uint32 bit pattern, which is how the hash form stores it. */
#define SLOT_OF(v) ((uint64) (uint32) (v))

/* A set of the given form with nslots slots (bitmap words cleared, hash slots empty). */
static IntSet *
Allocate(int32 form, int32 nslots)
{
	Size		bytes = INT_SET_HEADER_BYTES + (Size) nslots * sizeof(uint64);
	IntSet	   *s = palloc(bytes);

	memset(s, 0, INT_SET_HEADER_BYTES);
	SET_VARSIZE(s, bytes);
	s->form = form;
	s->nslots = nslots;
	if (form == INT_SET_BITMAP)
		memset(s->slots, 0, (Size) nslots * sizeof(uint64));
	else
		memset(s->slots, 0xFF, (Size) nslots * sizeof(uint64));
	return s;
}

IntSet *
IntSetNew(void)
{
	return Allocate(INT_SET_BITMAP, 0);
}

IntSet *
IntSetCopy(const IntSet *s)
{
	IntSet	   *c = palloc(VARSIZE(s));

	memcpy(c, s, VARSIZE(s));
	return c;
}

IntSet *
IntSetFromDatum(Datum d)
{
	IntSet	   *s = (IntSet *) PG_DETOAST_DATUM(d);
	bool		ok;

	ok = VARSIZE(s) >= INT_SET_HEADER_BYTES && s->nslots >= 0 &&
		VARSIZE(s) == INT_SET_HEADER_BYTES + (Size) s->nslots * sizeof(uint64) &&
		s->count >= 0 && (s->count == 0 || s->min <= s->max);
	if (ok && s->form == INT_SET_BITMAP)
		ok = (s->base & 63) == 0 && s->count <= 64 * (int64) s->nslots &&
			(s->count == 0 || ((int64) s->min >= s->base &&
							   (int64) s->max < (int64) s->base + 64 * (int64) s->nslots));
	else if (ok && s->form == INT_SET_HASH)
		ok = s->nslots >= INT_SET_MIN_HASH_SLOTS && s->nslots <= INT_SET_MAX_HASH_SLOTS &&
			(s->nslots & (s->nslots - 1)) == 0 && 2 * s->count <= s->nslots;
	else
		ok = false;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt int_set value")));
	return s;
}

/* The start of the 64-value block holding v (rounds towards minus infinity). */
static inline int64
BlockStart(int64 v)
{
	return v - (v & 63);
}

static inline uint32
SlotHash(uint64 slot)
{
	return murmurhash32((uint32) slot);
}

/* Inserts a value known to be absent into a hash set with room for it. */
static inline void
HashInsertNew(IntSet *s, uint64 slot)
{
	uint32		mask = (uint32) s->nslots - 1;
	uint32		i = SlotHash(slot) & mask;

	while (s->slots[i] != INT_SET_EMPTY)
		i = (i + 1) & mask;
	s->slots[i] = slot;
}

/* Whether the bitmap holds v (v within its range). */
static inline bool
BitmapTestAndSet(IntSet *s, int32 v)
{
	uint64		offset = (uint64) ((int64) v - s->base);
	uint64		bit = UINT64CONST(1) << (offset & 63);
	uint64	   *word = &s->slots[offset >> 6];

	if (*word & bit)
		return true;
	*word |= bit;
	return false;
}

static inline bool
BitmapCovers(const IntSet *s, int32 v)
{
	return s->nslots > 0 && (int64) v >= s->base && (int64) v < (int64) s->base + 64 * (int64) s->nslots;
}

/* Runs body with v set to each value of s (ascending for a bitmap, table order for a hash). */
#define FOREACH_VALUE(s, v, body) \
	do { \
		int32		i_; \
		if ((s)->form == INT_SET_BITMAP) \
		{ \
			for (i_ = 0; i_ < (s)->nslots; i_++) \
			{ \
				uint64		w_ = (s)->slots[i_]; \
				while (w_ != 0) \
				{ \
					int32		v = (int32) ((int64) (s)->base + 64 * (int64) i_ + pg_rightmost_one_pos64(w_)); \
					w_ &= w_ - 1; \
					body; \
				} \
			} \
		} \
		else \
		{ \
			for (i_ = 0; i_ < (s)->nslots; i_++) \
			{ \
				if ((s)->slots[i_] != INT_SET_EMPTY) \
				{ \
					int32		v = (int32) (uint32) (s)->slots[i_]; \
					body; \
				} \
			} \
		} \
	} while (0)

/* Smallest hash table that holds n values at most half full. */
static int64
HashSlotsFor(int64 n)
{
	int64		slots = INT_SET_MIN_HASH_SLOTS;

	while (slots < 2 * n)
		slots *= 2;
	return slots;
}

/*
 * A copy of s, in the smaller form, with room for the values in [lo, hi]
 * (lo <= min and max <= hi when s is not empty) and for `values` values.
 */
static IntSet *
Regrow(const IntSet *s, int64 lo, int64 hi, int64 values)
{
	int64		hash_slots = HashSlotsFor(values);
	int64		first = BlockStart(lo);
	int64		words = (BlockStart(hi) - first) / 64 + 1;
	IntSet	   *r;

	/*
	 * A bitmap of the whole int32 range has INT_SET_MAX_HASH_SLOTS words, so
	 * whichever form is chosen has at most that many slots.
	 */
	if (words <= hash_slots)
	{
		r = Allocate(INT_SET_BITMAP, (int32) words);
		r->base = (int32) first;
		FOREACH_VALUE(s, v, (void) BitmapTestAndSet(r, v));
	}
	else
	{
		Assert(hash_slots <= INT_SET_MAX_HASH_SLOTS);
		r = Allocate(INT_SET_HASH, (int32) hash_slots);
		FOREACH_VALUE(s, v, HashInsertNew(r, SLOT_OF(v)));
	}
	r->count = s->count;
	r->min = s->min;
	r->max = s->max;
	return r;
}

/*
 * Room for v in a bitmap that does not cover it: the range grows towards v
 * to at least twice its width (so a run of rising values regrows O(log n)
 * times), or the set switches to the hash form when that is smaller.
 */
static IntSet *
RegrowFor(const IntSet *s, int32 v)
{
	int64		width = 64 * (int64) s->nslots;
	int64		cur_lo = s->base;
	int64		cur_hi = cur_lo + width - 1;
	int64		lo;
	int64		hi;

	if (s->nslots == 0)
		lo = hi = v;
	else if (v < cur_lo)
	{
		lo = Max(Min((int64) v, cur_hi - 2 * width + 1), (int64) PG_INT32_MIN);
		hi = cur_hi;
	}
	else
	{
		lo = cur_lo;
		hi = Min(Max((int64) v, cur_lo + 2 * width - 1), (int64) PG_INT32_MAX);
	}
	return Regrow(s, lo, hi, s->count + 1);
}

IntSet *
IntSetAdd(IntSet *s, int32 v)
{
	if (s->form == INT_SET_BITMAP)
	{
		if (!BitmapCovers(s, v))
		{
			s = RegrowFor(s, v);
			if (s->form == INT_SET_HASH)
				return IntSetAdd(s, v);
		}
		if (BitmapTestAndSet(s, v))
			return s;
	}
	else
	{
		uint32		mask = (uint32) s->nslots - 1;
		uint64		slot = SLOT_OF(v);
		uint32		i = SlotHash(slot) & mask;
		int32		probes = 0;

		for (; s->slots[i] != INT_SET_EMPTY; i = (i + 1) & mask)
		{
			if (s->slots[i] == slot)
				return s;
			/* A table this module built is at most half full; a full one is corrupt. */
			if (++probes == s->nslots)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("corrupt int_set value")));
		}
		if (2 * (s->count + 1) > s->nslots)
			return IntSetAdd(Regrow(s, Min((int64) s->min, (int64) v), Max((int64) s->max, (int64) v),
									s->count + 1), v);
		s->slots[i] = slot;
	}
	s->min = (s->count == 0) ? v : Min(s->min, v);
	s->max = (s->count == 0) ? v : Max(s->max, v);
	s->count++;
	return s;
}

IntSet *
IntSetUnion(IntSet *a, const IntSet *b)
{
	if (b->count == 0)
		return a;
	/* Two bitmaps, the first covering the second: word by word. */
	if (a->form == INT_SET_BITMAP && b->form == INT_SET_BITMAP &&
		BitmapCovers(a, b->min) && BitmapCovers(a, b->max))
	{
		bool		was_empty = (a->count == 0);
		int64		first = ((int64) BlockStart(b->min) - b->base) / 64;
		int64		last = ((int64) BlockStart(b->max) - b->base) / 64;
		int64		shift = ((int64) b->base - a->base) / 64;
		int64		i;

		for (i = first; i <= last; i++)
		{
			uint64		w = b->slots[i];

			a->count += pg_popcount64(w & ~a->slots[i + shift]);
			a->slots[i + shift] |= w;
		}
		a->min = was_empty ? b->min : Min(a->min, b->min);
		a->max = was_empty ? b->max : Max(a->max, b->max);
		return a;
	}
	/* Otherwise make room for both ranges and counts once, then add. */
	if (a->count > 0 || b->count > 0)
		a = Regrow(a, a->count > 0 ? Min(a->min, b->min) : b->min,
				   a->count > 0 ? Max(a->max, b->max) : b->max, a->count + b->count);
	FOREACH_VALUE(b, v, a = IntSetAdd(a, v));
	return a;
}

static int
CompareInt32(const void *x, const void *y)
{
	int32		a = *(const int32 *) x;
	int32		b = *(const int32 *) y;

	return (a > b) - (a < b);
}

int32 *
IntSetSortedValues(const IntSet *s)
{
	int32	   *values = palloc(sizeof(int32) * Max(s->count, 1));
	int64		n = 0;

	FOREACH_VALUE(s, v, {
		if (n == s->count)
			elog(ERROR, "int_set holds more values than the " INT64_FORMAT " it counts", s->count);
		values[n++] = v;
	});
	if (n != s->count)
		elog(ERROR, "int_set holds " INT64_FORMAT " values but counts " INT64_FORMAT, n, s->count);
	if (s->form == INT_SET_HASH)
		qsort(values, n, sizeof(int32), CompareInt32);
	return values;
}
