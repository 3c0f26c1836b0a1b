/*
 * cell_metrics.c — the cell_metrics state: its expanded form, the cell
 * lookup, merging, and the flat form (cell_metrics.h).
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "cell_metrics.h"

/*
 * The flat form: a varlena of a header and ncells entries, each a
 * CellMetricsFlatCell, the label's bytes padded to MAXALIGN, and the cell's
 * int_set (its own varlena, a multiple of 8 bytes long).
 */
typedef struct CellMetricsFlatHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		ncells;
} CellMetricsFlatHeader;

typedef struct CellMetricsFlatCell
{
	StreamMetricsState metrics;
	int64		code;
	int32		label_len;		/* -1 for a NULL label */
	int32		code_null;		/* 0 or 1 */
} CellMetricsFlatCell;

#define FIRST_CELL_ROOM 16
#define FIRST_INDEX_SIZE 64

static Size CellMetricsGetFlatSize(ExpandedObjectHeader *eohptr);
static void CellMetricsFlattenInto(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods cell_metrics_methods = {
	CellMetricsGetFlatSize,
	CellMetricsFlattenInto
};

static void
CorruptFlatForm(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt cell_metrics_state value"),
			 errdetail_internal("%s", detail)));
}

CellMetrics *
CellMetricsNew(MemoryContext parent)
{
	/* Small: under GROUP BY every group has a state of its own. */
	MemoryContext context = AllocSetContextCreate(parent, "cell_metrics_state",
												  ALLOCSET_SMALL_SIZES);
	CellMetrics *cm = MemoryContextAllocZero(context, sizeof(CellMetrics));

	EOH_init_header(&cm->hdr, &cell_metrics_methods, context);
	cm->magic = CELL_METRICS_MAGIC;
	cm->labels_room = 4;
	cm->labels = MemoryContextAlloc(context, cm->labels_room * sizeof(CellMetricsLabel));
	cm->last_label = CELL_METRICS_NULL_LABEL;
	cm->cells_room = FIRST_CELL_ROOM;
	cm->cells = MemoryContextAlloc(context, cm->cells_room * sizeof(CellMetricsCell));
	cm->index_size = FIRST_INDEX_SIZE;
	cm->index = MemoryContextAllocZero(context, cm->index_size * sizeof(int32));
	return cm;
}

int32
CellMetricsLabelNumber(CellMetrics *cm, const char *bytes, int32 len)
{
	int32		i = cm->last_label;
	CellMetricsLabel *l;

	if (bytes == NULL)
		return CELL_METRICS_NULL_LABEL;
	if (i >= 0 && cm->labels[i].len == len && memcmp(cm->labels[i].bytes, bytes, len) == 0)
		return i;
	for (i = 0; i < cm->nlabels; i++)
		if (cm->labels[i].len == len && memcmp(cm->labels[i].bytes, bytes, len) == 0)
			return cm->last_label = i;
	if (cm->nlabels == cm->labels_room)
	{
		cm->labels_room *= 2;
		cm->labels = repalloc(cm->labels, cm->labels_room * sizeof(CellMetricsLabel));
	}
	l = &cm->labels[cm->nlabels];
	l->bytes = MemoryContextAlloc(cm->hdr.eoh_context, Max(len, 1));
	memcpy(l->bytes, bytes, len);
	l->len = len;
	return cm->last_label = cm->nlabels++;
}

/*
 * The cell's slot in the index.  Every bit of the code must reach the low
 * bits the index keeps: peak_usage() puts the hour above bit 32, and when the
 * code was only multiplied (a product carries bits upward only), its 24 hours
 * of a device and region shared one probe chain, 16 % of the report's time at
 * 19 M streams.  murmur3's 64-bit finaliser mixes every bit into every bit.
 */
