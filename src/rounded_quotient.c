/*
 * rounded_quotient.c — vinylops.rounded_quotient(dividend, divisor, places):
 * dividend / divisor rounded to places decimals, exactly, as numeric.
 *
 * Why: a per-user report rounds a rate or a mean for each of ~200,000 users.
 * Converting the tally's float8 rate to numeric prints the double first
 * (about 2 µs a value); numeric division, or integer division here with its
 * digits then read as numeric, costs about a quarter of that.  The result is the
 * exact quotient rounded half away from zero, with scale places: what
 * round(dividend::numeric / divisor, places) gives while the quotient has at
 * most 16 significant digits (past them, numeric division rounds it first).
 */
#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(vinylops_rounded_quotient);

/* Most decimals: 10^18 is the largest power of ten an int64 holds. */
#define MAX_PLACES 18

static Datum
NumericOf(int64 v)
{
	return NumericGetDatum(int64_to_numeric(v));
}

/*
 * The integer whose decimal digits (a leading '-' allowed) are digits, the
 * last places of them decimals, as numeric with scale places: the point put
 * into the digits, read back.  Dividing by 10^places in numeric would round a
 * wide value to 16 significant digits, and int64_div_fast_to_numeric() set
 * a wrong scale before a fix in a later 15.x minor release.
 */
static Datum
ShiftPoint(const char *digits, int32 places)
{
	bool		negative = (digits[0] == '-');
	const char *magnitude = digits + (negative ? 1 : 0);
	int			len = (int) strlen(magnitude);
	StringInfoData buf;

	initStringInfo(&buf);
	if (negative)
		appendStringInfoChar(&buf, '-');
	if (len <= places)
	{
		appendStringInfoString(&buf, "0.");
		for (int i = len; i < places; i++)
			appendStringInfoChar(&buf, '0');
		appendStringInfoString(&buf, magnitude);
	}
	else
	{
		appendBinaryStringInfo(&buf, magnitude, len - places);
		if (places > 0)
		{
			appendStringInfoChar(&buf, '.');
			appendStringInfoString(&buf, magnitude + len - places);
		}
	}
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * The rounded quotient through numeric, for operands whose scaled form
 * leaves int64: the same integer steps, each exact in numeric (div() and
 * mod() truncate; numeric's division would round at 16 significant digits).
 */
static Datum
NumericQuotient(int64 dividend, int64 divisor, int32 places)
{
	Datum		scale = DirectFunctionCall2(numeric_power, NumericOf(10), NumericOf(places));
	Datum		a = DirectFunctionCall2(numeric_mul,
										DirectFunctionCall1(numeric_abs, NumericOf(dividend)), scale);
	Datum		b = DirectFunctionCall1(numeric_abs, NumericOf(divisor));
	Datum		q = DirectFunctionCall2(numeric_div_trunc, a, b);
	Datum		r = DirectFunctionCall2(numeric_mod, a, b);

	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, DirectFunctionCall2(numeric_add, r, r), b)) >= 0)
		q = DirectFunctionCall2(numeric_add, q, NumericOf(1));
	if ((dividend < 0) != (divisor < 0))
		q = DirectFunctionCall1(numeric_uminus, q);
	return ShiftPoint(DatumGetCString(DirectFunctionCall1(numeric_out, q)), places);
}

Datum
vinylops_rounded_quotient(PG_FUNCTION_ARGS)
{
	int64		dividend = PG_GETARG_INT64(0);
	int64		divisor = PG_GETARG_INT64(1);
	int32		places = PG_GETARG_INT32(2);
	int64		scale = 1;
	int64		a;
	int64		b;
	int64		q;
	int64		r;
	char		digits[MAXINT8LEN + 1];

	if (places < 0 || places > MAX_PLACES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("places must be between 0 and %d", MAX_PLACES)));
	if (divisor == 0)
		PG_RETURN_NULL();
	for (int32 i = 0; i < places; i++)
		scale *= 10;
	/* |dividend| × 10^places and |divisor| in int64, or the numeric route. */
	if (dividend == PG_INT64_MIN || divisor == PG_INT64_MIN ||
		pg_mul_s64_overflow(dividend < 0 ? -dividend : dividend, scale, &a))
		PG_RETURN_DATUM(NumericQuotient(dividend, divisor, places));
	b = divisor < 0 ? -divisor : divisor;
	q = a / b;
	r = a % b;
	/* Half away from zero, as numeric's round(); r >= b - r is 2r >= b without overflow. */
	if (r >= b - r)
		q++;
	if ((dividend < 0) != (divisor < 0))
		q = -q;
	snprintf(digits, sizeof(digits), INT64_FORMAT, q);
	PG_RETURN_DATUM(ShiftPoint(digits, places));
}
