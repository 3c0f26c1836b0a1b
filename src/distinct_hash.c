/*
 * distinct_hash.c — the distinct_hash_count aggregate: how many distinct
 * 64-bit hashes a text column's values have.
 *
 * Equal values hash alike, so when the count equals the number of values no
 * value repeats: data_quality() proves "every stream_id names one stream" in
 * the pass it makes anyway, where a Unique over the stream_id index took 7 s
 * at 19 M streams, serially.  A smaller count may be a repeated value or a
 * hash collision (about one chance in 10^5 at 19 M values), and the caller
 * then groups the values themselves; the answer is exact either way.
 *
 * The state is a plain bigint[]: element 1 holds n, the number of hashes
 * kept, or -1 once more than DISTINCT_HASH_MAX_VALUES arrived (the memory
 * bound, 8 bytes a value: the count is then NULL and the caller falls back);
 * elements 2 .. n + 1 hold the hashes; the rest is room to grow.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/array.h"

#include "agg_call.h"

PG_FUNCTION_INFO_V1(vinylops_distinct_hash_accum);
PG_FUNCTION_INFO_V1(vinylops_distinct_hash_combine);
PG_FUNCTION_INFO_V1(vinylops_distinct_hash_final);

/* Most hashes a state keeps (256 MB). */
#define DISTINCT_HASH_MAX_VALUES (INT64CONST(1) << 25)
#define OVERFLOWED (-1)
/* Room a new state starts with. */
#define INITIAL_ROOM 1024

static void
BadState(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid distinct_hash_count state"),
			 errdetail("%s", why)));
}

/*
 * The elements of a state, after checking its shape (anyone can pass a
 * bigint[] to the support functions, or make one the INITCOND of an aggregate
 * of their own over them, so even a state inside an aggregate is checked):
 * one dimension from 1, no NULLs, and a count that fits the array.
 */
static int64 *
StateElements(ArrayType *a)
{
	int64	   *e;

	if (ARR_ELEMTYPE(a) != INT8OID || ARR_NDIM(a) != 1 || ARR_HASNULL(a) ||
		ARR_LBOUND(a)[0] != 1 || ARR_DIMS(a)[0] < 1)
		BadState("A state is a one-dimensional bigint array from subscript 1, without NULLs.");
	e = (int64 *) ARR_DATA_PTR(a);
	if (e[0] < OVERFLOWED || e[0] > (int64) ARR_DIMS(a)[0] - 1)
		BadState("Its first element counts the hashes that follow it.");
	return e;
}

/* A state of one element (n = OVERFLOWED) or with room for `room` hashes, holding n of them. */
static ArrayType *
NewState(int64 n, int64 room)
{
	int32		nelems = (int32) (1 + room);
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + (Size) nelems * sizeof(int64);
	ArrayType  *a = palloc0(bytes);

	SET_VARSIZE(a, bytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = INT8OID;
	ARR_DIMS(a)[0] = nelems;
	ARR_LBOUND(a)[0] = 1;
	((int64 *) ARR_DATA_PTR(a))[0] = n;
	return a;
}

/*
 * A copy of the n hashes of e in a state with room for at least `want`
 * (exactly `want` when exact), or an overflowed state past the bound.
 */
static ArrayType *
Regrow(const int64 *e, int64 want, bool exact)
{
	int64		room = exact ? want : INITIAL_ROOM;
	ArrayType  *a;

	if (want > DISTINCT_HASH_MAX_VALUES)
		return NewState(OVERFLOWED, 0);
	while (room < want)
		room *= 2;
	room = Min(room, DISTINCT_HASH_MAX_VALUES);
	a = NewState(e[0], room);
	memcpy((int64 *) ARR_DATA_PTR(a) + 1, e + 1, (Size) e[0] * sizeof(int64));
	return a;
}

/*
 * distinct_hash_accum(state, value): keeps value's hash.  In place while the
 * array has room; a grown array is returned otherwise, which the aggregate
 * copies into its own memory (twice the room each time, so O(1) a value).
 */
Datum
vinylops_distinct_hash_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *e;
	text	   *value;

	if (PG_ARGISNULL(0))
		BadState("The state is NULL.");
	state = CalledAsAggregate(fcinfo) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_ARRAYTYPE_P(state);
	e = StateElements(state);
	if (e[0] == OVERFLOWED)
		PG_RETURN_ARRAYTYPE_P(state);
	if (e[0] == (int64) ARR_DIMS(state)[0] - 1)
	{
		state = Regrow(e, e[0] + 1, false);
		e = (int64 *) ARR_DATA_PTR(state);
		if (e[0] == OVERFLOWED)
			PG_RETURN_ARRAYTYPE_P(state);
	}
	value = PG_GETARG_TEXT_PP(1);
	e[1 + e[0]] = (int64) hash_bytes_extended((const unsigned char *) VARDATA_ANY(value),
											  VARSIZE_ANY_EXHDR(value), 0);
	e[0]++;
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Merges two states: the hashes of both, or an overflowed state past the bound. */
Datum
vinylops_distinct_hash_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = CalledAsAggregate(fcinfo) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	int64	   *a = StateElements(into);
	int64	   *b = StateElements(PG_GETARG_ARRAYTYPE_P(1));

	if (a[0] == OVERFLOWED)
		PG_RETURN_ARRAYTYPE_P(into);
	if (b[0] == OVERFLOWED)
		PG_RETURN_ARRAYTYPE_P(NewState(OVERFLOWED, 0));
	/*
	 * Exactly the room needed: a merge happens once per partial state, and
	 * room to spare would be copied along with the state (the leader of a
	 * parallel plan merges three states of millions of hashes).
	 */
	if (a[0] + b[0] > (int64) ARR_DIMS(into)[0] - 1)
	{
		into = Regrow(a, a[0] + b[0], true);
		a = (int64 *) ARR_DATA_PTR(into);
		if (a[0] == OVERFLOWED)
			PG_RETURN_ARRAYTYPE_P(into);
	}
	memcpy(a + 1 + a[0], b + 1, (Size) b[0] * sizeof(int64));
	a[0] += b[0];
	PG_RETURN_ARRAYTYPE_P(into);
}

