/*
 * stream_checks.c — the stream_checks aggregate: every per-stream check of
 * data_quality() in one transition call per row.
 *
 * data_quality() counted each check with its own count(*) FILTER (...), ten
 * aggregate calls and filter expressions per stream, which cost more than the
 * scan itself at 19 M streams (doc/performance.md).  Here one C call counts
 * them all.  The state is a plain bigint[] of STREAM_CHECKS_FIELDS counters
 * (no extension type to validate, and Citus and parallel query merge it with
 * stream_checks_combine); counts add, the two maxima take the larger.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "agg_call.h"
#include "key_map.h"

PG_FUNCTION_INFO_V1(vinylops_stream_checks_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_checks_keyed_accum);
PG_FUNCTION_INFO_V1(vinylops_stream_checks_combine);
PG_FUNCTION_INFO_V1(vinylops_stream_checks_final);

/* The state's elements, in order (bigint[] subscripts 1 .. STREAM_CHECKS_FIELDS). */
enum
{
	CHK_STREAMS,				/* rows */
	CHK_NO_USER_KEY,			/* user_key IS NULL */
	CHK_NO_TRACK_KEY,			/* track_key IS NULL */
	CHK_UNKNOWN_TRACK,			/* a track_key whose track duration is NULL or negative */
	CHK_LONGER_THAN_TRACK,		/* stream_duration_sec > track_duration_sec >= 0 */
	CHK_LONGEST_EXCESS,			/* the largest such difference, 0 when none */
	CHK_COMPLETED_AND_SKIPPED,
	CHK_ZERO_DURATION,
	CHK_HOUR_MISMATCH,			/* hour_of_day IS DISTINCT FROM the hour of stream_time */
	CHK_FUTURE,					/* stream_date > today */
	CHK_LATEST_DATE,			/* max(stream_date) as a DateADT, NO_DATE when none */
	STREAM_CHECKS_FIELDS
};

#define NO_DATE PG_INT64_MIN

/* Argument positions of stream_checks_accum. */
enum
{
	ARG_STATE,
	ARG_USER_KEY,
	ARG_TRACK_KEY,
	ARG_TRACK_DURATION,
	ARG_COMPLETED,
	ARG_SKIPPED,
	ARG_STREAM_DURATION,
	ARG_HOUR,
	ARG_TIME,
	ARG_DATE,
	ARG_TODAY
};

static void
BadState(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid stream_checks state"),
			 errdetail("%s", why)));
}

/*
 * The counters of a state array, after checking its shape and values: anyone
 * can pass a bigint[] to the support functions, or make one the INITCOND of an
 * aggregate of their own over them (so even a state inside an aggregate is
 * checked), and a wrong one must be an error, not a write past its end, a
 * negative count or a date PostgreSQL cannot print.
 */
static int64 *
StateCounters(ArrayType *a)
{
	int64	   *c;
	int			i;

	if (ARR_ELEMTYPE(a) != INT8OID || ARR_NDIM(a) != 1 || ARR_HASNULL(a) ||
		ARR_LBOUND(a)[0] != 1 || ARR_DIMS(a)[0] != STREAM_CHECKS_FIELDS)
		BadState("A state is a one-dimensional bigint array of 11 elements, from subscript 1, without NULLs.");
	c = (int64 *) ARR_DATA_PTR(a);
	for (i = 0; i < STREAM_CHECKS_FIELDS; i++)
		if (i != CHK_LATEST_DATE && c[i] < 0)
			BadState("Its counts cannot be negative.");
	if (c[CHK_LATEST_DATE] != NO_DATE &&
		(c[CHK_LATEST_DATE] < PG_INT32_MIN || c[CHK_LATEST_DATE] > PG_INT32_MAX ||
		 !(DATE_NOT_FINITE((DateADT) c[CHK_LATEST_DATE]) || IS_VALID_DATE((DateADT) c[CHK_LATEST_DATE]))))
		BadState("Its latest date is out of range.");
	return c;
}

