/*
 * text_scan.c — the shared pieces of the state types' text input
 * (text_scan.h).
 */
#include "postgres.h"

#include "text_scan.h"

void
TextSyntaxError(const char *type_name, const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
			 errdetail_internal("%s", detail)));
}

/*
 * Reads a canonical decimal integer at *pos into *value, moving *pos past
 * it; false when its magnitude passes limit (then *pos and *value are
 * untouched and the caller reports the range).
 */
static bool
ReadInteger(const char *type_name, const char *input, const char **pos, uint64 limit, int64 *value)
{
	const char *p = *pos;
	bool		negative = (*p == '-');
	uint64		magnitude = 0;

	if (negative)
		p++;
	if (*p < '0' || *p > '9')
		TextSyntaxError(type_name, input,
						psprintf("Expected an integer at character %d.", (int) (p - input) + 1));
	if (p[0] == '0' && ((p[1] >= '0' && p[1] <= '9') || negative))
		TextSyntaxError(type_name, input,
						psprintf("The integer at character %d is not in canonical form (leading zero or -0).",
								 (int) (*pos - input) + 1));
	for (; *p >= '0' && *p <= '9'; p++)
	{
		uint64		digit = (uint64) (*p - '0');

		/* magnitude * 10 + digit <= limit, without overflowing uint64 */
		if (magnitude > (limit - digit) / 10)
			return false;
		magnitude = magnitude * 10 + digit;
	}
	if (!negative && magnitude == limit)
		return false;
	*value = negative ? (int64) (0 - magnitude) : (int64) magnitude;
	*pos = p;
	return true;
}

/* Raises 22003 for the number at *pos, whose type is bits-bit integers. */
static void
OutOfRange(const char *type_name, const char *what, const char *input, const char *pos, int bits)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value at character %d is out of range for type %s", (int) (pos - input) + 1, type_name),
			 errdetail("%s are %d-bit integers.", what, bits)));
}

int32
TextReadInt32(const char *type_name, const char *what, const char *input, const char **pos)
{
	int64		value;

	/* The limit is the magnitude of the most negative value, -2^31. */
	if (!ReadInteger(type_name, input, pos, (uint64) PG_INT32_MAX + 1, &value))
		OutOfRange(type_name, what, input, *pos, 32);
	return (int32) value;
}

int64
TextReadInt64(const char *type_name, const char *what, const char *input, const char **pos)
{
	int64		value;

	if (!ReadInteger(type_name, input, pos, (uint64) PG_INT64_MAX + 1, &value))
		OutOfRange(type_name, what, input, *pos, 64);
	return value;
}
