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
 *
 * Inside an aggregate the state is PostgreSQL's own expanded form of that
 * array, grown in place: a flat array returned grown was copied by nodeAgg
 * (and once more by the growth), and at 19 M streams those copies and the
 * fresh pages they touched cost more than the counting (doc/performance.md).
 * An expanded array is still a bigint[] to every array function, and it is
 * flattened, exactly n + 1 elements, when a worker sends it to the leader.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"

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
 * The expanded form keeps the hashes as Datums, which are the int64 values
 * themselves only where int8 is passed by value (64-bit builds); elsewhere
 * every call takes the flat path.
 */
#ifdef USE_FLOAT8_BYVAL
#define EXPANDED_STATES true
#else
#define EXPANDED_STATES false
#endif

/*
 * The elements of an expanded state, after checking it as StateElements
 * checks a flat one (element 1 counts the hashes after it; the rest is
 * room).  One expanded elsewhere (a PL/pgSQL variable) may not be
 * deconstructed yet; doing so leaves its value as it was.
 */
static int64 *
ExpandedElements(ExpandedArrayHeader *eah)
{
	int64	   *e;

	if (eah->ea_magic != EA_MAGIC || eah->element_type != INT8OID || eah->ndims != 1 ||
		eah->lbound[0] != 1 || eah->dims[0] < 1)
		BadState("A state is a one-dimensional bigint array from subscript 1, without NULLs.");
	deconstruct_expanded_array(eah);
	if (eah->dnulls != NULL)
		for (int i = 0; i < eah->nelems; i++)
			if (eah->dnulls[i])
				BadState("A state is a one-dimensional bigint array from subscript 1, without NULLs.");
	e = (int64 *) eah->dvalues;
	if (e[0] < OVERFLOWED || e[0] > (int64) eah->nelems - 1)
		BadState("Its first element counts the hashes that follow it.");
	return e;
}

/* The hashes of argument argno, flat or expanded, read only. */
static const int64 *
ReadOnlyElements(FunctionCallInfo fcinfo, int argno)
{
	if (EXPANDED_STATES && VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(PG_GETARG_DATUM(argno))))
		return ExpandedElements((ExpandedArrayHeader *) DatumGetEOHP(PG_GETARG_DATUM(argno)));
	return StateElements(PG_GETARG_ARRAYTYPE_P(argno));
}

/*
 * Makes the expanded state hold n hashes (its elements already written), or
 * give up, which also gives its memory back (up to 256 MB per process).
 */
static void
SetCount(ExpandedArrayHeader *eah, int64 n)
{
	if (n == OVERFLOWED && eah->dvalueslen > 1)
	{
		eah->dvalues = repalloc(eah->dvalues, sizeof(Datum));
		eah->dvalueslen = 1;
	}
	eah->dvalues[0] = Int64GetDatum(n);
	eah->nelems = (n == OVERFLOWED) ? 1 : (int) (n + 1);
	eah->dims[0] = eah->nelems;
	eah->flat_size = 0;			/* the flat size PostgreSQL cached is stale */
}

/* Room in the expanded state for `want` hashes; false (the state given up) past the bound. */
static bool
MakeRoom(ExpandedArrayHeader *eah, int64 want)
{
	int64		room = Max(eah->dvalueslen - 1, INITIAL_ROOM);

	if (want > DISTINCT_HASH_MAX_VALUES)
	{
		SetCount(eah, OVERFLOWED);
		return false;
	}
	if (want <= eah->dvalueslen - 1)
		return true;
	while (room < want)
		room *= 2;
	room = Min(room, DISTINCT_HASH_MAX_VALUES);
	/* A large chunk grows by realloc, usually in place (mremap): no copy, no fresh pages for old ones. */
	eah->dvalues = repalloc(eah->dvalues, (Size) (room + 1) * sizeof(Datum));
	eah->dvalueslen = (int) (room + 1);
	return true;
}

/*
 * The aggregate's state argument as an expanded array to change in place:
 * its own one, or a new one in the aggregate's memory holding the flat
 * state's hashes (the initial value, or a state a worker sent).  Either way
 * it ends with its own dimensions and no flat value, which PostgreSQL would
 * otherwise take for the current one.
 */
