/*
 * demo_ids.c — the text ids of generated rows.
 *
 * generate_demo_data() names rows like the reference data does: USER_0042,
 * TRK_0042, and STR_<YYYYMMDD>_<number> for streams.  lpad() and to_char()
 * would do, but to_char() is only STABLE (it may read lc_time) and both cost
 * several calls and copies per row; these format the digits directly, so the
 * ids are IMMUTABLE and cheap at tens of millions of rows.
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(vinylops_demo_id);
PG_FUNCTION_INFO_V1(vinylops_demo_stream_id);

/* Widest zero-padded number the ids carry: int8 has at most 19 digits. */
#define DEMO_ID_MAX_WIDTH 19

/* Rejects what cannot be a generated row's number or its zero-padded width. */
static void
CheckIdNumber(int64 n, int32 width)
{
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("id number must not be negative"),
				 errdetail("The number is " INT64_FORMAT ".", n)));
	if (width < 1 || width > DEMO_ID_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("width must be between 1 and %d", DEMO_ID_MAX_WIDTH),
				 errdetail("The width is %d.", width)));
}

/* demo_id(prefix, n, width): prefix || n zero-padded to width digits, e.g. USER_0042. */
Datum
vinylops_demo_id(PG_FUNCTION_ARGS)
{
	text	   *prefix = PG_GETARG_TEXT_PP(0);
	int64		n = PG_GETARG_INT64(1);
	int32		width = PG_GETARG_INT32(2);
	int			plen = VARSIZE_ANY_EXHDR(prefix);
	char		digits[32];
	int			dlen;
	text	   *result;

	CheckIdNumber(n, width);
	dlen = snprintf(digits, sizeof(digits), "%0*lld", (int) width, (long long) n);
	result = (text *) palloc(VARHDRSZ + plen + dlen);
	SET_VARSIZE(result, VARHDRSZ + plen + dlen);
	memcpy(VARDATA(result), VARDATA_ANY(prefix), plen);
	memcpy(VARDATA(result) + plen, digits, dlen);
	PG_RETURN_TEXT_P(result);
}

/* demo_stream_id(d, n, width): 'STR_' || YYYYMMDD of d || '_' || n zero-padded to width digits. */
Datum
vinylops_demo_stream_id(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int64		n = PG_GETARG_INT64(1);
	int32		width = PG_GETARG_INT32(2);
	int			y,
				m,
				day;
	char		buf[64];

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stream date must be finite"),
				 errdetail("A stream id carries the stream's calendar date.")));
	CheckIdNumber(n, width);

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stream date must be between years 1 and 9999"),
				 errdetail("The year is %d.", y)));
	snprintf(buf, sizeof(buf), "STR_%04d%02d%02d_%0*lld", y, m, day, (int) width, (long long) n);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
