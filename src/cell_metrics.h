/*
 * cell_metrics.h — vinylops.cell_metrics_state, the state of the
 * cell_metrics aggregate: per cell (a text label and a bigint code), the
 * counts of stream_metrics and the distinct user keys, in one aggregate
 * group.
 *
 * Why: a report that groups 19 M streams by a few dozen cells (device and
 * user type, hour and region, artist, genre) and asks per cell for
 * stream_metrics and distinct_count(user_key) paid a hash aggregation over
 * text keys and two aggregate calls per stream.  Here one call per stream
 * finds its cell among a few, in a table that stays in cache, and the
 * partial states of parallel workers or Citus shards merge cell by cell.
 *
 * While an aggregate runs, the state is an expanded object (CellMetrics):
 * cells in an array, labels interned, an int_set per cell.  Anywhere else
 * (a tuple, a parallel worker's result) it is the flat form below, which
 * only this module writes.  The text and binary forms are those of
 * vinylops.cell_metrics_cell[], sorted, so PostgreSQL's own input functions
 * and those of stream_metrics_state and int_set check every field.
 */
#ifndef VINYLOPS_CELL_METRICS_H
#define VINYLOPS_CELL_METRICS_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

#include "int_set.h"
#include "stream_metrics_state.h"

/* A NULL label's number (labels are numbered from 0). */
#define CELL_METRICS_NULL_LABEL (-1)

typedef struct CellMetricsCell
{
	StreamMetricsState metrics;
	IntSet	   *users;			/* distinct non-NULL user keys of its rows */
	int64		code;			/* 0 when code_null */
	int32		label;			/* index into labels, or CELL_METRICS_NULL_LABEL */
	bool		code_null;
} CellMetricsCell;

typedef struct CellMetricsLabel
{
	char	   *bytes;
	int32		len;
} CellMetricsLabel;

/*
 * A row on its way to its cell.  code_at, code2_at, duration_at and user_at,
 * when set, point into lookup arrays that outlive the row: the code's two
 * addends, the track's duration (negative: no such track, the row is left
 * out) and the value the cell's user set holds for the row's user in place
 * of user_key (negative: no user), read when the row is counted.
 */
typedef struct CellMetricsRow
{
	StreamMetricsRow row;
	const int32 *code_at;
	const int32 *code2_at;
	const int32 *duration_at;
	const int32 *user_at;
	int64		code;
	int32		label;			/* label number (CellMetricsLabelNumber) */
	int32		user_key;
	bool		code_null;
	bool		has_user;
} CellMetricsRow;

/*
 * Rows whose lookups are read from arrays wait this many transitions before
 * they are counted: keys come in random order, so each lookup is a cache
 * miss; the transition prefetches the elements and reads them this many rows
 * later, when they have arrived, instead of stalling on them.  Half-way, a
 * row is placed: its lookups are read, its cell found and the word of the
 * cell's user set it will set prefetched, the next miss in its path.
 */
#define CELL_METRICS_LOOKAHEAD 16
#define CELL_METRICS_PLACE_AFTER (CELL_METRICS_LOOKAHEAD / 2)

typedef struct CellMetrics
{
	ExpandedObjectHeader hdr;
	int32		magic;			/* CELL_METRICS_MAGIC */
	int32		nlabels;
	int32		labels_room;
	int32		last_label;		/* the label found last (rows repeat a few) */
	CellMetricsLabel *labels;
	int32		ncells;
	int32		cells_room;
	CellMetricsCell *cells;
	int32	   *index;			/* open addressing: 1 + cell number, 0 free */
	int32		index_size;		/* a power of two, more than twice ncells */
	int32		npending;		/* rows waiting in pending[] */
	int32		cursor;			/* the waiting row counted next, when full */
	CellMetricsRow pending[CELL_METRICS_LOOKAHEAD];
	/* Per waiting row: its cell number once placed, or one of the two below. */
	int32		pending_cell[CELL_METRICS_LOOKAHEAD];
} CellMetrics;

/* A waiting row not placed yet, and one its missing track leaves out. */
#define CELL_METRICS_UNPLACED (-1)
#define CELL_METRICS_LEFT_OUT (-2)

#define CELL_METRICS_MAGIC 0x63656c6c

/* A new, empty state: an expanded object in its own child of parent. */
extern CellMetrics *CellMetricsNew(MemoryContext parent);

/*
 * The state of a datum, settled: the expanded object itself when d points to one,
 * else a new one built from the flat form in a child of parent (the flat
 * form's sizes and every set checked; XX001 when they disagree).
 */
extern CellMetrics *CellMetricsFromDatum(Datum d, MemoryContext parent);

/* A new state in a child of parent holding the cells of d (flat or expanded). */
extern CellMetrics *CellMetricsCopyOf(Datum d, MemoryContext parent);

/* Adds the cells of d (flat or expanded) into a. */
extern void CellMetricsMergeDatum(CellMetrics *a, Datum d);

/* The R/W datum of a state. */
static inline Datum
CellMetricsGetDatum(CellMetrics *cm)
{
	return EOHPGetRWDatum(&cm->hdr);
}

/*
 * The cell (label, code), added empty when missing.  label NULL for a NULL
 * label.  The pointer is valid until the next cell is added.
 */
extern CellMetricsCell *CellMetricsFindCell(CellMetrics *cm, const char *label, int32 label_len,
											bool code_null, int64 code);

/* The number of a label (interned when new); CELL_METRICS_NULL_LABEL for NULL. */
extern int32 CellMetricsLabelNumber(CellMetrics *cm, const char *label, int32 label_len);

/* Counts a row now. */
extern void CellMetricsCountRow(CellMetrics *cm, const CellMetricsRow *row);

/*
 * Queues a row whose lookups outlive it (or that has none): its array
 * elements are prefetched now, the row that came CELL_METRICS_PLACE_AFTER
 * rows before it is placed, and the row that waited longest is counted.
 */
extern void CellMetricsQueueRow(CellMetrics *cm, const CellMetricsRow *row);

/* Counts the rows still waiting (every reader of a state's cells does first). */
extern void CellMetricsSettle(CellMetrics *cm);

/* The expanded object d points to, rows possibly waiting; NULL when d is flat. */
extern CellMetrics *CellMetricsExpandedOf(Datum d);

/* Adds a set of user keys to a cell's set. */
extern void CellMetricsAddUsers(CellMetrics *cm, CellMetricsCell *cell, const IntSet *users);

/* Adds every cell of b into a (b settled first, its counts unchanged). */
extern void CellMetricsMerge(CellMetrics *a, CellMetrics *b);

/*
 * The cell numbers in canonical order: by label (bytewise, NULL last), then
 * code (NULL last).  A palloc'd array of cm->ncells.
 */
extern int32 *CellMetricsSortedCells(CellMetrics *cm);

/* A cell's label (text or NULL) and code (bigint or NULL) as the first two of values and nulls. */
extern void CellMetricsKeyFields(const CellMetrics *cm, const CellMetricsCell *cell,
								 Datum *values, bool *nulls);

/* The flat form of a state, palloc'd. */
extern Datum CellMetricsFlatDatum(CellMetrics *cm);

#endif							/* VINYLOPS_CELL_METRICS_H */
