/*
 * cell_metrics_io.c — text and binary forms of vinylops.cell_metrics_state:
 * those of vinylops.cell_metrics_cell[] (label, code, metrics, users), one
 * element per cell in canonical order.  Reading goes through array_in /
 * array_recv, which run the input functions of stream_metrics_state and
 * int_set on every field; this file then checks what spans the fields.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "cell_metrics.h"

PG_FUNCTION_INFO_V1(vinylops_cell_metrics_state_in);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_state_out);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_state_recv);
PG_FUNCTION_INFO_V1(vinylops_cell_metrics_state_send);

#define CELL_NATTS 4

/* vinylops.cell_metrics_cell: the composite in the schema of the function called. */
static Oid
CellTypeOid(FunctionCallInfo fcinfo)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									   CStringGetDatum("cell_metrics_cell"),
									   ObjectIdGetDatum(namespace));

	if (!OidIsValid(type) || !OidIsValid(get_array_type(type)))
		elog(ERROR, "type cell_metrics_cell is missing beside cell_metrics_state");
	return type;
}

/* The cells of a state as a cell_metrics_cell[] in canonical order. */
static Datum
CellArray(FunctionCallInfo fcinfo, Datum state)
{
	Oid			cell_type = CellTypeOid(fcinfo);
	TupleDesc	desc = lookup_rowtype_tupdesc(cell_type, -1);
	bool		built = CellMetricsExpandedOf(state) == NULL;
	CellMetrics *cm = CellMetricsFromDatum(state, CurrentMemoryContext);
	int32	   *order = CellMetricsSortedCells(cm);
	Datum	   *records = palloc(sizeof(Datum) * Max(cm->ncells, 1));
	ArrayType  *array;

	if (desc->natts != CELL_NATTS)
		elog(ERROR, "cell_metrics_cell has %d attributes, expected %d", desc->natts, CELL_NATTS);
	for (int32 i = 0; i < cm->ncells; i++)
	{
		const CellMetricsCell *cell = &cm->cells[order[i]];
		Datum		values[CELL_NATTS];
		bool		nulls[CELL_NATTS] = {false, false, false, false};

		CellMetricsKeyFields(cm, cell, values, nulls);
		values[2] = PointerGetDatum(&cell->metrics);
		values[3] = PointerGetDatum(cell->users);
		records[i] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	ReleaseTupleDesc(desc);
	array = construct_array(records, cm->ncells, cell_type, -1, false, TYPALIGN_DOUBLE);
	/* The records hold copies; a state built from a flat value here is not needed any more. */
	if (built)
		DeleteExpandedObject(CellMetricsGetDatum(cm));
	return PointerGetDatum(array);
}

/* Why cell number index (from 0) cannot be part of a state. */
typedef enum BadCellReason
{
	CELL_IS_NULL,
	CELL_LACKS_FIELD,
	CELL_COUNTS_IMPOSSIBLE,
	CELL_REPEATED
} BadCellReason;

static void
BadCell(int sqlerrcode, int32 index, BadCellReason reason)
{
	int			n = index + 1;

	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg("invalid cell_metrics_state value"),
			 reason == CELL_IS_NULL ? errdetail("Cell %d is NULL.", n) :
			 reason == CELL_LACKS_FIELD ? errdetail("Cell %d has no metrics or no users.", n) :
			 reason == CELL_COUNTS_IMPOSSIBLE ? errdetail("Cell %d has no rows or more users than rows.", n) :
			 errdetail("Cell %d repeats the label and code of an earlier cell.", n)));
}

/*
 * The flat state of a cell_metrics_cell[]: every cell present in full, with
 * rows, at most as many users as rows, and no (label, code) twice.
 */
static Datum
StateOfCellArray(ArrayType *array, Oid cell_type, int sqlerrcode)
{
	CellMetrics *cm = CellMetricsNew(CurrentMemoryContext);
	Datum		flat;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg("invalid cell_metrics_state value"),
				 errdetail("The cells form a one-dimensional array.")));
	deconstruct_array(array, cell_type, -1, false, TYPALIGN_DOUBLE, &elems, &elem_nulls, &n);
	for (int32 i = 0; i < n; i++)
	{
		HeapTupleHeader rec;
		bool		isnull[CELL_NATTS];
		Datum		fields[CELL_NATTS];
		const StreamMetricsState *metrics;
		IntSet	   *users;
		CellMetricsCell *cell;
		text	   *label = NULL;

		if (elem_nulls[i])
			BadCell(sqlerrcode, i, CELL_IS_NULL);
		rec = DatumGetHeapTupleHeader(elems[i]);
		for (int a = 0; a < CELL_NATTS; a++)
			fields[a] = GetAttributeByNum(rec, a + 1, &isnull[a]);
		if (isnull[2] || isnull[3])
			BadCell(sqlerrcode, i, CELL_LACKS_FIELD);
		metrics = (const StreamMetricsState *) DatumGetPointer(fields[2]);
		users = IntSetFromDatum(fields[3]);
		if (!StreamMetricsStateValid(metrics) || metrics->rows == 0 || users->count > metrics->rows)
			BadCell(sqlerrcode, i, CELL_COUNTS_IMPOSSIBLE);
		if (!isnull[0])
			label = DatumGetTextPP(fields[0]);
		cell = CellMetricsFindCell(cm, label ? VARDATA_ANY(label) : NULL,
								   label ? VARSIZE_ANY_EXHDR(label) : 0,
								   isnull[1], isnull[1] ? 0 : DatumGetInt64(fields[1]));
		if (cell->metrics.rows != 0)
			BadCell(sqlerrcode, i, CELL_REPEATED);
		cell->metrics = *metrics;
		CellMetricsAddUsers(cm, cell, users);
	}
	flat = CellMetricsFlatDatum(cm);
	DeleteExpandedObject(CellMetricsGetDatum(cm));
	return flat;
}

/* Text input: the text form of a cell_metrics_cell[]. */
Datum
vinylops_cell_metrics_state_in(PG_FUNCTION_ARGS)
{
	Oid			cell_type = CellTypeOid(fcinfo);
	Datum		array = OidInputFunctionCall(F_ARRAY_IN, PG_GETARG_CSTRING(0), cell_type, -1);

	PG_RETURN_DATUM(StateOfCellArray(DatumGetArrayTypeP(array), cell_type,
									 ERRCODE_INVALID_TEXT_REPRESENTATION));
}

/* Text output: the cells as a cell_metrics_cell[], by label then code. */
Datum
vinylops_cell_metrics_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(OidOutputFunctionCall(F_ARRAY_OUT, CellArray(fcinfo, PG_GETARG_DATUM(0))));
}

/* Binary input: the binary form of a cell_metrics_cell[]. */
Datum
vinylops_cell_metrics_state_recv(PG_FUNCTION_ARGS)
{
	Oid			cell_type = CellTypeOid(fcinfo);
	Datum		array = OidReceiveFunctionCall(F_ARRAY_RECV, (StringInfo) PG_GETARG_POINTER(0),
											   cell_type, -1);

	PG_RETURN_DATUM(StateOfCellArray(DatumGetArrayTypeP(array), cell_type,
									 ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* Binary output: the binary form of the cells' cell_metrics_cell[]. */
Datum
vinylops_cell_metrics_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(OidSendFunctionCall(F_ARRAY_SEND, CellArray(fcinfo, PG_GETARG_DATUM(0))));
}
