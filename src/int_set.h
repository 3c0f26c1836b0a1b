/*
 * int_set.h — vinylops.int_set, an exact set of integers: the state of the
 * distinct_count aggregates, which count distinct values in one hashing pass
 * where count(DISTINCT ...) sorts every row, and merge like any other state
 * (parallel workers, partitions, Citus shards).
 *
 * A set is held in whichever of two forms is smaller:
 *  - a bitmap: bit i of words[] stands for the value base + i (base a
 *    multiple of 64), for values that lie close together (days of one user,
 *    row positions of a table's users);
 *  - an open-addressing hash table of nslots (a power of two) uint64 slots,
 *    each the value as uint32 or INT_SET_EMPTY, for values spread thinly.
 * The layout depends on the order values arrived in, so only the text and
 * binary forms (the values in ascending order) are canonical.
 */
#ifndef VINYLOPS_INT_SET_H
#define VINYLOPS_INT_SET_H

#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/memutils.h"

#define INT_SET_BITMAP 1
#define INT_SET_HASH 2

/* A free hash slot: no uint32 value is this. */
#define INT_SET_EMPTY PG_UINT64_MAX

typedef struct IntSet
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		form;			/* INT_SET_BITMAP or INT_SET_HASH */
	int64		count;			/* distinct values held */
	int32		min;			/* smallest value held (when count > 0) */
	int32		max;			/* largest value held (when count > 0) */
	int32		base;			/* bitmap: the value of bit 0 */
	int32		nslots;			/* bitmap: 64-bit words; hash: slots */
	uint64		slots[FLEXIBLE_ARRAY_MEMBER];
} IntSet;

#define INT_SET_HEADER_BYTES offsetof(IntSet, slots)
/*
 * Most hash slots (512 MB).  A bitmap of the whole int32 range has as many
 * words, and a set takes the smaller form, so no set needs more.
 */
#define INT_SET_MAX_HASH_SLOTS (1 << 26)
/* Fewest hash slots. */
#define INT_SET_MIN_HASH_SLOTS 8

/*
 * The set of a datum, detoasted, after checking that its header agrees with
 * its size and contents' bounds (XX001 otherwise: only this module builds
 * sets, so a mismatch is corruption).
 */
extern IntSet *IntSetFromDatum(Datum d);

/* A new empty set in CurrentMemoryContext. */
extern IntSet *IntSetNew(void);

/* Adds value; returns the set, which is a new one when s had no room (s is then unchanged). */
extern IntSet *IntSetAdd(IntSet *s, int32 value);

/*
 * The word or hash slot of s that adding v reads first (s itself when v is
 * outside the bitmap), for a caller to prefetch a little before IntSetAdd.
 * An address, not a function that prefetches: gcc 12 drops the call to an
 * inline function whose only effect is __builtin_prefetch.
 */
static inline const void *
IntSetSlotOf(const IntSet *s, int32 v)
{
	if (s->form == INT_SET_BITMAP)
	{
		int64		offset = (int64) v - s->base;

		if (offset >= 0 && offset < 64 * (int64) s->nslots)
			return &s->slots[offset >> 6];
		return s;
	}
	return &s->slots[murmurhash32((uint32) v) & ((uint32) s->nslots - 1)];
}

/* Adds every value of b to a; returns the result as IntSetAdd does. */
extern IntSet *IntSetUnion(IntSet *a, const IntSet *b);

/* A copy of s in CurrentMemoryContext. */
extern IntSet *IntSetCopy(const IntSet *s);

/* The values of s in ascending order (palloc'd array of s->count). */
extern int32 *IntSetSortedValues(const IntSet *s);

#endif							/* VINYLOPS_INT_SET_H */
