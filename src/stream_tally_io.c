/*
 * stream_tally_io.c — text and binary I/O of vinylops.stream_tally.
 *
 * Both forms list the keys that have streams in strictly ascending order,
 * each with its counts (stream_tally.h): text
 * "{(key,streams,completed,replayed,playlisted,marked,dated,first_day,
 * last_day,timed,duration),...}", the days as day numbers (days from
 * 2000-01-01, as a date is stored); binary int32 count of keys, then per key
 * ten int32 and the int64 duration.  Rows still waiting for their slot
 * (the transition's lookahead) are settled first.  Input rebuilds the
 * tally key by key, so a tally read from outside (a user's literal, a Citus
 * shard's partial state) has a layout this code built, and every key's
 * counts are checked (StreamTallySlotValid).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"

#include "stream_tally.h"
#include "text_scan.h"

PG_FUNCTION_INFO_V1(vinylops_stream_tally_in);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_out);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_recv);
PG_FUNCTION_INFO_V1(vinylops_stream_tally_send);

/* The numbers of one key in the external forms: the key, then the slot's fields. */
#define ENTRY_NUMBERS (1 + STREAM_TALLY_FIELDS)

/* The position of the duration, the one int64, among them. */
#define DURATION_NUMBER (ENTRY_NUMBERS - 1)

/* Raises 22P02 for a stream_tally literal. */
static void
SyntaxError(const char *input, const char *detail)
{
	TextSyntaxError("stream_tally", input, detail);
}

/* Expects character c at *pos and moves past it. */
static void
Expect(const char *input, const char **pos, char c)
{
	if (**pos != c)
		SyntaxError(input, psprintf("Expected \"%c\" at character %d.", c, (int) (*pos - input) + 1));
	(*pos)++;
}

/*
 * Adds one key read from outside to *t (NULL before the first): keys must
 * ascend and the counts must be consistent (errcode says which form broke).
 */
static void
AddEntry(StreamTally **t, const int64 *numbers, bool *first, int32 *previous_key, int errcode_if_bad)
{
	int32		key = (int32) numbers[0];
	StreamTallySlot entry;

	memset(&entry, 0, sizeof(entry));
	entry.streams = (int32) numbers[1];
	entry.completed = (int32) numbers[2];
	entry.replayed = (int32) numbers[3];
	entry.playlisted = (int32) numbers[4];
	entry.marked = (int32) numbers[5];
	entry.dated = (int32) numbers[6];
	entry.first_day = (int32) numbers[7];
	entry.last_day = (int32) numbers[8];
	entry.timed = (int32) numbers[9];
	entry.duration = numbers[DURATION_NUMBER];
	if (!*first && key <= *previous_key)
		ereport(ERROR,
				(errcode(errcode_if_bad),
				 errmsg("stream_tally keys must be in strictly ascending order"),
				 errdetail("Key %d follows key %d.", key, *previous_key)));
	if (entry.streams <= 0 || !StreamTallySlotValid(&entry))
		ereport(ERROR,
				(errcode(errcode_if_bad),
				 errmsg("stream_tally counts of key %d are inconsistent", key),
				 errdetail("A key has at least one stream, each count lies between 0 and its streams, "
						   "first_day <= last_day and both are 0 when no stream has a day, "
						   "and the duration is at most timed x 2147483647.")));
	if (*first)
		*t = StreamTallyNew(key);
	StreamTallyWriteSlot(t, key, &entry);
	*first = false;
	*previous_key = key;
}

Datum
vinylops_stream_tally_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	StreamTally *t = NULL;
	bool		first = true;
	int32		previous_key = 0;

	Expect(input, &p, '{');
	while (*p != '}')
	{
		int64		numbers[ENTRY_NUMBERS];

		if (!first)
			Expect(input, &p, ',');
		Expect(input, &p, '(');
		for (int i = 0; i < ENTRY_NUMBERS; i++)
		{
			if (i > 0)
				Expect(input, &p, ',');
			numbers[i] = (i == DURATION_NUMBER)
				? TextReadInt64("stream_tally", "Durations", input, &p)
				: TextReadInt32("stream_tally", "Keys and counts", input, &p);
		}
		Expect(input, &p, ')');
		AddEntry(&t, numbers, &first, &previous_key, ERRCODE_INVALID_TEXT_REPRESENTATION);
	}
	p++;
	if (*p != '\0')
		SyntaxError(input, psprintf("Unexpected text after \"}\" at character %d.", (int) (p - input) + 1));
	if (t == NULL)
		t = StreamTallyNew(0);
	PG_RETURN_POINTER(t);
}

/* The key and the fields of slot i, in the external order. */
static void
EntryNumbers(const StreamTally *t, int i, int64 *numbers)
{
	StreamTallySlot s;

	StreamTallyReadSlot(t, i, &s);
	numbers[0] = t->base + i;
	numbers[1] = s.streams;
	numbers[2] = s.completed;
	numbers[3] = s.replayed;
	numbers[4] = s.playlisted;
	numbers[5] = s.marked;
	numbers[6] = s.dated;
	numbers[7] = s.first_day;
	numbers[8] = s.last_day;
	numbers[9] = s.timed;
	numbers[DURATION_NUMBER] = s.duration;
}

Datum
vinylops_stream_tally_out(PG_FUNCTION_ARGS)
{
	StreamTally *t = StreamTallySettledFromDatum(PG_GETARG_DATUM(0));
	StringInfoData buf;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < t->nslots; i++)
	{
		int64		numbers[ENTRY_NUMBERS];

		if (StreamTallyStreams(t, i) == 0)
			continue;
		EntryNumbers(t, i, numbers);
		appendStringInfo(&buf, "%s(" INT64_FORMAT, first ? "" : ",", numbers[0]);
		for (int j = 1; j < ENTRY_NUMBERS; j++)
			appendStringInfo(&buf, "," INT64_FORMAT, numbers[j]);
		appendStringInfoChar(&buf, ')');
		first = false;
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
vinylops_stream_tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		nkeys = pq_getmsgint(buf, 4);
	StreamTally *t = NULL;
	bool		first = true;
	int32		previous_key = 0;

	if (nkeys < 0 || (int64) nkeys * (ENTRY_NUMBERS + 1) * 4 > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid stream_tally key count %d", nkeys),
				 errdetail("The message holds %d more bytes.", buf->len - buf->cursor)));
	for (int32 k = 0; k < nkeys; k++)
	{
		int64		numbers[ENTRY_NUMBERS];

		for (int i = 0; i < DURATION_NUMBER; i++)
			numbers[i] = (int32) pq_getmsgint(buf, 4);
		numbers[DURATION_NUMBER] = pq_getmsgint64(buf);
		AddEntry(&t, numbers, &first, &previous_key, ERRCODE_INVALID_BINARY_REPRESENTATION);
	}
	if (t == NULL)
		t = StreamTallyNew(0);
	PG_RETURN_POINTER(t);
}

Datum
vinylops_stream_tally_send(PG_FUNCTION_ARGS)
{
	StreamTally *t = StreamTallySettledFromDatum(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int32		nkeys = 0;

	for (int i = 0; i < t->nslots; i++)
		nkeys += (StreamTallyStreams(t, i) > 0);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, nkeys);
	for (int i = 0; i < t->nslots; i++)
	{
		int64		numbers[ENTRY_NUMBERS];

		if (StreamTallyStreams(t, i) == 0)
			continue;
		EntryNumbers(t, i, numbers);
		for (int j = 0; j < DURATION_NUMBER; j++)
			pq_sendint32(&buf, (int32) numbers[j]);
		pq_sendint64(&buf, numbers[DURATION_NUMBER]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
