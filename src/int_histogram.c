/*
 * int_histogram.c — storage, merging and text/binary I/O of
 * vinylops.int_histogram (int_histogram.h describes the layout).
 *
 * Anyone can write '...'::vinylops.int_histogram or send one in binary, and
 * Citus ships partial states through these functions, so input accepts only
 * the canonical form — values strictly ascending, counts at least 1, a total
 * that fits in int64 — and every length is checked before it sizes an
 * allocation.
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "int_histogram.h"

PG_FUNCTION_INFO_V1(vinylops_int_histogram_in);
PG_FUNCTION_INFO_V1(vinylops_int_histogram_out);
PG_FUNCTION_INFO_V1(vinylops_int_histogram_recv);
PG_FUNCTION_INFO_V1(vinylops_int_histogram_send);

/* Bytes of one pair in the binary form: int32 value, int64 count. */
#define PAIR_BINARY_BYTES 12

/* An in-place sort of slots by value (lib/sort_template.h, comparisons inlined). */
#define ST_SORT SortSlotsByValue
#define ST_ELEMENT_TYPE HistogramSlot
#define ST_COMPARE(a, b) (((a)->value > (b)->value) - ((a)->value < (b)->value))
#define ST_SCOPE static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* Raises the error for a histogram that would need more slots than a varlena holds. */
void
IntHistogramTooBig(int64 slots)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("int_histogram would hold too many distinct values"),
			 errdetail("It needs " INT64_FORMAT " slots; at most %d fit in one value.",
					   slots, INT_HISTOGRAM_MAX_SLOTS)));
}

/* A new empty histogram with room for capacity slots, in CurrentMemoryContext. */
IntHistogram *
IntHistogramAlloc(int64 capacity)
{
	IntHistogram *h;

	if (capacity > INT_HISTOGRAM_MAX_SLOTS)
		IntHistogramTooBig(capacity);
	h = palloc0(INT_HISTOGRAM_HEADER_BYTES + capacity * sizeof(HistogramSlot));
	SET_VARSIZE(h, INT_HISTOGRAM_HEADER_BYTES + capacity * sizeof(HistogramSlot));
	h->capacity = (int32) capacity;
	return h;
}

/*
 * Merges two runs of pairs sorted by value into out (room for na + nb),
 * adding the counts of equal values; returns the number of pairs written.
 * Counts cannot overflow: the caller has checked the totals' sum.
 */
static int32
MergeRuns(const HistogramSlot *a, int32 na, const HistogramSlot *b, int32 nb, HistogramSlot *out)
{
	int32		i = 0,
				j = 0,
				n = 0;

	while (i < na && j < nb)
	{
		if (a[i].value < b[j].value)
			out[n++] = a[i++];
		else if (b[j].value < a[i].value)
			out[n++] = b[j++];
		else
		{
			out[n] = a[i++];
			out[n++].count += b[j++].count;
		}
	}
	while (i < na)
		out[n++] = a[i++];
	while (j < nb)
		out[n++] = b[j++];
	return n;
}

/*
 * Merges the pending values into the pairs, in place: sort them, add up
 * equal ones, and merge the two sorted runs through a scratch copy.
 */
void
IntHistogramFlush(IntHistogram *h)
{
	HistogramSlot *pending = h->slots + h->npairs;
	HistogramSlot *merged;
	int32		m = 0;
	int32		i;

	if (h->npending == 0)
		return;
	SortSlotsByValue(pending, h->npending);
	for (i = 0; i < h->npending; i++)
	{
		if (m > 0 && pending[m - 1].value == pending[i].value)
			pending[m - 1].count += pending[i].count;
		else
			pending[m++] = pending[i];
	}
	merged = palloc(sizeof(HistogramSlot) * ((Size) h->npairs + m));
	h->npairs = MergeRuns(h->slots, h->npairs, pending, m, merged);
	memcpy(h->slots, merged, sizeof(HistogramSlot) * (Size) h->npairs);
	pfree(merged);
	h->npending = 0;
}

