/*
 * int_set_tally.c — the int_set_tally aggregate: over sets of keys
 * (int_set), how many of the sets hold each key, as a stream_tally.
 *
 * Why: user_lifecycle needs each user's distinct active days.  Grouping 19 M
 * streams by user to count each user's days keeps a set per user in a hash
 * table far larger than the CPU caches.  Grouped by day instead, each day's
 * set of users is a bitmap of 24 kB (users carry a dense key), and a user's
 * active days are the number of day sets that hold the user: this aggregate
 * counts them, key by key in ascending order, into a dense tally.
 */
#include "postgres.h"

#include "fmgr.h"

#include "agg_call.h"
#include "int_set.h"
#include "stream_tally.h"

PG_FUNCTION_INFO_V1(vinylops_int_set_tally_accum);

/*
 * Transition: (tally, set).  Each value of the set counts as one row of its
 * key (the key's streams); a NULL or empty set adds nothing.  Inside an
 * aggregate the tally changes in place; otherwise the argument is copied.
 */
Datum
vinylops_int_set_tally_accum(PG_FUNCTION_ARGS)
{
	StreamTally *t;
	IntSet	   *set;
	int32	   *values;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	set = IntSetFromDatum(PG_GETARG_DATUM(1));
	if (set->count == 0)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	values = IntSetSortedValues(set);
	if (PG_ARGISNULL(0))
		t = StreamTallyNew(values[0]);
	else
	{
		t = StreamTallyFromDatum(PG_GETARG_DATUM(0));
		if ((Pointer) t == DatumGetPointer(PG_GETARG_DATUM(0)) && !CalledAsAggregate(fcinfo))
			t = StreamTallyCopy(t);
	}
	/* The smallest and largest values first, so the tally grows at most twice. */
	(void) StreamTallySlotFor(&t, values[0]);
	(void) StreamTallySlotFor(&t, values[set->count - 1]);
	for (int64 i = 0; i < set->count; i++)
	{
		StreamTallyRow row;

		memset(&row, 0, sizeof(row));
		row.key = values[i];
		StreamTallyAddRow(&t, &row);
	}
	pfree(values);
	PG_RETURN_POINTER(t);
}
