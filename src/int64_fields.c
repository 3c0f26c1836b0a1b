/*
 * int64_fields.c — text and binary I/O, addition and in-place update of
 * states that are a plain run of int64 fields (int64_fields.h).
 *
 * Anyone can write '...'::vinylops.<state> or send one in binary, and Citus
 * ships partial states between nodes through these functions, so input
 * accepts exactly the canonical form that output writes; the state type's
 * own validation then rejects what no set of rows could produce.
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "int64_fields.h"

/* The storage of field i of a state. */
static inline int64 *
FieldPtr(const Int64FieldsLayout *layout, void *state, int i)
{
	return (int64 *) ((char *) state + layout->fields[i].offset);
}

/* Raises the error for a text state that does not follow the canonical form. */
static void
pg_attribute_noreturn()
SyntaxError(const Int64FieldsLayout *layout, const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", layout->type_name, input),
			 errdetail_internal("%s", detail)));
}

/* Raises the error for a field whose value does not fit in int64. */
static void
pg_attribute_noreturn()
OutOfRange(const Int64FieldsLayout *layout, const Int64Field *field)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value of field \"%s\" is out of range for type %s", field->name, layout->type_name),
			 errdetail("Fields are 64-bit integers.")));
}

/* At most maxbytes bytes of text, cut on a character boundary, with "..." if cut. */
static char *
ClippedText(const char *text, int maxbytes)
{
	int			len = strlen(text);
	int			cut = pg_mbcliplen(text, len, maxbytes);

	return psprintf("%.*s%s", cut, text, cut < len ? "..." : "");
}

/*
 * Reads the canonical decimal form of an int64 at *pos (a '-' only where the
 * field may be negative; no '+', no leading zero, no "-0") and advances past it.
 */
static int64
ReadField(const Int64FieldsLayout *layout, const char *input, const char **pos, const Int64Field *field)
{
	const char *p = *pos;
	bool		negative = false;
	int64		value = 0;

	if (*p == '-')
	{
		if (!field->may_be_negative)
			SyntaxError(layout, input, psprintf("Field \"%s\" is negative; counts and sums are never negative.",
												field->name));
		negative = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		SyntaxError(layout, input, psprintf("Field \"%s\" is not a decimal integer.", field->name));
	if (p[0] == '0' && ((p[1] >= '0' && p[1] <= '9') || negative))
		SyntaxError(layout, input, psprintf("Field \"%s\" is not in canonical form (leading zero or -0).",
											field->name));
	/* Accumulate negatively so that the most negative int64 reads too. */
	for (; *p >= '0' && *p <= '9'; p++)
	{
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value))
			OutOfRange(layout, field);
	}
	if (!negative && value == PG_INT64_MIN)
		OutOfRange(layout, field);
	*pos = p;
	return negative ? value : -value;
}

/* Fills a state from exactly the canonical text form Int64FieldsFormat writes. */
void
Int64FieldsParse(const Int64FieldsLayout *layout, const char *input, void *state)
{
	const char *pos = input;
	int			i;

	for (i = 0; i < layout->nfields; i++)
	{
		const Int64Field *field = &layout->fields[i];
		size_t		len = strlen(field->prefix);

		if (strncmp(pos, field->prefix, len) != 0)
			SyntaxError(layout, input, psprintf("Expected \"%s\" at character %d.", field->prefix,
												pg_mbstrlen_with_len(input, pos - input) + 1));
		pos += len;
		*FieldPtr(layout, state, i) = ReadField(layout, input, &pos, field);
	}
	if (*pos != '\0')
		SyntaxError(layout, input, psprintf("Unexpected text \"%s\" after the last field.",
											ClippedText(pos, 20)));
}

/* The canonical text form: each field's literal, then its decimal value. */
char *
Int64FieldsFormat(const Int64FieldsLayout *layout, const void *state)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < layout->nfields; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, layout->fields[i].prefix,
						 Int64FieldValue(layout, state, i));
	return buf.data;
}

/* Fills a state from exactly nfields big-endian int64, nothing more or less. */
void
Int64FieldsReceive(const Int64FieldsLayout *layout, StringInfo buf, void *state)
{
	int			remaining = buf->len - buf->cursor;
	int			expected = layout->nfields * (int) sizeof(int64);
	int			i;

	if (remaining != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s value", layout->type_name),
				 errdetail("The value has %d bytes; a %s has exactly %d.",
						   remaining, layout->type_name, expected)));
	for (i = 0; i < layout->nfields; i++)
		*FieldPtr(layout, state, i) = pq_getmsgint64(buf);
	pq_getmsgend(buf);
}

/* The binary form: the fields as big-endian int64 in text-form order. */
bytea *
Int64FieldsSend(const Int64FieldsLayout *layout, const void *state)
{
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	for (i = 0; i < layout->nfields; i++)
		pq_sendint64(&buf, Int64FieldValue(layout, state, i));
	return pq_endtypsend(&buf);
}

/* Adds one state into another field by field; overflow is an error. */
void
Int64FieldsAdd(const Int64FieldsLayout *layout, void *into, const void *from)
{
	int			i;

	for (i = 0; i < layout->nfields; i++)
	{
		int64	   *a = FieldPtr(layout, into, i);

		if (pg_add_s64_overflow(*a, Int64FieldValue(layout, from, i), a))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s field \"%s\" is out of range", layout->type_name, layout->fields[i].name),
					 errdetail("Fields are 64-bit integers.")));
	}
}

/* Why a state has a negative count, or NULL when no field that must not be negative is. */
char *
Int64FieldsNegativeProblem(const Int64FieldsLayout *layout, const void *state)
{
	int			i;

	for (i = 0; i < layout->nfields; i++)
		if (!layout->fields[i].may_be_negative && Int64FieldValue(layout, state, i) < 0)
			return psprintf("Field \"%s\" is %lld; counts and sums are never negative.",
							layout->fields[i].name, (long long) Int64FieldValue(layout, state, i));
	return NULL;
}

/*
 * WritableAggState's general case: in an aggregate or window aggregate
 * (nodeAgg and nodeWindowAgg keep the state in the aggregate context) the
 * state itself, or a new zeroed one there; otherwise a copy, so a direct SQL
 * call never changes its input.  A NULL state counts as empty.
 */
void *
WritableAggStateSlow(FunctionCallInfo fcinfo, Size size)
{
	MemoryContext aggcontext;
	void	   *state;

	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (!PG_ARGISNULL(0))
			return PG_GETARG_POINTER(0);
		return MemoryContextAllocZero(aggcontext, size);
	}
	state = palloc0(size);
	if (!PG_ARGISNULL(0))
		memcpy(state, PG_GETARG_POINTER(0), size);
	return state;
}
