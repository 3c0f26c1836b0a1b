/*
 * ingest_parse.c — lenient-to-NULL parsers used by ingest().
 *
 * ingest() must turn every malformed staged value into a rejected row with a
 * reason, never into an error that aborts the whole batch.  PostgreSQL 15 has
 * no pg_input_is_valid(), so these parsers return NULL where a cast would
 * raise, and ingest() words the reason from which one returned NULL.
 */
#include "postgres.h"

#include <limits.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(vinylops_try_date);
PG_FUNCTION_INFO_V1(vinylops_try_time);
PG_FUNCTION_INFO_V1(vinylops_try_bool);
PG_FUNCTION_INFO_V1(vinylops_try_int);

/* A view of a text datum with surrounding blanks trimmed. */
typedef struct TrimmedText
{
	const char *s;
	int			len;
} TrimmedText;

static TrimmedText
TrimText(text *t)
{
	TrimmedText r;

	r.s = VARDATA_ANY(t);
	r.len = VARSIZE_ANY_EXHDR(t);
	while (r.len > 0 && (r.s[0] == ' ' || r.s[0] == '\t'))
	{
		r.s++;
		r.len--;
	}
	while (r.len > 0 && (r.s[r.len - 1] == ' ' || r.s[r.len - 1] == '\t' ||
						 r.s[r.len - 1] == '\r' || r.s[r.len - 1] == '\n'))
		r.len--;
	return r;
}

/*
 * Reads 1..maxdigits decimal digits at *pos; returns false if there are none
 * or too many.
 */
static bool
ReadDigits(TrimmedText t, int *pos, int mindigits, int maxdigits, int *value)
{
	int			start = *pos;
	int			v = 0;

	while (*pos < t.len && t.s[*pos] >= '0' && t.s[*pos] <= '9')
	{
		if (*pos - start >= maxdigits)
			return false;
		v = v * 10 + (t.s[*pos] - '0');
		(*pos)++;
	}
	if (*pos - start < mindigits)
		return false;
	*value = v;
	return true;
}

/* Consumes the expected separator character at *pos. */
static bool
ReadChar(TrimmedText t, int *pos, char c)
{
	if (*pos >= t.len || t.s[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

static bool
IsLeapYear(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool
IsValidDate(int y, int m, int d)
{
	static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days_in_month[m - 1] + ((m == 2 && IsLeapYear(y)) ? 1 : 0);
}

/* try_date(text): 'M/D/YYYY' (the reference CSVs) or ISO 'YYYY-MM-DD'; NULL if not a real date. */
Datum
vinylops_try_date(PG_FUNCTION_ARGS)
{
	TrimmedText t = TrimText(PG_GETARG_TEXT_PP(0));
	int			pos = 0;
	int			y,
				m,
				d;
	bool		ok;

	if (memchr(t.s, '/', t.len) != NULL)
		ok = ReadDigits(t, &pos, 1, 2, &m) && ReadChar(t, &pos, '/') &&
			ReadDigits(t, &pos, 1, 2, &d) && ReadChar(t, &pos, '/') &&
			ReadDigits(t, &pos, 4, 4, &y);
	else
		ok = ReadDigits(t, &pos, 4, 4, &y) && ReadChar(t, &pos, '-') &&
			ReadDigits(t, &pos, 1, 2, &m) && ReadChar(t, &pos, '-') &&
			ReadDigits(t, &pos, 1, 2, &d);

	if (!ok || pos != t.len || !IsValidDate(y, m, d))
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
}

/* try_time(text): 'H:MM:SS' with hour 0..23; NULL otherwise (so '24:00:00' is rejected). */
Datum
vinylops_try_time(PG_FUNCTION_ARGS)
{
	TrimmedText t = TrimText(PG_GETARG_TEXT_PP(0));
	int			pos = 0;
	int			h,
				mi,
				s;

	if (!(ReadDigits(t, &pos, 1, 2, &h) && ReadChar(t, &pos, ':') &&
		  ReadDigits(t, &pos, 2, 2, &mi) && ReadChar(t, &pos, ':') &&
		  ReadDigits(t, &pos, 2, 2, &s)) ||
		pos != t.len || h > 23 || mi > 59 || s > 59)
		PG_RETURN_NULL();
	PG_RETURN_TIMEADT(((((int64) h * MINS_PER_HOUR) + mi) * SECS_PER_MINUTE + s) * USECS_PER_SEC);
}

/* try_bool(text): TRUE/FALSE, T/F, YES/NO, 1/0 in any case; NULL otherwise. */
Datum
vinylops_try_bool(PG_FUNCTION_ARGS)
{
	static const char *const truths[] = {"true", "t", "yes", "1"};
	static const char *const falsehoods[] = {"false", "f", "no", "0"};
	TrimmedText t = TrimText(PG_GETARG_TEXT_PP(0));

	for (int i = 0; i < lengthof(truths); i++)
	{
		if (t.len == (int) strlen(truths[i]) && pg_strncasecmp(t.s, truths[i], t.len) == 0)
			PG_RETURN_BOOL(true);
		if (t.len == (int) strlen(falsehoods[i]) && pg_strncasecmp(t.s, falsehoods[i], t.len) == 0)
			PG_RETURN_BOOL(false);
	}
	PG_RETURN_NULL();
}

/* try_int(text): an optionally signed decimal integer that fits int4; NULL otherwise. */
Datum
vinylops_try_int(PG_FUNCTION_ARGS)
{
	TrimmedText t = TrimText(PG_GETARG_TEXT_PP(0));
	int			pos = 0;
	bool		negative = false;
	int64		v = 0;

	if (pos < t.len && (t.s[pos] == '+' || t.s[pos] == '-'))
		negative = (t.s[pos++] == '-');
	if (pos == t.len)
		PG_RETURN_NULL();
	for (; pos < t.len; pos++)
	{
		if (t.s[pos] < '0' || t.s[pos] > '9')
			PG_RETURN_NULL();
		v = v * 10 + (t.s[pos] - '0');
		if (v > (int64) INT_MAX + 1)
			PG_RETURN_NULL();
	}
	if (negative)
		v = -v;
	if (v < INT_MIN || v > INT_MAX)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) v);
}
