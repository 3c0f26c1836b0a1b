/*
 * int_histogram_agg.c — the int_histogram_agg aggregate (transition,
 * combine, final) and what is read from its result: histogram_count and
 * histogram_percentile_cont, PostgreSQL's percentile_cont computed exactly
 * from the counted values.
 *
 * A histogram of integer milliseconds has few distinct values (a few
 * thousand startup times among millions of plays), so a value already
 * counted is a binary search and an increment in place; a new value is
 * appended to the pending slots, which are sorted and merged into the pairs
 * when the room runs out.  The room grows with the number of pairs, so every
 * merge handles at least as many new values as it moves old pairs: the cost
 * stays O(log n) per row whatever the data.  Partial histograms merge as two
 * sorted runs (the combine function), so the aggregate runs in parallel
 * workers and on Citus shards, where percentile_cont cannot.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "fmgr.h"

#include "agg_call.h"
#include "int_histogram.h"

PG_FUNCTION_INFO_V1(vinylops_int_histogram_accum);
PG_FUNCTION_INFO_V1(vinylops_int_histogram_combine);
PG_FUNCTION_INFO_V1(vinylops_int_histogram_final);
PG_FUNCTION_INFO_V1(vinylops_histogram_count);
PG_FUNCTION_INFO_V1(vinylops_histogram_percentile_cont);

/* Slots of a new histogram: small, because a GROUP BY may hold many of them. */
#define INITIAL_SLOTS 8
/* Pending room a histogram with many values grows to even when it has few pairs. */
#define BATCH_SLOTS 1024

/* A copy of a histogram (pairs and pending values) with room for extra more slots. */
static IntHistogram *
CopyWithRoom(const IntHistogram *h, int64 extra)
{
	int64		used = (int64) h->npairs + h->npending;
	IntHistogram *c = IntHistogramAlloc(used + extra);

	memcpy(c->slots, h->slots, sizeof(HistogramSlot) * (Size) used);
	c->npairs = h->npairs;
	c->npending = h->npending;
	c->total = h->total;
	return c;
}

/*
 * Frees pending room in a full histogram we may modify: merges the pending
 * values in, and if the free room is then below max(pairs, min(values,
 * BATCH_SLOTS)), moves to a new histogram with twice that room (allocated in
 * the caller's short-lived context; nodeAgg copies it into the aggregate
 * context and frees the old one).
 */
static IntHistogram *
MakeRoom(IntHistogram *h)
{
	int64		want;

	IntHistogramFlush(h);
	want = Max((int64) h->npairs, Min(h->total, (int64) BATCH_SLOTS));
	want = Max(want, (int64) INITIAL_SLOTS);
	if ((int64) h->capacity - h->npairs >= want)
		return h;
	if ((int64) h->npairs >= INT_HISTOGRAM_MAX_SLOTS)
		IntHistogramTooBig((int64) h->npairs + 1);
	return CopyWithRoom(h, Min(2 * want, (int64) INT_HISTOGRAM_MAX_SLOTS - h->npairs));
}

