/*
 * day_number.c — day_number(date): a date as its day number, for aggregates
 * that key on integers (cell_metrics' code, user_lifecycle's day sets).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

PG_FUNCTION_INFO_V1(vinylops_day_number);

/*
 * Days since 2000-01-01, as PostgreSQL stores a date; -infinity and infinity
 * are the ends of int32, so every date has its own number (date - date
 * refuses the infinities).
 */
Datum
vinylops_day_number(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_DATEADT(0));
}
