/*
 * dense_array.c — vinylops.dense_int_array(keys, vals, fill): an integer
 * array whose subscripts are the keys, for looking up a user's or a track's
 * attribute by its surrogate key inside a report's scan of streams.
 *
 * Why: a hash join of 19 M streams to users or tracks probes a hash table of
 * a few hundred thousand rows, far larger than the CPU caches, once per
 * stream (doc/performance.md).  The same attribute in a plain int4 array
 * indexed by key is 4 bytes per user or track, small enough to stay in
 * cache, and PostgreSQL's subscript on a fixed-width array without NULLs is
 * a direct offset.  The array's lower bound is the smallest key; keys
 * missing between the smallest and largest hold fill, so the array has no
 * NULL (a NULL bitmap would make each subscript walk the array).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(vinylops_dense_int_array);

/* Most elements one array spans: stream_tally's limit, and within 1 GB. */
#define DENSE_ARRAY_MAX_SPAN (1 << 24)

/* The elements of a one-dimensional int4 array argument; error on NULL elements. */
static int32 *
ArgInt4Elements(FunctionCallInfo fcinfo, int argno, const char *name, int *n)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	Datum	   *datums;
	bool	   *nulls;
	int32	   *values;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("dense_int_array %s must be one-dimensional", name)));
	deconstruct_array(a, INT4OID, sizeof(int32), true, TYPALIGN_INT, &datums, &nulls, n);
	values = (int32 *) palloc(Max(*n, 1) * sizeof(int32));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("dense_int_array %s must not contain NULL", name),
					 errdetail("Element %d is NULL.", i + 1)));
		values[i] = DatumGetInt32(datums[i]);
	}
	return values;
}

/* The smallest and largest of n > 0 keys, and the span between them; error past the limit. */
static int64
KeySpan(const int32 *keys, int n, int32 *lowest)
{
	int32		lo = keys[0];
	int32		hi = keys[0];
	int64		span;

	for (int i = 1; i < n; i++)
	{
		lo = Min(lo, keys[i]);
		hi = Max(hi, keys[i]);
	}
	span = (int64) hi - lo + 1;
	/* PostgreSQL arrays end below INT_MAX (their upper bound + 1 is an int). */
	if (hi == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dense_int_array keys must be less than %d", PG_INT32_MAX),
				 errdetail("An array's subscripts end below %d.", PG_INT32_MAX)));
	if (span > DENSE_ARRAY_MAX_SPAN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dense_int_array keys span more than %d values", DENSE_ARRAY_MAX_SPAN),
				 errdetail("Keys %d to %d.", lo, hi),
				 errhint("dense_int_array is for dense keys such as users.user_key.")));
	*lowest = lo;
	return span;
}

/*
 * dense_int_array(keys int[], vals int[], fill int): the int4 array a with
 * a[keys[i]] = vals[i], its lower bound the smallest key, fill where no key
 * is; NULL when there are no keys.  Keys must be distinct and below
 * INT_MAX, span at most 2^24 values; keys and values of equal length,
 * without NULLs.
 */
Datum
vinylops_dense_int_array(PG_FUNCTION_ARGS)
{
	int			nkeys;
	int			nvals;
	int32	   *keys = ArgInt4Elements(fcinfo, 0, "keys", &nkeys);
	int32	   *vals = ArgInt4Elements(fcinfo, 1, "values", &nvals);
	int32		fill = PG_GETARG_INT32(2);
	int32		lowest;
	int64		span;
	Datum	   *elements;
	bool	   *set;
	int			dims[1];
	int			lbs[1];

	if (nkeys != nvals)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("dense_int_array needs as many values as keys"),
				 errdetail("Got %d keys and %d values.", nkeys, nvals)));
	if (nkeys == 0)
		PG_RETURN_NULL();
	span = KeySpan(keys, nkeys, &lowest);
	elements = (Datum *) palloc(span * sizeof(Datum));
	set = (bool *) palloc0(span * sizeof(bool));
	for (int64 i = 0; i < span; i++)
		elements[i] = Int32GetDatum(fill);
	for (int i = 0; i < nkeys; i++)
	{
		int64		at = (int64) keys[i] - lowest;

		if (set[at])
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("dense_int_array keys must be distinct"),
					 errdetail("Key %d appears more than once.", keys[i])));
		set[at] = true;
		elements[at] = Int32GetDatum(vals[i]);
	}
	dims[0] = (int) span;
	lbs[0] = lowest;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elements, NULL, 1, dims, lbs, INT4OID,
											 sizeof(int32), true, TYPALIGN_INT));
}
