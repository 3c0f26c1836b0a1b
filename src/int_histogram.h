/*
 * int_histogram.h — vinylops.int_histogram, an exact value -> count
 * histogram of integers: the state of int_histogram_agg and the input of
 * histogram_percentile_cont (percentile_cont's exact values, mergeable).
 *
 * In memory the varlena holds `capacity` slots: first `npairs` (value,
 * count) pairs in strictly ascending value order, then `npending` single
 * values not yet merged into them (the transition function appends values
 * it has not seen and merges them in batches).  VARSIZE always covers all
 * slots, so nodeAgg's datumCopy keeps the spare room.  The canonical form
 * (text, binary, results of int_histogram_agg) has no pending values and no
 * spare room.
 */
#ifndef VINYLOPS_INT_HISTOGRAM_H
#define VINYLOPS_INT_HISTOGRAM_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/memutils.h"

typedef struct HistogramSlot
{
	int64		count;			/* 1 for a pending value */
	int32		value;
	int32		unused;			/* zero, so equal histograms are equal bytes */
} HistogramSlot;

typedef struct IntHistogram
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		npairs;
	int32		npending;
	int32		capacity;
	int64		total;			/* sum of the pairs' counts plus npending */
	HistogramSlot slots[FLEXIBLE_ARRAY_MEMBER];
} IntHistogram;

#define INT_HISTOGRAM_HEADER_BYTES offsetof(IntHistogram, slots)
/* Most slots one varlena can hold. */
#define INT_HISTOGRAM_MAX_SLOTS \
	((int32) ((MaxAllocSize - INT_HISTOGRAM_HEADER_BYTES) / sizeof(HistogramSlot)))

/* A new empty histogram with room for capacity slots, in CurrentMemoryContext. */
extern IntHistogram *IntHistogramAlloc(int64 capacity);

/* Merges the pending values into the pairs, in place. */
extern void IntHistogramFlush(IntHistogram *h);

/* A canonical copy (pairs only, no spare room) of any histogram. */
extern IntHistogram *IntHistogramCanonical(const IntHistogram *h);

/* The canonical histogram of a datum, detoasted, as a copy if it had to change. */
extern IntHistogram *IntHistogramGetCanonical(Datum d);

/*
 * Merges the pairs of b (canonical) into a, whose pending values must be
 * flushed: in place when may_modify and a has the room, else into a new
 * histogram with spare room.  Returns the result.
 */
extern IntHistogram *IntHistogramMergePairs(IntHistogram *a, const IntHistogram *b, bool may_modify);

/* Raises the error for a histogram that would need more slots than a varlena holds. */
extern void IntHistogramTooBig(int64 slots) pg_attribute_noreturn();

#endif							/* VINYLOPS_INT_HISTOGRAM_H */
