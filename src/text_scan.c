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

int32
TextReadInt32(const char *type_name, const char *what, const char *input, const char **pos)
{
	const char *p = *pos;
	bool		negative = (*p == '-');
	int64		value = 0;

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
		value = value * 10 + (*p - '0');
		if (value > (int64) PG_INT32_MAX + 1)
			break;
	}
	if (negative)
		value = -value;
	if (value < PG_INT32_MIN || value > PG_INT32_MAX || (*p >= '0' && *p <= '9'))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value at character %d is out of range for type %s", (int) (*pos - input) + 1, type_name),
				 errdetail("%s are 32-bit integers.", what)));
	*pos = p;
	return (int32) value;
}