/* Buckets by the top BUCKET_BITS bits of a hash: a bucket's table fits in the CPU cache. */
#define BUCKET_BITS 11
#define EMPTY_SLOT PG_UINT64_MAX

/* Distinct keys among n, through an open-addressing table at most half full. */
static int64
DistinctInBucket(const uint64 *keys, int64 n, uint64 *table, int64 slots)
{
	uint64		mask = (uint64) slots - 1;
	int64		distinct = 0;
	bool		saw_empty_key = false;

	memset(table, 0xFF, (Size) slots * sizeof(uint64));
	for (int64 i = 0; i < n; i++)
	{
		uint64		k = keys[i];
		uint64		j;

		/* EMPTY_SLOT marks a free slot, so that one key is counted apart. */
		if (unlikely(k == EMPTY_SLOT))
		{
			distinct += !saw_empty_key;
			saw_empty_key = true;
			continue;
		}
		/* The low bits index the table: the top bits chose the bucket. */
		for (j = k & mask; table[j] != EMPTY_SLOT && table[j] != k; j = (j + 1) & mask)
			;
		if (table[j] == EMPTY_SLOT)
		{
			table[j] = k;
			distinct++;
		}
	}
	return distinct;
}

/*
 * The number of distinct keys among n: one pass spreads them into buckets
 * by their top bits, then each bucket is counted in a small hash table, so
 * every probe hits the cache (qsort of 19 M keys took seconds).
 */
static int64
CountDistinct(const uint64 *keys, int64 n)
{
	int64		nbuckets = INT64CONST(1) << BUCKET_BITS;
	int64	   *start = palloc0((nbuckets + 1) * sizeof(int64));
	int64	   *fill = palloc(nbuckets * sizeof(int64));
	uint64	   *spread = palloc_extended((Size) Max(n, 1) * sizeof(uint64), MCXT_ALLOC_HUGE);
	int64		largest = 0;
	int64		slots = 16;
	uint64	   *table;
	int64		distinct = 0;

	for (int64 i = 0; i < n; i++)
		start[(keys[i] >> (64 - BUCKET_BITS)) + 1]++;
	for (int64 b = 0; b < nbuckets; b++)
	{
		largest = Max(largest, start[b + 1]);
		start[b + 1] += start[b];
		fill[b] = start[b];
	}
	for (int64 i = 0; i < n; i++)
		spread[fill[keys[i] >> (64 - BUCKET_BITS)]++] = keys[i];
	while (slots < 2 * largest)
		slots *= 2;
	table = palloc_extended((Size) slots * sizeof(uint64), MCXT_ALLOC_HUGE);
	for (int64 b = 0; b < nbuckets; b++)
		distinct += DistinctInBucket(spread + start[b], start[b + 1] - start[b], table, slots);
	pfree(table);
	pfree(spread);
	pfree(fill);
	pfree(start);
	return distinct;
}

/* The number of distinct hashes; NULL for an overflowed state. */
Datum
vinylops_distinct_hash_final(PG_FUNCTION_ARGS)
{
	int64	   *e = StateElements(PG_GETARG_ARRAYTYPE_P(0));

	if (e[0] == OVERFLOWED)
		PG_RETURN_NULL();
	PG_RETURN_INT64(CountDistinct((const uint64 *) (e + 1), e[0]));
}
