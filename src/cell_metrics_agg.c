/*
 * cell_metrics_agg.c — transition and combine functions of the cell_metrics
 * aggregate, and cell_metrics_rows, which lists its cells.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "cell_metrics.h"

PG_FUNCTION_INFO_V1(vinylops_cell_metrics_accum);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_combine);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_rows);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_user_sets);

#define CELL_METRICS_ROWS_NATTS 4
#define CELL_METRICS_USER_SETS_NATTS 3

/*
 * The state argument 0, ready to change: a read/write expanded state is
 * changed in place (inside an aggregate it is the group's own, in the
 * aggregate's memory context); anything else is copied first, into the
 * aggregate's context when there is one.
 */
static CellMetrics *
WritableState(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
		return CellMetricsFromDatum(PG_GETARG_DATUM(0), CurrentMemoryContext);
	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = CurrentMemoryContext;
	if (PG_ARGISNULL(0))
		return CellMetricsNew(aggcontext);
	return CellMetricsCopyOf(PG_GETARG_DATUM(0), aggcontext);
}

/*
 * Transition: (state, label, code, user_key, completed, skipped, replayed,
 * added_to_playlist, stream_duration_sec, track_duration_sec).  The row goes
 * to the cell (label, code) — NULL is a cell's label or code like any other,
 * as in GROUP BY — whose counts follow stream_metrics and whose users
 * distinct_count(user_key) (NULL keys skipped).
 */
Datum
vinylops_cell_metrics_accum(PG_FUNCTION_ARGS)
{
	CellMetrics *cm = WritableState(fcinfo);
	const char *label = NULL;
	int32		label_len = 0;
	CellMetricsCell *cell;

	if (!PG_ARGISNULL(1))
	{
		text	   *t = (text *) pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(1));

		label = VARDATA_ANY(t);
		label_len = VARSIZE_ANY_EXHDR(t);
	}
	cell = CellMetricsFindCell(cm, label, label_len, PG_ARGISNULL(2),
							   PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2));
	StreamMetricsAddRow(&cell->metrics, fcinfo, 4);
	if (!PG_ARGISNULL(3))
		CellMetricsAddUser(cm, cell, PG_GETARG_INT32(3));
	PG_RETURN_DATUM(CellMetricsGetDatum(cm));
}

/* Combine: the cells of both states, added cell by cell. */
Datum
vinylops_cell_metrics_combine(PG_FUNCTION_ARGS)
{
	CellMetrics *cm;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cm = WritableState(fcinfo);
	CellMetricsMergeDatum(cm, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(CellMetricsGetDatum(cm));
}

/*
 * One cell as a row: label, code, then either (metrics, the number of users)
 * or the user set itself.
 */
static void
PutCell(ReturnSetInfo *rsinfo, const CellMetrics *cm, const CellMetricsCell *cell, bool user_set)
{
	Datum		values[CELL_METRICS_ROWS_NATTS];
	bool		nulls[CELL_METRICS_ROWS_NATTS] = {false, false, false, false};

	nulls[0] = cell->label < 0;
	values[0] = nulls[0] ? (Datum) 0
		: PointerGetDatum(cstring_to_text_with_len(cm->labels[cell->label].bytes,
												   cm->labels[cell->label].len));
	nulls[1] = cell->code_null;
	values[1] = Int64GetDatum(cell->code);
	if (user_set)
		values[2] = PointerGetDatum(cell->users);
	else
	{
		values[2] = PointerGetDatum(&cell->metrics);
		values[3] = Int64GetDatum(cell->users->count);
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* The cells of argument 0 as rows of natts columns, in canonical order. */
static Datum
ListCells(FunctionCallInfo fcinfo, int natts, bool user_set)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CellMetrics *cm;
	int32	   *order;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != natts)
		elog(ERROR, "function must return %d columns, not %d", natts, rsinfo->setDesc->natts);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	cm = CellMetricsFromDatum(PG_GETARG_DATUM(0), CurrentMemoryContext);
	order = CellMetricsSortedCells(cm);
	for (int32 i = 0; i < cm->ncells; i++)
		PutCell(rsinfo, cm, &cm->cells[order[i]], user_set);
	return (Datum) 0;
}

/*
 * cell_metrics_rows(state): one row per cell, by label then code (NULLs
 * last): (label, code, metrics — a stream_metrics_state for
 * stream_metrics_final or stream_metrics_merge — and users, the distinct
 * user keys).
 */
Datum
vinylops_cell_metrics_rows(PG_FUNCTION_ARGS)
{
	return ListCells(fcinfo, CELL_METRICS_ROWS_NATTS, false);
}

/* cell_metrics_user_sets(state): (label, code, users int_set) per cell, in the same order. */
Datum
vinylops_cell_metrics_user_sets(PG_FUNCTION_ARGS)
{
	return ListCells(fcinfo, CELL_METRICS_USER_SETS_NATTS, true);
}
