/*
 * stream_metrics_partial.c — the final function of stream_metrics_partial,
 * the aggregate that hands back its stream_metrics_state unfinished.
 *
 * A report that needs both the stream rates of a group and its distinct
 * users aggregates per (group, user) first with stream_metrics_partial and
 * then per group with stream_metrics_merge (whose transition is
 * stream_metrics_combine), counting the users as rows: both stages hash and
 * aggregate partially in parallel workers, where count(DISTINCT) can do
 * neither (doc/performance.md).
 */
#include "postgres.h"

#include "fmgr.h"

PG_FUNCTION_INFO_V1(vinylops_stream_metrics_state_final);

/*
 * stream_metrics_partial's final function: the state itself.  Declared
 * FINALFUNC_MODIFY = READ_ONLY and never written here, so returning the
 * aggregate's own state is safe (as an aggregate without a final function does).
 */
Datum
vinylops_stream_metrics_state_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}