/* A canonical copy (pairs only, no spare room) of any histogram. */
IntHistogram *
IntHistogramCanonical(const IntHistogram *h)
{
	IntHistogram *c = IntHistogramAlloc((int64) h->npairs + h->npending);

	memcpy(c->slots, h->slots, sizeof(HistogramSlot) * ((Size) h->npairs + h->npending));
	c->npairs = h->npairs;
	c->npending = h->npending;
	c->total = h->total;
	IntHistogramFlush(c);
	c->capacity = c->npairs;
	SET_VARSIZE(c, INT_HISTOGRAM_HEADER_BYTES + (Size) c->npairs * sizeof(HistogramSlot));
	return c;
}

/* The canonical histogram of a datum, detoasted, as a copy if it had to change. */
IntHistogram *
IntHistogramGetCanonical(Datum d)
{
	IntHistogram *h = (IntHistogram *) PG_DETOAST_DATUM(d);

	if (h->npending == 0 && h->capacity == h->npairs)
		return h;
	return IntHistogramCanonical(h);
}

/*
 * Merges the pairs of b (canonical) into a (no pending values): in place
 * when may_modify and a has the room, else into a new histogram with as
 * much spare room again (so repeated merges stay linear).
 */
IntHistogram *
IntHistogramMergePairs(IntHistogram *a, const IntHistogram *b, bool may_modify)
{
	int64		total;
	int64		most = (int64) a->npairs + b->npairs;
	IntHistogram *r;

	Assert(a->npending == 0 && b->npending == 0);
	if (pg_add_s64_overflow(a->total, b->total, &total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("int_histogram count is out of range"),
				 errdetail("A histogram counts at most 9223372036854775807 values.")));
	if (may_modify && a->capacity >= most)
	{
		HistogramSlot *merged = palloc(sizeof(HistogramSlot) * (Size) most);

		a->npairs = MergeRuns(a->slots, a->npairs, b->slots, b->npairs, merged);
		memcpy(a->slots, merged, sizeof(HistogramSlot) * (Size) a->npairs);
		pfree(merged);
		a->total = total;
		return a;
	}
	r = IntHistogramAlloc(Min(2 * most, (int64) INT_HISTOGRAM_MAX_SLOTS));
	r->npairs = MergeRuns(a->slots, a->npairs, b->slots, b->npairs, r->slots);
	r->total = total;
	return r;
}

/* Raises the syntax error of a text histogram, with what was wrong as the detail. */
static void
pg_attribute_noreturn()
SyntaxError(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type int_histogram: \"%s\"", input),
			 errdetail_internal("%s", detail)));
}

/* The 1-based character position of pos in input, for error details. */
static int
CharPosition(const char *input, const char *pos)
{
	return pg_mbstrlen_with_len(input, pos - input) + 1;
}

/*
 * Reads a canonical decimal integer at *pos (a '-' only when allowed; no
 * '+', no leading zero, no "-0"), between lo and hi, and advances past it.
 */
static int64
ReadInteger(const char *input, const char **pos, bool allow_negative, int64 lo, int64 hi,
			const char *what)
{
	const char *p = *pos;
	bool		negative = false;
	bool		overflow = false;
	int64		value = 0;

	if (*p == '-' && allow_negative)
	{
		negative = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		SyntaxError(input, psprintf("Expected %s at character %d.", what, CharPosition(input, p)));
	if (p[0] == '0' && ((p[1] >= '0' && p[1] <= '9') || negative))
		SyntaxError(input, psprintf("The %s at character %d is not in canonical form (leading zero or -0).",
									what, CharPosition(input, *pos)));
	/* Accumulate negatively so that the most negative int64 reads too. */
	for (; *p >= '0' && *p <= '9'; p++)
		overflow = overflow || pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value);
	if (!negative && !overflow)
		overflow = pg_sub_s64_overflow(0, value, &value);
	if (overflow || value < lo || value > hi)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s at character %d is out of range for type int_histogram",
						what, CharPosition(input, *pos)),
				 errdetail("Values are 32-bit integers; counts are between 1 and 9223372036854775807.")));
	*pos = p;
	return value;
}

/*
 * Why a run of pairs could not be a histogram, or NULL when it can: values
 * strictly ascending, counts at least 1, the counts' total within int64.
 * Sets *total.
 */
