/*
 * demo_ids.c — the text ids of generated streams.
 *
 * generate_demo_data() names a stream like the reference data does,
 * STR_<YYYYMMDD>_<number>.  to_char() would do, but it is only STABLE (it
 * may read lc_time) and costs a format parse per row; this formats the
 * digits directly, so the id is IMMUTABLE and cheap at tens of millions of rows.
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(vinylops_demo_stream_id);

/* Widest zero-padded number demo_stream_id() writes: int8 has at most 19 digits. */
#define DEMO_ID_MAX_WIDTH 19

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
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream number must not be negative"),
				 errdetail("The stream number is " INT64_FORMAT ".", n)));
	if (width < 1 || width > DEMO_ID_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("width must be between 1 and %d", DEMO_ID_MAX_WIDTH),
				 errdetail("The width is %d.", width)));

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stream date must be between years 1 and 9999"),
				 errdetail("The year is %d.", y)));
	snprintf(buf, sizeof(buf), "STR_%04d%02d%02d_%0*lld", y, m, day, (int) width, (long long) n);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
