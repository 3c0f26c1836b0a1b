/*
 * int_set_agg.c — the distinct_count aggregates over vinylops.int_set
 * (transition, combine, final) and tid_ordinal, the integer key of a row
 * within one snapshot.
 *
 * count(DISTINCT x) sorts every row of every group and never aggregates in
 * parallel workers; distinct_count(x) hashes each row into its group's set in
 * one pass, and partial sets from workers or shards are unions.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "storage/itemptr.h"

#include "agg_call.h"
#include "int_set.h"

PG_FUNCTION_INFO_V1(vinylops_int_set_accum);
PG_FUNCTION_INFO_V1(vinylops_int_set_combine);
PG_FUNCTION_INFO_V1(vinylops_int_set_count);
PG_FUNCTION_INFO_V1(vinylops_tid_ordinal);

/* The set of an argument, checked; a copy unless the function may change it in place (an aggregate's own state). */
static IntSet *
GetSet(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	Datum		arg = PG_GETARG_DATUM(argno);
	IntSet	   *s = IntSetFromDatum(arg);

	if (for_update && (Pointer) s == DatumGetPointer(arg) && !CalledAsAggregate(fcinfo))
		s = IntSetCopy(s);
	return s;
}

/*
 * distinct_count transition: (state, value), value an integer or a date (a
 * date is its day number).  NULL values are skipped, as count(DISTINCT)
 * skips them.  Inside an aggregate the state grows in place; a bigger set is
 * returned when it needs room (nodeAgg copies it into the aggregate context
 * and frees the old one).
 */
Datum
vinylops_int_set_accum(PG_FUNCTION_ARGS)
{
	IntSet	   *s;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s = PG_ARGISNULL(0) ? IntSetNew() : GetSet(fcinfo, 0, true);
	PG_RETURN_POINTER(IntSetAdd(s, PG_GETARG_INT32(1)));
}

/* Combine: the union of two sets (in place in the first inside an aggregate). */
Datum
vinylops_int_set_combine(PG_FUNCTION_ARGS)
{
	IntSet	   *a = GetSet(fcinfo, 0, true);
	IntSet	   *b = GetSet(fcinfo, 1, false);

	PG_RETURN_POINTER(IntSetUnion(a, b));
}

/* Final: how many distinct values; 0 for no values, as count(DISTINCT). */
Datum
vinylops_int_set_count(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	PG_RETURN_INT64(GetSet(fcinfo, 0, false)->count);
}

/*
 * tid_ordinal(ctid): block * MaxHeapTuplesPerPage + offset - 1, a distinct
 * integer for each row version of a table.  Within one query every worker
 * sees the same snapshot, so a table's visible rows keep one ctid each: it
 * keys a row for distinct_count where the row's own key is text.
 */
Datum
vinylops_tid_ordinal(PG_FUNCTION_ARGS)
{
	ItemPointer tid = (ItemPointer) PG_GETARG_POINTER(0);
	OffsetNumber offset = ItemPointerGetOffsetNumberNoCheck(tid);
	int64		ordinal = (int64) ItemPointerGetBlockNumberNoCheck(tid) * MaxHeapTuplesPerPage + offset - 1;

	/* Offsets past a heap page's last line pointer would share numbers with the next block. */
	if (offset < FirstOffsetNumber || offset > MaxHeapTuplesPerPage)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("row position (%u,%u) is not a heap row position",
						ItemPointerGetBlockNumberNoCheck(tid), offset),
				 errdetail("Heap offsets run from 1 to %d.", (int) MaxHeapTuplesPerPage)));
	if (ordinal > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("row position (%u,%u) is out of range for tid_ordinal",
						ItemPointerGetBlockNumberNoCheck(tid), ItemPointerGetOffsetNumberNoCheck(tid)),
				 errdetail("tid_ordinal keys rows of tables up to %d blocks.",
						   PG_INT32_MAX / MaxHeapTuplesPerPage)));
	PG_RETURN_INT32((int32) ordinal);
}
