/*
 * cell_metrics_agg.c — transition and combine functions of the cell_metrics
 * aggregate, and cell_metrics_rows, which lists its cells.
 */
#include "postgres.h"

#include "fmgr.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "cell_metrics.h"
#include "key_map.h"

PG_FUNCTION_INFO_V1(vinylops_cell_metrics_accum);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_keyed_accum);
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
		return CellMetricsExpandedOf(PG_GETARG_DATUM(0));
	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = CurrentMemoryContext;
	if (PG_ARGISNULL(0))
		return CellMetricsNew(aggcontext);
	return CellMetricsCopyOf(PG_GETARG_DATUM(0), aggcontext);
}

/* The label argument's bytes, or NULL for a NULL label. */
static const char *
LabelArg(FunctionCallInfo fcinfo, int argno, int32 *len)
{
	text	   *t;

	*len = 0;
	if (PG_ARGISNULL(argno))
		return NULL;
	t = (text *) pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(argno));
	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
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
	CellMetricsRow r;
	const char *label;
	int32		label_len;

	memset(&r, 0, sizeof(r));
	StreamMetricsReadRow(fcinfo, 4, &r.row);
	StreamMetricsReadTrack(fcinfo, 9, &r.row);
	label = LabelArg(fcinfo, 1, &label_len);
	r.label = CellMetricsLabelNumber(cm, label, label_len);
	r.code_null = PG_ARGISNULL(2);
	r.code = r.code_null ? 0 : PG_GETARG_INT64(2);
	r.has_user = !PG_ARGISNULL(3);
	r.user_key = r.has_user ? PG_GETARG_INT32(3) : 0;
	/* The row holds no pointers, so it may wait for its set's word to arrive. */
	CellMetricsQueueRow(cm, &r);
	PG_RETURN_DATUM(CellMetricsGetDatum(cm));
}

/*
 * Whether the lookup arguments stay the same value, in the same memory, for
 * the whole aggregation (a constant, or a parameter such as an InitPlan's
 * result, passed as they are), so a queued row may point into them.  Decided
 * once per call site.
 */
static bool
LookupsOutliveRows(FunctionCallInfo fcinfo)
{
	/* code_map, duration_map, code_map2 (14 arguments) and user_map (15), counted from 0. */
	static const int lookup_args[] = {2, 10, 12, 14};
	bool	   *cached = (bool *) fcinfo->flinfo->fn_extra;
	Aggref	   *aggref;
	int			nargs;

	if (cached != NULL)
		return *cached;
	cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(bool));
	*cached = false;
	aggref = AggGetAggref(fcinfo);
	nargs = aggref != NULL ? list_length(aggref->args) : 0;
	/* With ORDER BY or DISTINCT, nodeAgg passes copies of the arguments that it frees row by row. */
	if ((nargs == 12 || nargs == 14 || nargs == 15) &&
		aggref->aggorder == NIL && aggref->aggdistinct == NIL)
	{
		*cached = true;
		for (int i = 0; i < (int) lengthof(lookup_args) && lookup_args[i] < nargs; i++)
		{
			TargetEntry *te = list_nth_node(TargetEntry, aggref->args, lookup_args[i]);

			if (!IsA(te->expr, Const) && !IsA(te->expr, Param))
				*cached = false;
		}
	}
	fcinfo->flinfo->fn_extra = cached;
	return *cached;
}

/*
 * cell_metrics with lookups: (state, label, code, code_map, code_key,
 * user_key, completed, skipped, replayed, added_to_playlist,
 * stream_duration_sec, duration_map, track_key).  The row's code is code +
 * code_map[code_key] (NULL when the key is NULL or outside the array; code
 * alone when code_map is NULL); its track duration is duration_map[track_key],
 * and a row whose track_key is NULL, outside the array or on a negative
 * element is left out, as an inner join to the tracks leaves it (no track
 * duration when duration_map is NULL).  The 14-argument form adds a second
 * addend, code_map2[code_key2], by the same rule (two lookups, say the
 * track's cell and the user's type, without a SQL subscript for either).
 * The 15-argument form adds user_map: the cell's user set holds
 * user_map[user_key] in place of user_key (no user when the key is NULL,
 * outside the array or on a negative element).  A numbering of the users
 * that is one-to-one within each cell (the user's rank within the region
 * that is part of the cell's code) keeps the distinct count and makes each
 * cell's bitmap span its own users only: less memory for the sets to touch.
 * Lookups in arrays that outlive the row are read a few rows later,
 * prefetched (CELL_METRICS_LOOKAHEAD).
 */
