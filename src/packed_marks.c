/*
 * packed_marks.c — stream_tally's marks through a two-bit copy of the marks
 * array, cached in the call site's fn_extra (packed_marks.h).
 */
#include "postgres.h"

#include "nodes/execnodes.h"
#include "nodes/pg_list.h"
#include "nodes/primnodes.h"
#include "utils/memutils.h"

#include "packed_marks.h"

/*
 * Rows looked up directly before the copy is built: a short aggregation, or
 * a group of a few rows in a sorted GROUP BY (whose reset drops the copy),
 * never pays for packing a large array.
 */
#define LOOKUPS_BEFORE_PACKING 4096

#define MARKS_PER_WORD 32

typedef struct PackedMarks
{
	bool		stable;			/* marks is one array for the whole aggregation */
	bool		callback_set;	/* a reset of the aggregate's context drops the copy */
	int64		lookups;		/* direct lookups since the copy was last dropped */
	const int32 *source;		/* the elements packed, NULL while there is no copy */
	int32		lower;
	int32		n;
	uint64	   *words;			/* MARKS_PER_WORD marks per word, in fn_mcxt */
} PackedMarks;

static inline int
MarkOfElement(int32 element)
{
	if (element < 0)
		return MARK_UNKNOWN;
	return element == 1 ? MARK_SET : MARK_NONE;
}

static void
ForgetCopy(PackedMarks *p)
{
	if (p->words != NULL)
		pfree(p->words);
	p->words = NULL;
	p->source = NULL;
	p->lookups = 0;
}

/*
 * The reset callback (nodeAgg's rescan, before a parameter can change, and
 * its reset between sorted groups): drops the copy and the count of lookups.
 * Once run, nodeAgg forgets it, so it must be set again.
 */
static void
DropPackedMarks(Datum arg)
{
	PackedMarks *p = (PackedMarks *) DatumGetPointer(arg);

	ForgetCopy(p);
	p->callback_set = false;
}

/*
 * Whether the call site's marks stay one array for the whole aggregation:
 * called by nodeAgg (whose rescans and resets drop the copy through
 * AggRegisterCallback; a window function is not), the argument a constant
 * or a parameter, no ORDER BY or DISTINCT (nodeAgg then passes copies it
 * frees row by row).
 */
static bool
MarksStable(FunctionCallInfo fcinfo, int marks_aggarg)
{
	Aggref	   *aggref;
	TargetEntry *te;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return false;
	aggref = AggGetAggref(fcinfo);
	if (aggref == NULL || aggref->aggorder != NIL || aggref->aggdistinct != NIL ||
		list_length(aggref->args) <= marks_aggarg)
		return false;
	te = list_nth_node(TargetEntry, aggref->args, marks_aggarg);
	return IsA(te->expr, Const) || IsA(te->expr, Param);
}

static void
Pack(FunctionCallInfo fcinfo, PackedMarks *p, const KeyMap *marks)
{
	int64		nwords = ((int64) marks->n + MARKS_PER_WORD - 1) / MARKS_PER_WORD;
	uint64	   *words = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, nwords * sizeof(uint64));

	for (int32 i = 0; i < marks->n; i++)
		words[i / MARKS_PER_WORD] |=
			(uint64) MarkOfElement(marks->elements[i]) << (2 * (i % MARKS_PER_WORD));
	p->words = words;
	p->source = marks->elements;
	p->lower = marks->lower;
	p->n = marks->n;
	/* Tests count the copies built (sql/stream_tally.sql). */
	elog(DEBUG1, "stream_tally packed %d marks", marks->n);
}

static inline int
MarkFromCopy(FunctionCallInfo fcinfo, const PackedMarks *p, int key_argno)
{
	int64		offset;

	if (!KeyOffset(fcinfo, key_argno, p->lower, p->n, &offset))
		return MARK_UNKNOWN;
	return (int) (p->words[offset / MARKS_PER_WORD] >> (2 * (offset % MARKS_PER_WORD))) & 3;
}

int
PackedMarkOf(FunctionCallInfo fcinfo, const KeyMap *marks, int key_argno, int marks_aggarg)
{
	PackedMarks *p = (PackedMarks *) fcinfo->flinfo->fn_extra;
	const int32 *element;

	if (p == NULL)
	{
		p = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PackedMarks));
		p->stable = MarksStable(fcinfo, marks_aggarg);
		fcinfo->flinfo->fn_extra = p;
	}
	if (p->stable && marks->present && marks->in_place && marks->n > 0)
	{
		/* A copy of other elements cannot be this array's: rebuilt (a safeguard). */
		if (p->source != NULL &&
			(p->source != marks->elements || p->lower != marks->lower || p->n != marks->n))
			ForgetCopy(p);
		if (p->source != NULL)
			return MarkFromCopy(fcinfo, p, key_argno);
		/*
		 * Set before the first lookup, so that a group's reset also clears the
		 * count: a sorted GROUP BY whose groups are smaller never packs (nodeAgg
		 * frees the callback's entry when it runs it).
		 */
		if (!p->callback_set)
		{
			AggRegisterCallback(fcinfo, DropPackedMarks, PointerGetDatum(p));
			p->callback_set = true;
		}
		if (++p->lookups > LOOKUPS_BEFORE_PACKING)
		{
			Pack(fcinfo, p, marks);
			return MarkFromCopy(fcinfo, p, key_argno);
		}
	}
	element = marks->present ? KeyMapAt(fcinfo, marks, key_argno) : NULL;
	return element == NULL ? MARK_UNKNOWN : MarkOfElement(*element);
}