/* The index of the pair holding value, or -1 (binary search over the sorted pairs). */
static inline int32
FindPair(const IntHistogram *h, int32 value)
{
	int32		lo = 0,
				hi = h->npairs - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int32		v = h->slots[mid].value;

		if (v == value)
			return mid;
		if (v < value)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * int_histogram_agg transition: (state, value).  NULL values are skipped
 * (the state stays NULL until the first value, so no values give NULL).
 * In an aggregate the state is updated in place; called directly, it is
 * copied first, so the argument never changes.
 */
Datum
vinylops_int_histogram_accum(PG_FUNCTION_ARGS)
{
	IntHistogram *h;
	int32		value;
	int32		at;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	value = PG_GETARG_INT32(1);
	if (PG_ARGISNULL(0))
		h = IntHistogramAlloc(INITIAL_SLOTS);
	else
	{
		Datum		arg = PG_GETARG_DATUM(0);

		h = (IntHistogram *) PG_DETOAST_DATUM(arg);
		/* A detoasted copy is ours; the original only inside an aggregate. */
		if ((Pointer) h == DatumGetPointer(arg) && !CalledAsAggregate(fcinfo))
			h = CopyWithRoom(h, 1);
	}
	if (unlikely(pg_add_s64_overflow(h->total, 1, &h->total)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("int_histogram count is out of range"),
				 errdetail("A histogram counts at most 9223372036854775807 values.")));
	at = FindPair(h, value);
	if (at >= 0)
	{
		h->slots[at].count++;	/* bounded by total, checked above */
		PG_RETURN_POINTER(h);
	}
	if (h->npairs + h->npending == h->capacity)
		h = MakeRoom(h);
	h->slots[h->npairs + h->npending].value = value;
	h->slots[h->npairs + h->npending].count = 1;
	h->npending++;
	PG_RETURN_POINTER(h);
}

/* Combine: merges the second histogram into the first (in place inside an aggregate when it fits). */
Datum
vinylops_int_histogram_combine(PG_FUNCTION_ARGS)
{
	Datum		arg = PG_GETARG_DATUM(0);
	IntHistogram *a = (IntHistogram *) PG_DETOAST_DATUM(arg);
	IntHistogram *b = IntHistogramGetCanonical(PG_GETARG_DATUM(1));

	if ((Pointer) a == DatumGetPointer(arg) && !CalledAsAggregate(fcinfo))
		a = IntHistogramCanonical(a);
	else
		IntHistogramFlush(a);
	PG_RETURN_POINTER(IntHistogramMergePairs(a, b, true));
}

/* Final: the canonical histogram (pairs only, no spare room), a new value. */
Datum
vinylops_int_histogram_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(IntHistogramCanonical((IntHistogram *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0))));
}

/* histogram_count(h): how many values the histogram counts. */
Datum
vinylops_histogram_count(PG_FUNCTION_ARGS)
{
	IntHistogram *h = (IntHistogram *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));

	PG_RETURN_INT64(h->total);
}

/* The value at 0-based rank in the sorted multiset the canonical histogram counts. */
static int32
ValueAtRank(const IntHistogram *h, int64 rank)
{
	int64		seen = 0;
	int32		i;

	for (i = 0; i < h->npairs; i++)
	{
		seen += h->slots[i].count;
		if (rank < seen)
			return h->slots[i].value;
	}
	elog(ERROR, "rank " INT64_FORMAT " is beyond the " INT64_FORMAT " values of the histogram",
		 rank, h->total);
	pg_unreachable();
}

/*
 * histogram_percentile_cont(h, fraction): PostgreSQL's percentile_cont, step
 * for step as orderedsetaggs.c computes it (rows floor and ceil of
 * fraction * (n - 1), float8 linear interpolation between their values), so
 * it equals percentile_cont(fraction) WITHIN GROUP (ORDER BY value) over the
 * counted values bit for bit.  Same errors and NULLs too: a NULL fraction or
 * histogram or no values give NULL, a fraction outside [0, 1] is an error.
 */
Datum
vinylops_histogram_percentile_cont(PG_FUNCTION_ARGS)
{
	float8		percentile;
	IntHistogram *h;
	int64		first_row;
	int64		second_row;
	float8		loval;
	float8		hival;
	float8		proportion;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	percentile = PG_GETARG_FLOAT8(1);
	if (percentile < 0 || percentile > 1 || isnan(percentile))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", percentile)));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = IntHistogramGetCanonical(PG_GETARG_DATUM(0));
	if (h->total == 0)
		PG_RETURN_NULL();

	first_row = floor(percentile * (h->total - 1));
	second_row = ceil(percentile * (h->total - 1));
	loval = (float8) ValueAtRank(h, first_row);
	if (first_row == second_row)
		PG_RETURN_FLOAT8(loval);
	hival = (float8) ValueAtRank(h, second_row);
	proportion = (percentile * (h->total - 1)) - first_row;
	/* float8_lerp's expression, unchanged, so the rounding is the same. */
	PG_RETURN_FLOAT8(loval + (proportion * (hival - loval)));
}
