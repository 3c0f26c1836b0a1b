/*
 * stream_checks_state.c — the expanded state of stream_checks_keyed
 * (stream_checks.h): counters and the rows waiting for their track's
 * duration, flattened to the plain bigint[] state once they are counted.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "stream_checks.h"

static Size StreamChecksGetFlatSize(ExpandedObjectHeader *eohptr);
static void StreamChecksFlattenInto(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods stream_checks_methods = {
	StreamChecksGetFlatSize,
	StreamChecksFlattenInto
};

#define FLAT_SIZE (ARR_OVERHEAD_NONULLS(1) + STREAM_CHECKS_FIELDS * sizeof(int64))

void
StreamChecksIncrement(int64 *counter)
{
	if (unlikely(pg_add_s64_overflow(*counter, 1, counter)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stream_checks count is out of range")));
}

void
StreamChecksCountTrack(int64 *c, bool has_track_key, const int32 *track_sec_at,
					   bool has_stream_sec, int32 stream_sec)
{
	bool		known = (track_sec_at != NULL && *track_sec_at >= 0);

	if (has_track_key && !known)
		StreamChecksIncrement(&c[CHK_UNKNOWN_TRACK]);
	if (known && has_stream_sec && stream_sec > *track_sec_at)
	{
		StreamChecksIncrement(&c[CHK_LONGER_THAN_TRACK]);
		c[CHK_LONGEST_EXCESS] = Max(c[CHK_LONGEST_EXCESS], (int64) stream_sec - *track_sec_at);
	}
}

StreamChecks *
StreamChecksNew(MemoryContext parent, const int64 *c)
{
	MemoryContext context = AllocSetContextCreate(parent, "stream_checks_state",
												  ALLOCSET_SMALL_SIZES);
	StreamChecks *s = MemoryContextAllocZero(context, sizeof(StreamChecks));

	EOH_init_header(&s->hdr, &stream_checks_methods, context);
	s->magic = STREAM_CHECKS_MAGIC;
	memcpy(s->counters, c, sizeof(s->counters));
	return s;
}

StreamChecks *
StreamChecksExpandedOf(Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	if (eoh->eoh_methods != &stream_checks_methods)
		return NULL;
	return (StreamChecks *) eoh;
}

/* Counts the waiting rows. */
static void
Settle(StreamChecks *s)
{
	int32		n = s->npending;

	/* Emptied first: an error while counting must not count a row twice. */
	s->npending = 0;
	for (int32 i = 0; i < n; i++)
	{
		const StreamChecksPending *p = &s->pending[(s->cursor + i) % STREAM_CHECKS_LOOKAHEAD];

		StreamChecksCountTrack(s->counters, true, p->track_sec_at, p->has_stream_sec, p->stream_sec);
	}
	s->cursor = 0;
}

void
StreamChecksQueue(StreamChecks *s, const StreamChecksPending *row)
{
	StreamChecksPending *slot;

	__builtin_prefetch(row->track_sec_at, 0);
	if (s->npending < STREAM_CHECKS_LOOKAHEAD)
		slot = &s->pending[s->npending++];
	else
	{
		slot = &s->pending[s->cursor];
		StreamChecksCountTrack(s->counters, true, slot->track_sec_at, slot->has_stream_sec,
							   slot->stream_sec);
		s->cursor = (s->cursor + 1) % STREAM_CHECKS_LOOKAHEAD;
	}
	*slot = *row;
}

/* Every reader of the state gets its flat form, so the waiting rows are counted here. */
static Size
StreamChecksGetFlatSize(ExpandedObjectHeader *eohptr)
{
	StreamChecks *s = (StreamChecks *) eohptr;

	Settle(s);
	return FLAT_SIZE;
}

static void
StreamChecksFlattenInto(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	StreamChecks *s = (StreamChecks *) eohptr;
	ArrayType  *a = (ArrayType *) result;

	if (allocated_size != FLAT_SIZE || s->npending != 0)
		elog(ERROR, "stream_checks state flattened without being sized");
	memset(a, 0, allocated_size);
	SET_VARSIZE(a, allocated_size);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = INT8OID;
	ARR_DIMS(a)[0] = STREAM_CHECKS_FIELDS;
	ARR_LBOUND(a)[0] = 1;
	memcpy(ARR_DATA_PTR(a), s->counters, sizeof(s->counters));
}
