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
#include "key_map.h"
#include "packed_marks.h"
#include "percent.h"
#include "stream_tally.h"

PG_FUNCTION_INFO_V1(vinylops_stream_tally_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_marks_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_combine);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_final);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_rows);

#define STREAM_TALLY_ROWS_NATTS 14

/*
 * The tally of an argument.  Inside an aggregate, the state to update is the
 * one these functions built (there is no initial value), so it is used as it
 * is: the transition runs once per stream and must stay cheap.  Anything else
 * is checked, and copied when the function may change it (not ours to change).
 */
static StreamTally *
GetTally(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	Datum		arg = PG_GETARG_DATUM(argno);
	StreamTally *t;

	if (for_update && !VARATT_IS_EXTENDED(DatumGetPointer(arg)) && CalledAsAggregate(fcinfo))
		return (StreamTally *) DatumGetPointer(arg);
	t = StreamTallyFromDatum(arg);
	if (for_update && (Pointer) t == DatumGetPointer(arg))
		t = StreamTallyCopy(t);
	return t;
}

/* flag when the boolean argument is TRUE, 0 when FALSE or NULL. */
static inline uint8
FlagIfTrue(FunctionCallInfo fcinfo, int argno, uint8 flag)
{
	return (!PG_ARGISNULL(argno) && DatumGetBool(PG_GETARG_DATUM(argno))) ? flag : 0;
}

/* A transition that skips its row: the state as it was (NULL before any row). */
static Datum
StateAsItIs(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/*
 * The row of one transition's arguments: the key (argument 1), the three
 * flags after it, and the day and duration at day_argno and day_argno + 1;
 * the caller adds STREAM_TALLY_MARKED.
 */
static void
ReadRow(FunctionCallInfo fcinfo, StreamTallyRow *row, int day_argno)
{
	/* Padding included: the row is copied into the state, which may be stored. */
	memset(row, 0, sizeof(*row));
	row->key = PG_GETARG_INT32(1);
	row->flags = FlagIfTrue(fcinfo, 2, STREAM_TALLY_COMPLETED) |
		FlagIfTrue(fcinfo, 3, STREAM_TALLY_REPLAYED) |
		FlagIfTrue(fcinfo, 4, STREAM_TALLY_PLAYLISTED);
	if (!PG_ARGISNULL(day_argno))
	{
		row->day = PG_GETARG_DATEADT(day_argno);
		row->flags |= STREAM_TALLY_DATED;
	}
	if (!PG_ARGISNULL(day_argno + 1))
	{
		int32		duration = PG_GETARG_INT32(day_argno + 1);

		if (unlikely(duration < 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stream_tally duration must not be negative"),
					 errdetail("Got %d; durations are counted in whole seconds from zero.", duration)));
		row->duration = duration;
		row->flags |= STREAM_TALLY_TIMED;
	}
}

/*
 * Transition: (state, key, completed, replayed, added_to_playlist, marked,
 * day, duration).  A NULL key skips the row, as built-in aggregates skip
 * NULL input; a NULL flag counts as not TRUE; a NULL day or duration is left
 * out of the days or the durations.  Inside an aggregate the state changes
 * in place; a larger one is returned when a key lies outside it (nodeAgg
 * copies it into the aggregate's context and frees the old one).  The row
 * reaches its slot a few rows later (StreamTallyAddRow).
 */
Datum
vinylops_stream_tally_accum(PG_FUNCTION_ARGS)
{
	StreamTally *t;
	StreamTallyRow row;

	if (PG_ARGISNULL(1))
		return StateAsItIs(fcinfo);
	ReadRow(fcinfo, &row, 6);
	row.flags |= FlagIfTrue(fcinfo, 5, STREAM_TALLY_MARKED);
	t = PG_ARGISNULL(0) ? StreamTallyNew(row.key) : GetTally(fcinfo, 0, true);
	StreamTallyAddRow(&t, &row);
	PG_RETURN_POINTER(t);
}

/*
 * Transition with the mark looked up: (state, key, completed, replayed,
 * added_to_playlist, marks, mark_key, known_only, day, duration).  The row is
 * marked when marks[mark_key] is 1; with known_only, a row whose mark_key is
 * NULL, outside marks or on a negative element is left out (as an inner join
 * to the table marks was built from leaves it).  The lookup in C replaces a
 * SQL subscript per stream (quebec_cultural_engagement, doc/performance.md).
 */
Datum
vinylops_stream_tally_marks_accum(PG_FUNCTION_ARGS)
{
	StreamTally *t;
	StreamTallyRow row;
	KeyMap		marks;
	int			mark;

	if (PG_ARGISNULL(1))
		return StateAsItIs(fcinfo);
	ReadKeyMap(fcinfo, 5, "marks", &marks);
	/* marks is the aggregate's fifth argument (4 from 0). */
	mark = PackedMarkOf(fcinfo, &marks, 6, 4);
	if (mark == MARK_UNKNOWN && !PG_ARGISNULL(7) && PG_GETARG_BOOL(7))
		return StateAsItIs(fcinfo);
	ReadRow(fcinfo, &row, 8);
	if (mark == MARK_SET)
		row.flags |= STREAM_TALLY_MARKED;
	t = PG_ARGISNULL(0) ? StreamTallyNew(row.key) : GetTally(fcinfo, 0, true);
	StreamTallyAddRow(&t, &row);
	PG_RETURN_POINTER(t);
}

/* Combine: adds the second tally into the first (in place inside an aggregate). */
Datum
vinylops_stream_tally_combine(PG_FUNCTION_ARGS)
{
	StreamTally *a = GetTally(fcinfo, 0, true);
	StreamTally *b = GetTally(fcinfo, 1, false);

	StreamTallySettle(&a);
	StreamTallyAddTally(&a, b);
	PG_RETURN_POINTER(a);
}

/* Final: the rows still waiting go to their slots, so the result has none. */
Datum
vinylops_stream_tally_final(PG_FUNCTION_ARGS)
{
	StreamTally *t;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = GetTally(fcinfo, 0, true);
	StreamTallySettle(&t);
	PG_RETURN_POINTER(t);
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
	StreamTallySlot slot;
	const StreamTallySlot *s = &slot;
	Datum		values[STREAM_TALLY_ROWS_NATTS];
	bool		nulls[STREAM_TALLY_ROWS_NATTS] = {0};

	StreamTallyReadSlot(t, i, &slot);
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
	nulls[10] = nulls[11] = (s->dated == 0);
	values[10] = nulls[10] ? (Datum) 0 : DateADTGetDatum(s->first_day);
	values[11] = nulls[11] ? (Datum) 0 : DateADTGetDatum(s->last_day);
	nulls[12] = nulls[13] = (s->timed == 0);
	values[12] = nulls[12] ? (Datum) 0 : Int64GetDatum(s->duration);
	/* stream_metrics' mean duration, bit for bit. */
	values[13] = nulls[13] ? (Datum) 0 : Float8GetDatum((double) s->duration / (double) s->timed);
	tuplestore_putvalues(store, desc, values, nulls);
}

/*
 * stream_tally_rows(tally): one row per key with streams, in ascending key
 * order — (key, streams, completed, replayed, playlisted, marked, the four
 * as percentages of streams, first_day, last_day, total_duration,
 * avg_duration_sec) — the per-key rows a GROUP BY key would have given.
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
	t = StreamTallySettledFromDatum(PG_GETARG_DATUM(0));
	for (int32 i = 0; i < t->nslots; i++)
		if (StreamTallyStreams(t, i) > 0)
			PutRow(rsinfo->setResult, rsinfo->setDesc, t, i);
	return (Datum) 0;
}