/* The state argument, changed in place inside an aggregate, copied otherwise. */
static ArrayType *
WritableStateArray(FunctionCallInfo fcinfo, int argno)
{
	if (CalledAsAggregate(fcinfo))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

static inline void
Increment(int64 *counter)
{
	if (unlikely(pg_add_s64_overflow(*counter, 1, counter)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_checks count is out of range")));
}

/*
 * The duration checks: a stream longer than its track (track_sec NULL or
 * negative: no such track), and zero durations.
 */
static inline void
CheckDurations(FunctionCallInfo fcinfo, int64 *c, const int32 *track_sec_at)
{
	int32		stream_sec;
	int32		track_sec;

	if (PG_ARGISNULL(ARG_STREAM_DURATION))
		return;
	stream_sec = PG_GETARG_INT32(ARG_STREAM_DURATION);
	if (stream_sec == 0)
		Increment(&c[CHK_ZERO_DURATION]);
	if (track_sec_at == NULL)
		return;
	track_sec = *track_sec_at;
	if (track_sec >= 0 && stream_sec > track_sec)
	{
		Increment(&c[CHK_LONGER_THAN_TRACK]);
		c[CHK_LONGEST_EXCESS] = Max(c[CHK_LONGEST_EXCESS], (int64) stream_sec - track_sec);
	}
}

/* hour_of_day IS DISTINCT FROM date_part('hour', stream_time). */
static inline bool
HourMismatch(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(ARG_HOUR) || PG_ARGISNULL(ARG_TIME))
		return PG_ARGISNULL(ARG_HOUR) != PG_ARGISNULL(ARG_TIME);
	return (int64) PG_GETARG_INT16(ARG_HOUR) != PG_GETARG_TIMEADT(ARG_TIME) / USECS_PER_HOUR;
}

/*
 * Counts one stream into the state argument, whose track lasts *track_sec_at
 * (NULL or negative: no such track), and returns the state.
 */
static Datum
CountStream(FunctionCallInfo fcinfo, const int32 *track_sec_at)
{
	ArrayType  *state;
	int64	   *c;

	if (PG_ARGISNULL(ARG_STATE))
		BadState("The state is NULL.");
	state = WritableStateArray(fcinfo, ARG_STATE);
	c = StateCounters(state);
	Increment(&c[CHK_STREAMS]);
	if (PG_ARGISNULL(ARG_USER_KEY))
		Increment(&c[CHK_NO_USER_KEY]);
	if (PG_ARGISNULL(ARG_TRACK_KEY))
		Increment(&c[CHK_NO_TRACK_KEY]);
	else if (track_sec_at == NULL || *track_sec_at < 0)
		Increment(&c[CHK_UNKNOWN_TRACK]);
	CheckDurations(fcinfo, c, track_sec_at);
	if (!PG_ARGISNULL(ARG_COMPLETED) && PG_GETARG_BOOL(ARG_COMPLETED) &&
		!PG_ARGISNULL(ARG_SKIPPED) && PG_GETARG_BOOL(ARG_SKIPPED))
		Increment(&c[CHK_COMPLETED_AND_SKIPPED]);
	if (HourMismatch(fcinfo))
		Increment(&c[CHK_HOUR_MISMATCH]);
	if (!PG_ARGISNULL(ARG_DATE))
	{
		DateADT		day = PG_GETARG_DATEADT(ARG_DATE);

		if (!PG_ARGISNULL(ARG_TODAY) && day > PG_GETARG_DATEADT(ARG_TODAY))
			Increment(&c[CHK_FUTURE]);
		c[CHK_LATEST_DATE] = Max(c[CHK_LATEST_DATE], (int64) day);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * stream_checks_accum(state, user_key, track_key, track_duration_sec,
 * completed, skipped, stream_duration_sec, hour_of_day, stream_time,
 * stream_date, today): counts one stream.  The track's duration is the
 * caller's lookup by track_key: NULL or negative means no such track.
 */
Datum
vinylops_stream_checks_accum(PG_FUNCTION_ARGS)
{
	int32		track_sec;

	if (PG_ARGISNULL(ARG_TRACK_DURATION))
		return CountStream(fcinfo, NULL);
	track_sec = PG_GETARG_INT32(ARG_TRACK_DURATION);
	return CountStream(fcinfo, &track_sec);
}

/*
 * stream_checks_keyed_accum(state, user_key, track_key, track_durations,
 * ...): the same, the track's duration looked up here as
 * track_durations[track_key] (an int4[] such as dense_int_array builds; NULL
 * when the key is NULL or outside it).  data_quality()'s SQL subscript for it
 * cost about as much per stream as all the checks (doc/performance.md).
 */
Datum
vinylops_stream_checks_keyed_accum(PG_FUNCTION_ARGS)
{
	KeyMap		durations;

	ReadKeyMap(fcinfo, ARG_TRACK_DURATION, "track_durations", &durations);
	return CountStream(fcinfo, KeyMapAt(fcinfo, &durations, ARG_TRACK_KEY));
}

/* Merges two states: counts add, the longest excess and the latest date take the larger. */
Datum
vinylops_stream_checks_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = WritableStateArray(fcinfo, 0);
	int64	   *a = StateCounters(into);
	int64	   *b = StateCounters(PG_GETARG_ARRAYTYPE_P(1));
	int			i;

	for (i = 0; i < STREAM_CHECKS_FIELDS; i++)
	{
		if (i == CHK_LONGEST_EXCESS || i == CHK_LATEST_DATE)
			a[i] = Max(a[i], b[i]);
		else if (unlikely(pg_add_s64_overflow(a[i], b[i], &a[i])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("stream_checks count is out of range")));
	}
	PG_RETURN_ARRAYTYPE_P(into);
}

/* The vinylops.stream_checks_result row of a state. */
Datum
vinylops_stream_checks_final(PG_FUNCTION_ARGS)
{
	int64	   *c = StateCounters(PG_GETARG_ARRAYTYPE_P(0));
	TupleDesc	tupdesc;
	Datum		values[STREAM_CHECKS_FIELDS];
	bool		nulls[STREAM_CHECKS_FIELDS];
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != STREAM_CHECKS_FIELDS)
		elog(ERROR, "stream_checks_final must return stream_checks_result");
	tupdesc = BlessTupleDesc(tupdesc);
	for (i = 0; i < STREAM_CHECKS_FIELDS; i++)
	{
		nulls[i] = false;
		values[i] = Int64GetDatum(c[i]);
	}
	nulls[CHK_LATEST_DATE] = c[CHK_LATEST_DATE] == NO_DATE;
	values[CHK_LATEST_DATE] = nulls[CHK_LATEST_DATE] ? (Datum) 0
		: DateADTGetDatum((DateADT) c[CHK_LATEST_DATE]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