static inline uint32
CellHash(int32 label, bool code_null, int64 code)
{
	uint64		h = (uint64) code ^
		(((uint64) (uint32) label << 1 | (uint64) code_null) * UINT64CONST(0x9E3779B97F4A7C15));

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

/* Puts cell number c (0-based) into an index with room for it. */
static void
IndexInsert(int32 *index, int32 size, const CellMetricsCell *cell, int32 c)
{
	uint32		mask = (uint32) size - 1;
	uint32		i = CellHash(cell->label, cell->code_null, cell->code) & mask;

	while (index[i] != 0)
		i = (i + 1) & mask;
	index[i] = c + 1;
}

/* Doubles the index, keeping it more than twice the cells. */
static void
GrowIndex(CellMetrics *cm)
{
	int32		size = cm->index_size * 2;
	int32	   *index;

	if (size > MaxAllocSize / sizeof(int32))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cell_metrics cannot hold more than %d cells", cm->ncells)));
	index = MemoryContextAllocZero(cm->hdr.eoh_context, size * sizeof(int32));
	for (int32 c = 0; c < cm->ncells; c++)
		IndexInsert(index, size, &cm->cells[c], c);
	pfree(cm->index);
	cm->index = index;
	cm->index_size = size;
}

/* Appends a new empty cell; its number. */
static int32
AddCell(CellMetrics *cm, int32 label, bool code_null, int64 code)
{
	CellMetricsCell *cell;
	MemoryContext old;

	if (cm->ncells == cm->cells_room)
	{
		if ((Size) cm->cells_room * 2 * sizeof(CellMetricsCell) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cell_metrics cannot hold more than %d cells", cm->ncells)));
		cm->cells_room *= 2;
		cm->cells = repalloc(cm->cells, cm->cells_room * sizeof(CellMetricsCell));
	}
	cell = &cm->cells[cm->ncells];
	memset(cell, 0, sizeof(CellMetricsCell));
	cell->label = label;
	cell->code_null = code_null;
	cell->code = code_null ? 0 : code;
	old = MemoryContextSwitchTo(cm->hdr.eoh_context);
	cell->users = IntSetNew();
	MemoryContextSwitchTo(old);
	return cm->ncells++;
}

/* The cell (label number, code), added when missing. */
static CellMetricsCell *
FindCellByNumber(CellMetrics *cm, int32 label, bool code_null, int64 code)
{
	uint32		mask = (uint32) cm->index_size - 1;
	uint32		i;
	int32		c;

	if (code_null)
		code = 0;
	for (i = CellHash(label, code_null, code) & mask; cm->index[i] != 0; i = (i + 1) & mask)
	{
		CellMetricsCell *cell = &cm->cells[cm->index[i] - 1];

		if (cell->code == code && cell->label == label && cell->code_null == code_null)
			return cell;
	}
	c = AddCell(cm, label, code_null, code);
	cm->index[i] = c + 1;
	if (2 * cm->ncells >= cm->index_size)
		GrowIndex(cm);
	return &cm->cells[c];
}

CellMetricsCell *
CellMetricsFindCell(CellMetrics *cm, const char *label, int32 label_len, bool code_null, int64 code)
{
	return FindCellByNumber(cm, CellMetricsLabelNumber(cm, label, label_len), code_null, code);
}

/* Makes s the cell's set, freeing the old one when the set moved to grow. */
static void
SetUsers(CellMetricsCell *cell, IntSet *s)
{
	if (s == cell->users)
		return;
	pfree(cell->users);
	cell->users = s;
}

void
CellMetricsAddUsers(CellMetrics *cm, CellMetricsCell *cell, const IntSet *users)
{
	MemoryContext old = MemoryContextSwitchTo(cm->hdr.eoh_context);
	IntSet	   *s = IntSetUnion(cell->users, users);

	MemoryContextSwitchTo(old);
	SetUsers(cell, s);
}

/* Adds a user key to a cell's set (memory of cm's context). */
static void
AddUser(CellMetrics *cm, CellMetricsCell *cell, int32 user_key)
{
	MemoryContext old = MemoryContextSwitchTo(cm->hdr.eoh_context);
	IntSet	   *s = IntSetAdd(cell->users, user_key);

	MemoryContextSwitchTo(old);
	SetUsers(cell, s);
}

/*
 * The number of a row's cell, found or added (CELL_METRICS_LEFT_OUT for a
 * row whose track is missing, left out as an inner join leaves it); the
 * word of the cell's user set the row will set is prefetched.
 */
static int32
PlaceRow(CellMetrics *cm, const CellMetricsRow *r)
{
	int64		code = r->code;
	CellMetricsCell *cell;

	if (r->duration_at != NULL && *r->duration_at < 0)
		return CELL_METRICS_LEFT_OUT;
	if (!r->code_null &&
		((r->code_at != NULL && unlikely(pg_add_s64_overflow(code, *r->code_at, &code))) ||
		 (r->code2_at != NULL && unlikely(pg_add_s64_overflow(code, *r->code2_at, &code)))))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cell_metrics code is out of range")));
	cell = FindCellByNumber(cm, r->label, r->code_null, code);
	if (r->user_at != NULL)
	{
		if (*r->user_at >= 0)
			__builtin_prefetch(IntSetSlotOf(cell->users, *r->user_at), 0);
	}
	else if (r->has_user)
		__builtin_prefetch(IntSetSlotOf(cell->users, r->user_key), 0);
	return (int32) (cell - cm->cells);
}

/* Counts a row into cell number c (from PlaceRow). */
static void
CountPlacedRow(CellMetrics *cm, const CellMetricsRow *r, int32 c)
{
	StreamMetricsRow row = r->row;
	CellMetricsCell *cell;

	if (c == CELL_METRICS_LEFT_OUT)
		return;
	Assert(c >= 0 && c < cm->ncells);
	cell = &cm->cells[c];
	if (r->duration_at != NULL)
	{
		row.track_sec = *r->duration_at;
		row.has_track = true;
	}
	StreamMetricsCountRow(&cell->metrics, &row);
	if (r->user_at != NULL)
	{
		if (*r->user_at >= 0)
			AddUser(cm, cell, *r->user_at);
	}
	else if (r->has_user)
		AddUser(cm, cell, r->user_key);
}

void
CellMetricsCountRow(CellMetrics *cm, const CellMetricsRow *r)
{
	CountPlacedRow(cm, r, PlaceRow(cm, r));
}

/* Counts waiting row i, placing it first if it was not. */
static void
CountWaitingRow(CellMetrics *cm, int32 i)
{
	int32		c = cm->pending_cell[i];

	if (c == CELL_METRICS_UNPLACED)
		c = PlaceRow(cm, &cm->pending[i]);
	CountPlacedRow(cm, &cm->pending[i], c);
}

void
CellMetricsQueueRow(CellMetrics *cm, const CellMetricsRow *row)
{
	int32		i;

	if (row->code_at != NULL)
		__builtin_prefetch(row->code_at, 0);
	if (row->code2_at != NULL)
		__builtin_prefetch(row->code2_at, 0);
	if (row->duration_at != NULL)
		__builtin_prefetch(row->duration_at, 0);
	if (row->user_at != NULL)
		__builtin_prefetch(row->user_at, 0);
	if (cm->npending < CELL_METRICS_LOOKAHEAD)
		i = cm->npending++;
	else
	{
		i = cm->cursor;
		CountWaitingRow(cm, i);
		cm->cursor = (cm->cursor + 1) % CELL_METRICS_LOOKAHEAD;
	}
	cm->pending[i] = *row;
	cm->pending_cell[i] = CELL_METRICS_UNPLACED;
	/* The row that came CELL_METRICS_PLACE_AFTER rows before this one. */
	if (cm->npending > CELL_METRICS_PLACE_AFTER)
	{
		int32		p = (i + CELL_METRICS_LOOKAHEAD - CELL_METRICS_PLACE_AFTER) % CELL_METRICS_LOOKAHEAD;

		cm->pending_cell[p] = PlaceRow(cm, &cm->pending[p]);
	}
}

void
CellMetricsSettle(CellMetrics *cm)
{
	int32		n = cm->npending;

	/* Emptied first: an error while counting must not count a row twice. */
	cm->npending = 0;
	for (int32 i = 0; i < n; i++)
		CountWaitingRow(cm, (cm->cursor + i) % CELL_METRICS_LOOKAHEAD);
	cm->cursor = 0;
}

/* Adds a cell's counts and users into the matching cell of a. */
static void
MergeCell(CellMetrics *a, const char *label, int32 label_len, bool code_null, int64 code,
		  const StreamMetricsState *metrics, const IntSet *users)
{
	CellMetricsCell *cell = CellMetricsFindCell(a, label, label_len, code_null, code);

	StreamMetricsStateAdd(&cell->metrics, metrics);
	CellMetricsAddUsers(a, cell, users);
}

void
CellMetricsMerge(CellMetrics *a, CellMetrics *b)
{
	CellMetricsSettle(b);
	for (int32 c = 0; c < b->ncells; c++)
	{
		const CellMetricsCell *cell = &b->cells[c];
		const CellMetricsLabel *l = cell->label >= 0 ? &b->labels[cell->label] : NULL;

		MergeCell(a, l ? l->bytes : NULL, l ? l->len : 0, cell->code_null, cell->code,
				  &cell->metrics, cell->users);
	}
}

/* The bytes of a cell in the flat form. */
static Size
FlatCellSize(const CellMetrics *cm, const CellMetricsCell *cell)
{
	Size		label_bytes = cell->label >= 0 ? MAXALIGN(cm->labels[cell->label].len) : 0;

	return sizeof(CellMetricsFlatCell) + label_bytes + VARSIZE(cell->users);
}

static Size
CellMetricsGetFlatSize(ExpandedObjectHeader *eohptr)
{
	CellMetrics *cm = (CellMetrics *) eohptr;
	Size		size = sizeof(CellMetricsFlatHeader);

	/* Flattening asks the size first: the waiting rows are counted here. */
	CellMetricsSettle(cm);

	for (int32 c = 0; c < cm->ncells; c++)
	{
		size += FlatCellSize(cm, &cm->cells[c]);
		if (size > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cell_metrics_state would need more than 1 GB")));
	}
	return size;
}

static void
CellMetricsFlattenInto(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CellMetrics *cm = (CellMetrics *) eohptr;
	CellMetricsFlatHeader *header = (CellMetricsFlatHeader *) result;
	char	   *p = (char *) result + sizeof(CellMetricsFlatHeader);

	if (cm->npending != 0)
		elog(ERROR, "cell_metrics_state flattened with rows waiting");
	memset(result, 0, allocated_size);
	SET_VARSIZE(header, allocated_size);
	header->ncells = cm->ncells;
	for (int32 c = 0; c < cm->ncells; c++)
	{
		const CellMetricsCell *cell = &cm->cells[c];
		CellMetricsFlatCell *fc = (CellMetricsFlatCell *) p;

		if ((Size) (p - (char *) result) + FlatCellSize(cm, cell) > allocated_size)
			elog(ERROR, "cell_metrics_state outgrew its flat size");
		fc->metrics = cell->metrics;
		fc->code = cell->code;
		fc->code_null = cell->code_null;
		fc->label_len = -1;
		p += sizeof(CellMetricsFlatCell);
		if (cell->label >= 0)
		{
			fc->label_len = cm->labels[cell->label].len;
			memcpy(p, cm->labels[cell->label].bytes, fc->label_len);
			p += MAXALIGN(fc->label_len);
		}
		memcpy(p, cell->users, VARSIZE(cell->users));
		p += VARSIZE(cell->users);
	}
	if ((Size) (p - (char *) result) != allocated_size)
		elog(ERROR, "cell_metrics_state flat size disagrees with its cells");
}

Datum
CellMetricsFlatDatum(CellMetrics *cm)
{
	Size		size = EOH_get_flat_size(&cm->hdr);
	void	   *flat = palloc(size);

	EOH_flatten_into(&cm->hdr, flat, size);
	return PointerGetDatum(flat);
}

/* Reads the flat form's cells into cm, checking every size against the end. */
static void
ReadFlatForm(CellMetrics *cm, const char *flat, Size size)
{
	const char *p = flat + sizeof(CellMetricsFlatHeader);
	const char *end = flat + size;
	CellMetricsFlatHeader header;

	if (size < sizeof(CellMetricsFlatHeader))
		CorruptFlatForm("The value is shorter than its header.");
	memcpy(&header, flat, sizeof(header));
	if (header.ncells < 0)
		CorruptFlatForm("The cell count is negative.");
	for (int32 c = 0; c < header.ncells; c++)
	{
		CellMetricsFlatCell fc;
		const char *label;
		IntSet	   *users;

		if ((Size) (end - p) < sizeof(CellMetricsFlatCell))
			CorruptFlatForm("A cell runs past the end of the value.");
		memcpy(&fc, p, sizeof(fc));
		p += sizeof(CellMetricsFlatCell);
		if (fc.label_len < -1 || (fc.code_null != 0 && fc.code_null != 1) ||
			(fc.label_len >= 0 && (Size) (end - p) < MAXALIGN(fc.label_len)))
			CorruptFlatForm("A cell's label or code flag is out of bounds.");
		label = fc.label_len >= 0 ? p : NULL;
		p += fc.label_len >= 0 ? MAXALIGN(fc.label_len) : 0;
		if ((Size) (end - p) < INT_SET_HEADER_BYTES || !VARATT_IS_4B_U(p) ||
			VARSIZE(p) > (Size) (end - p) || VARSIZE(p) % sizeof(uint64) != 0)
			CorruptFlatForm("A cell's user set runs past the end of the value.");
		users = IntSetFromDatum(PointerGetDatum(p));
		if (!StreamMetricsStateValid(&fc.metrics) || users->count > fc.metrics.rows)
			CorruptFlatForm("A cell's counts are inconsistent.");
		MergeCell(cm, label, Max(fc.label_len, 0), fc.code_null, fc.code, &fc.metrics, users);
		p += VARSIZE(p);
	}
	if (p != end)
		CorruptFlatForm("The value is longer than its cells.");
}

CellMetrics *
CellMetricsExpandedOf(Datum d)
{
	CellMetrics *cm;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	cm = (CellMetrics *) DatumGetEOHP(d);
	if (cm->magic != CELL_METRICS_MAGIC)
		elog(ERROR, "expanded object is not a cell_metrics_state");
	return cm;
}

void
CellMetricsMergeDatum(CellMetrics *a, Datum b)
{
	CellMetrics *expanded = CellMetricsExpandedOf(b);
	struct varlena *flat;

	if (expanded != NULL)
	{
		CellMetricsMerge(a, expanded);
		return;
	}
	/* A detoasted copy is MAXALIGN'ed; a value in place is by its type's alignment. */
	flat = PG_DETOAST_DATUM(b);
	ReadFlatForm(a, (const char *) flat, VARSIZE(flat));
}

CellMetrics *
CellMetricsFromDatum(Datum d, MemoryContext parent)
{
	CellMetrics *cm = CellMetricsExpandedOf(d);

	if (cm != NULL)
	{
		CellMetricsSettle(cm);
		return cm;
	}
	cm = CellMetricsNew(parent);
	CellMetricsMergeDatum(cm, d);
	return cm;
}

CellMetrics *
CellMetricsCopyOf(Datum d, MemoryContext parent)
{
	CellMetrics *cm = CellMetricsNew(parent);

	CellMetricsMergeDatum(cm, d);
	return cm;
}

static int
CompareCells(const void *x, const void *y, void *arg)
{
	const CellMetrics *cm = (const CellMetrics *) arg;
	const CellMetricsCell *a = &cm->cells[*(const int32 *) x];
	const CellMetricsCell *b = &cm->cells[*(const int32 *) y];

	if (a->label != b->label)
	{
		const CellMetricsLabel *la,
				   *lb;
		int			r;

		if (a->label < 0 || b->label < 0)
			return a->label < 0 ? 1 : -1;
		la = &cm->labels[a->label];
		lb = &cm->labels[b->label];
		r = memcmp(la->bytes, lb->bytes, Min(la->len, lb->len));
		if (r != 0)
			return r;
		return (la->len > lb->len) - (la->len < lb->len);
	}
	if (a->code_null != b->code_null)
		return a->code_null ? 1 : -1;
	return (a->code > b->code) - (a->code < b->code);
}

int32 *
CellMetricsSortedCells(CellMetrics *cm)
{
	int32	   *order;

	/* Settled first: counting the waiting rows may add cells. */
	CellMetricsSettle(cm);
	order = palloc(sizeof(int32) * Max(cm->ncells, 1));
	for (int32 c = 0; c < cm->ncells; c++)
		order[c] = c;
	qsort_arg(order, cm->ncells, sizeof(int32), CompareCells, (void *) cm);
	return order;
}

void
CellMetricsKeyFields(const CellMetrics *cm, const CellMetricsCell *cell, Datum *values, bool *nulls)
{
	nulls[0] = cell->label < 0;
	values[0] = nulls[0] ? (Datum) 0
		: PointerGetDatum(cstring_to_text_with_len(cm->labels[cell->label].bytes,
												   cm->labels[cell->label].len));
	nulls[1] = cell->code_null;
	values[1] = Int64GetDatum(cell->code);
}
