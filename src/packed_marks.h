/*
 * packed_marks.h — the marks of stream_tally (marks[mark_key] = 1), read from
 * a copy of the marks array packed two bits per key, kept per call site.
 *
 * Why: quebec_cultural_engagement marks a stream French through an int4
 * array by track key, 0.9 MB at 234,497 tracks, read at random once per
 * stream: a cache miss the transition waited on (88 % of its samples, a
 * quarter of the report's, at 19 M streams).  Packed, the same marks are
 * 58 kB and stay in the CPU's cache.
 */
#ifndef VINYLOPS_PACKED_MARKS_H
#define VINYLOPS_PACKED_MARKS_H

#include "postgres.h"

#include "fmgr.h"

#include "key_map.h"

/* What marks[key] says of a row (MARK_UNKNOWN also for a NULL key or one outside marks). */
#define MARK_NONE 0				/* an element >= 0 other than 1 */
#define MARK_SET 1				/* the element 1 */
#define MARK_UNKNOWN 2			/* a negative element, or no element */

/*
 * The mark of the key in argument key_argno.  When marks is the same array,
 * in place, for every row of the aggregation — the aggregate's argument
 * marks_aggarg (from 0) a constant or a parameter, with no ORDER BY or
 * DISTINCT in the call — a packed copy is built after a few thousand rows
 * and read from then on; nodeAgg's rescan, which comes before a parameter
 * can change, and its reset of the aggregate's context between groups drop
 * the copy.
 */
extern int	PackedMarkOf(FunctionCallInfo fcinfo, const KeyMap *marks, int key_argno, int marks_aggarg);

#endif							/* VINYLOPS_PACKED_MARKS_H */
