/*
 * int_set_io.c — text and binary I/O of vinylops.int_set.
 *
 * Both forms list the values in strictly ascending order ("{1,5,9}"; binary:
 * int64 count, then each value as int32), whatever the form in memory.  Input
 * rebuilds the set value by value through IntSetAdd, so a set read from
 * outside (a user's literal, a Citus shard's partial state) always has a
 * layout this code built; every length is checked before it is read.
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"

#include "int_set.h"
#include "text_scan.h"

PG_FUNCTION_INFO_V1(vinylops_int_set_in);
PG_FUNCTION_INFO_V1(vinylops_int_set_out);
PG_FUNCTION_INFO_V1(vinylops_int_set_recv);
PG_FUNCTION_INFO_V1(vinylops_int_set_send);

/* Raises 22P02 for an int_set literal. */
static void
SyntaxError(const char *input, const char *detail)
{
	TextSyntaxError("int_set", input, detail);
}

static void
NotAscending(int errcode_value, int64 index, int32 value, int32 previous)
{
	ereport(ERROR,
			(errcode(errcode_value),
			 errmsg("inconsistent int_set value"),
			 errdetail("Value " INT64_FORMAT " is %d after %d; values must be strictly ascending.",
					   index, value, previous)));
}

/* Text input: "{value,...}" with values strictly ascending, or "{}". */
Datum
vinylops_int_set_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	IntSet	   *s = IntSetNew();
	int32		previous = 0;

	if (*p++ != '{')
		SyntaxError(input, "A set starts with \"{\".");
	if (*p != '}')
	{
		for (;;)
		{
			int32		value = TextReadInt32("int_set", "Values", input, &p);

			if (s->count > 0 && value <= previous)
				NotAscending(ERRCODE_INVALID_TEXT_REPRESENTATION, s->count + 1, value, previous);
			s = IntSetAdd(s, value);
			previous = value;
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p++ != '}')
		SyntaxError(input, psprintf("Expected \",\" or \"}\" at character %d.", (int) (p - input)));
	if (*p != '\0')
		SyntaxError(input, psprintf("Unexpected text at character %d after \"}\".", (int) (p - input) + 1));
	PG_RETURN_POINTER(s);
}

/* Text output: the values in ascending order. */
Datum
vinylops_int_set_out(PG_FUNCTION_ARGS)
{
	IntSet	   *s = IntSetFromDatum(PG_GETARG_DATUM(0));
	int32	   *values = IntSetSortedValues(s);
	StringInfoData buf;
	int64		i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < s->count; i++)
		appendStringInfo(&buf, "%s%d", i > 0 ? "," : "", values[i]);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: int64 number of values, then each value as int32, strictly ascending. */
Datum
vinylops_int_set_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		count;
	int64		remaining;
	IntSet	   *s = IntSetNew();
	int32		previous = 0;
	int64		i;

	if (buf->len - buf->cursor < 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary int_set value"),
				 errdetail("The value has %d bytes; it needs at least 8 for the number of values.",
						   buf->len - buf->cursor)));
	count = pq_getmsgint64(buf);
	remaining = buf->len - buf->cursor;
	if (count < 0 || count > remaining / 4 || count * 4 != remaining)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary int_set value"),
				 errdetail("The value announces " INT64_FORMAT " values (4 bytes each) and carries " INT64_FORMAT " bytes after the count.",
						   count, remaining)));
	for (i = 0; i < count; i++)
	{
		int32		value = (int32) pq_getmsgint(buf, 4);

		if (i > 0 && value <= previous)
			NotAscending(ERRCODE_INVALID_BINARY_REPRESENTATION, i + 1, value, previous);
		s = IntSetAdd(s, value);
		previous = value;
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(s);
}

/* Binary output: the values in ascending order, as int_set_recv reads them. */
Datum
vinylops_int_set_send(PG_FUNCTION_ARGS)
{
	IntSet	   *s = IntSetFromDatum(PG_GETARG_DATUM(0));
	int32	   *values = IntSetSortedValues(s);
	StringInfoData buf;
	int64		i;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, s->count);
	for (i = 0; i < s->count; i++)
		pq_sendint32(&buf, (uint32) values[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
