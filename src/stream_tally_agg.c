/*
 * stream_tally_agg.c — the stream_tally aggregate (transition, combine) over
 * vinylops.stream_tally, and stream_tally_rows, which lists a tally's keys
 * with their counts and rates.
 *
 * stream_tally(key, completed, replayed, added_to_playlist, marked, day) is
 * one aggregate group however many keys it sees: per row it adds to the
 * key's slot of a dense array (stream_tally.h), where GROUP BY key would
 * hash the row into a table far larger than the CPU caches.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/date.h"
#include "utils/tuplestore.h"

#include "agg_call.h"
#include "percent.h"
#include "stream_tally.h"

PG_FUNCTION_INFO_V1(vinylops_stream_tally_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_combine);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_rows);

#define STREAM_TALLY_ROWS_NATTS 11

/* The tally of an argument, checked; a copy unless the function may change it in place (an aggregate's own state). */
static StreamTally *
GetTally(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	Datum		arg = PG_GETARG_DATUM(argno);
	StreamTally *t = StreamTallyFromDatum(arg);

	if (for_update && (Pointer) t == DatumGetPointer(arg) && !CalledAsAggregate(fcinfo))
		t = StreamTallyCopy(t);
	return t;
}

/* 1 when the boolean argument is TRUE, 0 when FALSE or NULL. */
static inline int32
IsTrue(FunctionCallInfo fcinfo, int argno)
{
	return (int32) (!PG_ARGISNULL(argno) & (DatumGetBool(PG_GETARG_DATUM(argno)) != 0));
}

/*
 * Transition: (state, key, completed, replayed, added_to_playlist, marked,
 * day).  A NULL key skips the row, as built-in aggregates skip NULL input; a
 * NULL flag counts as not TRUE; a NULL day is left out of last_day.  Inside
 * an aggregate the state changes in place; a larger one is returned when a
 * key lies outside it (nodeAgg copies it into the aggregate's context and
 * frees the old one).
 */
Datum
vinylops_stream_tally_accum(PG_FUNCTION_ARGS)
{
	StreamTally *t;
	StreamTallySlot *slot;
	int32		key;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	key = PG_GETARG_INT32(1);
	t = PG_ARGISNULL(0) ? StreamTallyNew(key) : GetTally(fcinfo, 0, true);
	slot = StreamTallySlotFor(&t, key);
	if (slot->streams == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_tally count is out of range"),
				 errdetail("Key %d has more than %d rows.", key, PG_INT32_MAX)));
	slot->streams++;
	slot->completed += IsTrue(fcinfo, 2);
	slot->replayed += IsTrue(fcinfo, 3);
	slot->playlisted += IsTrue(fcinfo, 4);
	slot->marked += IsTrue(fcinfo, 5);
	if (!PG_ARGISNULL(6))
	{
		DateADT		day = PG_GETARG_DATEADT(6);

		if (slot->dated == 0 || day > slot->last_day)
			slot->last_day = day;
		slot->dated++;
	}
	PG_RETURN_POINTER(t);
}

/* The first and last slots of t that hold a key; false when none does. */
static bool
UsedRange(const StreamTally *t, int32 *first, int32 *last)
{
	int32		i = 0;
	int32		j = t->nslots - 1;

	while (i < t->nslots && t->slots[i].streams == 0)
		i++;
	if (i == t->nslots)
		return false;
	while (t->slots[j].streams == 0)
		j--;
	*first = i;
	*last = j;
	return true;
}

/* Combine: adds the second tally into the first (in place inside an aggregate). */
Datum
vinylops_stream_tally_combine(PG_FUNCTION_ARGS)
{
	StreamTally *a = GetTally(fcinfo, 0, true);
	StreamTally *b = GetTally(fcinfo, 1, false);
	int32		first;
	int32		last;

	if (!UsedRange(b, &first, &last))
		PG_RETURN_POINTER(a);
	/* Span b's keys first, so a grows at most twice. */
	(void) StreamTallySlotFor(&a, b->base + first);
	(void) StreamTallySlotFor(&a, b->base + last);
	for (int32 i = first; i <= last; i++)
	{
		StreamTallySlot *into;

		if (b->slots[i].streams == 0)
			continue;
		if (unlikely(!StreamTallySlotValid(&b->slots[i])))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupt stream_tally value")));
		into = StreamTallySlotFor(&a, b->base + i);
		StreamTallySlotAdd(into, &b->slots[i]);
	}
	PG_RETURN_POINTER(a);
}

/* Stores a percentage (or NULL) into one column of a result row. */
static inline void
SetPercent(Datum *values, bool *nulls, int attno, int64 part, int64 whole)
{
	double		pct;

	nulls[attno] = !Percent(part, whole, &pct);
	values[attno] = nulls[attno] ? (Datum) 0 : Float8GetDatum(pct);
}

/* One result row for the key in slot i. */
static void
PutRow(Tuplestorestate *store, TupleDesc desc, const StreamTally *t, int32 i)
{
	const StreamTallySlot *s = &t->slots[i];
	Datum		values[STREAM_TALLY_ROWS_NATTS];
	bool		nulls[STREAM_TALLY_ROWS_NATTS] = {0};

	if (unlikely(!StreamTallySlotValid(s)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt stream_tally value")));
	values[0] = Int32GetDatum(t->base + i);
	values[1] = Int64GetDatum(s->streams);
	values[2] = Int64GetDatum(s->completed);
	values[3] = Int64GetDatum(s->replayed);
	values[4] = Int64GetDatum(s->playlisted);
	values[5] = Int64GetDatum(s->marked);
	SetPercent(values, nulls, 6, s->completed, s->streams);
	SetPercent(values, nulls, 7, s->replayed, s->streams);
	SetPercent(values, nulls, 8, s->playlisted, s->streams);
	SetPercent(values, nulls, 9, s->marked, s->streams);
	nulls[10] = (s->dated == 0);
	values[10] = nulls[10] ? (Datum) 0 : DateADTGetDatum(s->last_day);
	tuplestore_putvalues(store, desc, values, nulls);
}

/*
 * stream_tally_rows(tally): one row per key with streams, in ascending key
 * order — (key, streams, completed, replayed, playlisted, marked, the four
 * as percentages of streams, last_day) — the per-key rows a GROUP BY key
 * would have given.
 */
Datum
vinylops_stream_tally_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StreamTally *t;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != STREAM_TALLY_ROWS_NATTS)
		elog(ERROR, "stream_tally_rows must return %d columns, not %d",
			 STREAM_TALLY_ROWS_NATTS, rsinfo->setDesc->natts);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	t = GetTally(fcinfo, 0, false);
	for (int32 i = 0; i < t->nslots; i++)
		if (t->slots[i].streams > 0)
			PutRow(rsinfo->setResult, rsinfo->setDesc, t, i);
	return (Datum) 0;
}