Datum
vinylops_cell_metrics_keyed_accum(PG_FUNCTION_ARGS)
{
	CellMetrics *cm = WritableState(fcinfo);
	KeyMap		code_map;
	KeyMap		code_map2;
	KeyMap		duration_map;
	KeyMap		user_map;
	CellMetricsRow r;
	const char *label;
	int32		label_len;

	memset(&r, 0, sizeof(r));
	StreamMetricsReadRow(fcinfo, 6, &r.row);
	ReadKeyMap(fcinfo, 3, "code_map", &code_map);
	ReadKeyMap(fcinfo, 11, "duration_map", &duration_map);
	memset(&code_map2, 0, sizeof(code_map2));
	memset(&user_map, 0, sizeof(user_map));
	if (PG_NARGS() >= 15)
		ReadKeyMap(fcinfo, 13, "code_map2", &code_map2);
	if (PG_NARGS() == 16)
		ReadKeyMap(fcinfo, 15, "user_map", &user_map);
	r.code_null = PG_ARGISNULL(2);
	r.code = r.code_null ? 0 : PG_GETARG_INT64(2);
	if (code_map.present)
	{
		r.code_at = KeyMapAt(fcinfo, &code_map, 4);
		r.code_null |= (r.code_at == NULL);
	}
	if (code_map2.present)
	{
		r.code2_at = KeyMapAt(fcinfo, &code_map2, 14);
		r.code_null |= (r.code2_at == NULL);
	}
	if (duration_map.present)
	{
		r.duration_at = KeyMapAt(fcinfo, &duration_map, 12);
		if (r.duration_at == NULL)
			PG_RETURN_DATUM(CellMetricsGetDatum(cm));	/* no such track: left out */
	}
	label = LabelArg(fcinfo, 1, &label_len);
	r.label = CellMetricsLabelNumber(cm, label, label_len);
	r.has_user = !PG_ARGISNULL(5);
	r.user_key = r.has_user ? PG_GETARG_INT32(5) : 0;
	if (user_map.present)
	{
		r.user_at = KeyMapAt(fcinfo, &user_map, 5);
		r.has_user = (r.user_at != NULL);
	}
	/* A row may wait when it holds no pointers or they point into maps that outlive it. */
	if (!(code_map.present || code_map2.present || duration_map.present || user_map.present) ||
		((!code_map.present || code_map.in_place) &&
		 (!code_map2.present || code_map2.in_place) &&
		 (!duration_map.present || duration_map.in_place) &&
		 (!user_map.present || user_map.in_place) &&
		 LookupsOutliveRows(fcinfo)))
		CellMetricsQueueRow(cm, &r);
	else
		CellMetricsCountRow(cm, &r);
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

	CellMetricsKeyFields(cm, cell, values, nulls);
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
	bool		built;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != natts)
		elog(ERROR, "function must return %d columns, not %d", natts, rsinfo->setDesc->natts);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	built = CellMetricsExpandedOf(PG_GETARG_DATUM(0)) == NULL;
	cm = CellMetricsFromDatum(PG_GETARG_DATUM(0), CurrentMemoryContext);
	order = CellMetricsSortedCells(cm);
	for (int32 i = 0; i < cm->ncells; i++)
		PutCell(rsinfo, cm, &cm->cells[order[i]], user_set);
	/* The tuplestore holds copies; a state built from a flat value here is not needed any more. */
	if (built)
		DeleteExpandedObject(CellMetricsGetDatum(cm));
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