static ExpandedArrayHeader *
AggregateState(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	Datum		arg = PG_GETARG_DATUM(0);
	ExpandedArrayHeader *eah;
	int64		n;
	int		   *bounds;

	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(arg)))
		eah = (ExpandedArrayHeader *) DatumGetEOHP(arg);
	else
	{
		StateElements(PG_GETARG_ARRAYTYPE_P(0));
		eah = (ExpandedArrayHeader *) DatumGetEOHP(expand_array(arg, aggcontext, NULL));
	}
	n = ExpandedElements(eah)[0];
	if (eah->fvalue != NULL)
	{
		bounds = MemoryContextAlloc(eah->hdr.eoh_context, 2 * sizeof(int));
		bounds[1] = 1;
		eah->dims = &bounds[0];
		eah->lbound = &bounds[1];
		/* The flat copy expand_array made: deconstructed, no longer the value. */
		pfree(eah->fvalue);
		eah->fvalue = NULL;
		eah->fstartptr = eah->fendptr = NULL;
	}
	if (eah->dnulls != NULL)
	{
		pfree(eah->dnulls);		/* all false (ExpandedElements) */
		eah->dnulls = NULL;
	}
	SetCount(eah, n);
	return eah;
}

/* The state to return: a read/write pointer the aggregate adopts without a copy. */
#define RETURN_EXPANDED(eah) PG_RETURN_DATUM(EOHPGetRWDatum(&(eah)->hdr))

/* The 64-bit hash of a text argument. */
static inline int64
HashOfText(FunctionCallInfo fcinfo, int argno)
{
	text	   *value = PG_GETARG_TEXT_PP(argno);

	return (int64) hash_bytes_extended((const unsigned char *) VARDATA_ANY(value),
									   VARSIZE_ANY_EXHDR(value), 0);
}

/* distinct_hash_accum inside an aggregate: appends to the expanded state. */
static Datum
AccumExpanded(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	ExpandedArrayHeader *eah = AggregateState(fcinfo, aggcontext);
	int64		n = DatumGetInt64(eah->dvalues[0]);

	if (n != OVERFLOWED && !PG_ARGISNULL(1) && MakeRoom(eah, n + 1))
	{
		eah->dvalues[n + 1] = Int64GetDatum(HashOfText(fcinfo, 1));
		SetCount(eah, n + 1);
	}
	RETURN_EXPANDED(eah);
}

/*
 * distinct_hash_accum(state, value): keeps value's hash.  Inside an
 * aggregate, in the expanded state; a direct call returns a copy, grown to
 * twice the room when full.
 */
Datum
vinylops_distinct_hash_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ArrayType  *state;
	int64	   *e;

	if (PG_ARGISNULL(0))
		BadState("The state is NULL.");
	if (EXPANDED_STATES && AggCheckCallContext(fcinfo, &aggcontext))
		return AccumExpanded(fcinfo, aggcontext);
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
	e[1 + e[0]] = HashOfText(fcinfo, 1);
	e[0]++;
	PG_RETURN_ARRAYTYPE_P(state);
}

/* distinct_hash_combine inside an aggregate: appends b's hashes to the expanded state. */
static Datum
CombineExpanded(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	ExpandedArrayHeader *eah = AggregateState(fcinfo, aggcontext);
	const int64 *b = ReadOnlyElements(fcinfo, 1);
	int64		n = DatumGetInt64(eah->dvalues[0]);

	if (n == OVERFLOWED)
		RETURN_EXPANDED(eah);
	if (b[0] == OVERFLOWED)
		SetCount(eah, OVERFLOWED);
	else if (MakeRoom(eah, n + b[0]))
	{
		memcpy(&eah->dvalues[n + 1], b + 1, (Size) b[0] * sizeof(int64));
		SetCount(eah, n + b[0]);
	}
	RETURN_EXPANDED(eah);
}

/* Merges two states: the hashes of both, or an overflowed state past the bound. */
Datum
vinylops_distinct_hash_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ArrayType  *into;
	int64	   *a;
	const int64 *b;

	if (EXPANDED_STATES && AggCheckCallContext(fcinfo, &aggcontext))
		return CombineExpanded(fcinfo, aggcontext);
	into = CalledAsAggregate(fcinfo) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	a = StateElements(into);
	b = ReadOnlyElements(fcinfo, 1);

	if (a[0] == OVERFLOWED)
		PG_RETURN_ARRAYTYPE_P(into);
	if (b[0] == OVERFLOWED)
		PG_RETURN_ARRAYTYPE_P(NewState(OVERFLOWED, 0));
	/* A direct call's result: exactly the room needed. */
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
	const int64 *e = ReadOnlyElements(fcinfo, 0);

	if (e[0] == OVERFLOWED)
		PG_RETURN_NULL();
	PG_RETURN_INT64(CountDistinct((const uint64 *) (e + 1), e[0]));
}
