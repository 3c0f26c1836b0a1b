/*
 * ingest_parse_timestamptz.c — try_timestamptz(), the lenient-to-NULL
 * timestamp parser for the platform tables' staged event times.
 *
 * Like the parsers in ingest_parse.c it returns NULL where a cast would raise,
 * so ingest() can word a reject reason instead of aborting the batch.  It reads
 * only explicit formats (no 'now', no zone abbreviations) and reads a time
 * without an offset as UTC, so its result never depends on session settings
 * and the function can be IMMUTABLE.
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(vinylops_try_timestamptz);

/* A cursor over a text datum with surrounding blanks trimmed. */
typedef struct TsCursor
{
	const char *s;
	int			len;
	int			pos;
} TsCursor;

/* Reads mindigits..maxdigits decimal digits; false if fewer or more. */
static bool
TsDigits(TsCursor *c, int mindigits, int maxdigits, int *value)
{
	int			start = c->pos;
	int			v = 0;

	while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
	{
		if (c->pos - start >= maxdigits)
			return false;
		v = v * 10 + (c->s[c->pos] - '0');
		c->pos++;
	}
	if (c->pos - start < mindigits)
		return false;
	*value = v;
	return true;
}

/* Consumes character ch if it is next. */
static bool
TsChar(TsCursor *c, char ch)
{
	if (c->pos >= c->len || c->s[c->pos] != ch)
		return false;
	c->pos++;
	return true;
}

/* True for a real calendar date in years 1..9999. */
static bool
TsValidDate(int y, int m, int d)
{
	static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days_in_month[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

/* Reads 'YYYY-MM-DD' or 'M/D/YYYY'. */
static bool
TsDate(TsCursor *c, int *y, int *m, int *d)
{
	if (memchr(c->s, '/', c->len) != NULL)
		return TsDigits(c, 1, 2, m) && TsChar(c, '/') && TsDigits(c, 1, 2, d) &&
			TsChar(c, '/') && TsDigits(c, 4, 4, y);
	return TsDigits(c, 4, 4, y) && TsChar(c, '-') && TsDigits(c, 1, 2, m) &&
		TsChar(c, '-') && TsDigits(c, 1, 2, d);
}

/* Reads 'H:MM[:SS[.ffffff]]' into microseconds since midnight (hour 0..23). */
static bool
TsTime(TsCursor *c, int64 *usec)
{
	int			h,
				mi,
				s = 0,
				frac = 0,
				scale = 1000000;

	if (!(TsDigits(c, 1, 2, &h) && TsChar(c, ':') && TsDigits(c, 2, 2, &mi)))
		return false;
	if (TsChar(c, ':'))
	{
		if (!TsDigits(c, 2, 2, &s))
			return false;
		if (TsChar(c, '.'))
		{
			int			start = c->pos;

			if (!TsDigits(c, 1, 6, &frac))
				return false;
			for (int i = c->pos - start; i > 0; i--)
				scale /= 10;
		}
	}
	if (h > 23 || mi > 59 || s > 59)
		return false;
	*usec = (((int64) h * MINS_PER_HOUR + mi) * SECS_PER_MINUTE + s) * USECS_PER_SEC +
		(int64) frac * scale;
	return true;
}

/* Reads an optional 'Z', '+HH', '+HHMM' or '+HH:MM' offset into seconds east of UTC. */
static bool
TsOffset(TsCursor *c, int *offset_sec)
{
	int			sign,
				start,
				h,
				mi = 0;

	*offset_sec = 0;
	if (c->pos < c->len && c->s[c->pos] == ' ')
		c->pos++;
	if (c->pos == c->len)
		return true;
	if (TsChar(c, 'Z') || TsChar(c, 'z'))
		return true;
	if (TsChar(c, '+'))
		sign = 1;
	else if (TsChar(c, '-'))
		sign = -1;
	else
		return false;
	start = c->pos;
	if (!TsDigits(c, 2, 4, &h))
		return false;
	if (c->pos - start == 4)
	{
		mi = h % 100;
		h /= 100;
	}
	else if (c->pos - start != 2 || (TsChar(c, ':') && !TsDigits(c, 2, 2, &mi)))
		return false;
	if (h > 15 || mi > 59)
		return false;
	*offset_sec = sign * (h * SECS_PER_HOUR + mi * SECS_PER_MINUTE);
	return true;
}

/*
 * try_timestamptz(text): 'YYYY-MM-DD HH:MM:SS[.ffffff][offset]' (a 'T' may
 * separate date and time) or 'M/D/YYYY H:MM:SS'; without an offset the time is
 * UTC.  NULL for anything else, including impossible dates and times.
 */
Datum
vinylops_try_timestamptz(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	TsCursor	c;
	int			y,
				m,
				d,
				offset_sec;
	int64		usec;
	int64		days;

	c.s = VARDATA_ANY(t);
	c.len = VARSIZE_ANY_EXHDR(t);
	c.pos = 0;
	while (c.len > 0 && (c.s[0] == ' ' || c.s[0] == '\t'))
	{
		c.s++;
		c.len--;
	}
	while (c.len > 0 && (c.s[c.len - 1] == ' ' || c.s[c.len - 1] == '\t' ||
						 c.s[c.len - 1] == '\r' || c.s[c.len - 1] == '\n'))
		c.len--;

	if (!TsDate(&c, &y, &m, &d) || !TsValidDate(y, m, d))
		PG_RETURN_NULL();
	if (!(TsChar(&c, ' ') || TsChar(&c, 'T')))
		PG_RETURN_NULL();
	if (!TsTime(&c, &usec) || !TsOffset(&c, &offset_sec) || c.pos != c.len)
		PG_RETURN_NULL();

	/* Years 1..9999 and offsets under 16 hours stay far inside the timestamp range. */
	days = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
	PG_RETURN_TIMESTAMPTZ(days * USECS_PER_DAY + usec - (int64) offset_sec * USECS_PER_SEC);
}