static char *
PairsProblem(const HistogramSlot *slots, int32 n, int64 *total)
{
	int32		i;

	*total = 0;
	for (i = 0; i < n; i++)
	{
		if (slots[i].count < 1)
			return psprintf("Pair %d has count " INT64_FORMAT "; counts are at least 1.",
							i + 1, slots[i].count);
		if (i > 0 && slots[i].value <= slots[i - 1].value)
			return psprintf("Pair %d has value %d after %d; values must be strictly ascending.",
							i + 1, slots[i].value, slots[i - 1].value);
		if (pg_add_s64_overflow(*total, slots[i].count, total))
			return pstrdup("The counts add up to more than 9223372036854775807.");
	}
	return NULL;
}

/* Text input: "{value:count,...}" with values strictly ascending, or "{}". */
Datum
vinylops_int_histogram_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		colons = 0;
	IntHistogram *h;
	char	   *problem;

	/* Every pair has one ':', so their number bounds the allocation. */
	for (p = input; *p; p++)
		colons += (*p == ':');
	p = input;
	if (*p++ != '{')
		SyntaxError(input, "A histogram starts with \"{\".");
	h = IntHistogramAlloc(colons);
	if (*p != '}')
	{
		for (;;)
		{
			int32		value = (int32) ReadInteger(input, &p, true, PG_INT32_MIN, PG_INT32_MAX, "value");

			if (*p++ != ':')
				SyntaxError(input, psprintf("Expected \":\" after the value at character %d.",
											CharPosition(input, p - 1)));
			/* Each pair read so far ended in one of the colons counted. */
			Assert(h->npairs < h->capacity);
			h->slots[h->npairs].value = value;
			h->slots[h->npairs++].count = ReadInteger(input, &p, false, 1, PG_INT64_MAX, "count");
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p++ != '}')
		SyntaxError(input, psprintf("Expected \",\" or \"}\" at character %d.", CharPosition(input, p - 1)));
	if (*p != '\0')
		SyntaxError(input, psprintf("Unexpected text at character %d after \"}\".", CharPosition(input, p)));
	if ((problem = PairsProblem(h->slots, h->npairs, &h->total)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("inconsistent int_histogram value"),
				 errdetail_internal("%s", problem)));
	h->capacity = h->npairs;
	SET_VARSIZE(h, INT_HISTOGRAM_HEADER_BYTES + (Size) h->npairs * sizeof(HistogramSlot));
	PG_RETURN_POINTER(h);
}

/* Text output: the canonical "{value:count,...}". */
Datum
vinylops_int_histogram_out(PG_FUNCTION_ARGS)
{
	IntHistogram *h = IntHistogramGetCanonical(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < h->npairs; i++)
		appendStringInfo(&buf, "%s%d:" INT64_FORMAT, i > 0 ? "," : "", h->slots[i].value, h->slots[i].count);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: int32 number of pairs, then per pair int32 value and int64 count. */
Datum
vinylops_int_histogram_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		npairs;
	int64		remaining;
	IntHistogram *h;
	char	   *problem;
	int32		i;

	if (buf->len - buf->cursor < 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary int_histogram value"),
				 errdetail("The value has %d bytes; it needs at least 4 for the number of pairs.",
						   buf->len - buf->cursor)));
	npairs = (int32) pq_getmsgint(buf, 4);
	remaining = buf->len - buf->cursor;
	if (npairs < 0 || (int64) npairs * PAIR_BINARY_BYTES != remaining)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary int_histogram value"),
				 errdetail("The value announces %d pairs (%d bytes each) and carries " INT64_FORMAT " bytes after the count.",
						   npairs, PAIR_BINARY_BYTES, remaining)));
	h = IntHistogramAlloc(npairs);
	for (i = 0; i < npairs; i++)
	{
		h->slots[i].value = (int32) pq_getmsgint(buf, 4);
		h->slots[i].count = pq_getmsgint64(buf);
	}
	pq_getmsgend(buf);
	h->npairs = npairs;
	if ((problem = PairsProblem(h->slots, h->npairs, &h->total)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("inconsistent int_histogram value"),
				 errdetail_internal("%s", problem)));
	PG_RETURN_POINTER(h);
}

/* Binary output: the canonical pairs, as int_histogram_recv reads them. */
Datum
vinylops_int_histogram_send(PG_FUNCTION_ARGS)
{
	IntHistogram *h = IntHistogramGetCanonical(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, (uint32) h->npairs);
	for (i = 0; i < h->npairs; i++)
	{
		pq_sendint32(&buf, (uint32) h->slots[i].value);
		pq_sendint64(&buf, h->slots[i].count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
