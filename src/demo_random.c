/*
 * demo_random.c — the counter-based random numbers behind generate_demo_data().
 *
 * The demo data must be the same rows for the same arguments whatever the
 * plan, the parallelism or the session did before, so nothing here keeps a
 * stream of state: every random number is a pure function of
 * (seed, row number, field salt), hashed with the splitmix64 finalizer.
 * doc/demo_data.md gives the formula so the numbers can be recomputed
 * outside PostgreSQL.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

PG_FUNCTION_INFO_V1(vinylops_demo_uniform);
PG_FUNCTION_INFO_V1(vinylops_demo_choice);

/* Largest number of weights demo_choice() accepts; the generator uses at most 24. */
#define DEMO_MAX_WEIGHTS 1000

/* The splitmix64 output function: a bijection on 64-bit words that mixes every bit. */
static inline uint64
SplitMix64(uint64 z)
{
	z += UINT64CONST(0x9E3779B97F4A7C15);
	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/*
 * The uniform number for (seed, n, salt).  seed and salt are hashed together
 * first, so each (seed, salt) pair names its own stream, in which the row
 * numbers n then map one-to-one onto 64-bit words.
 */
static double
DemoUniform(int32 seed, int64 n, int32 salt)
{
	uint64		key = ((uint64) (uint32) salt << 32) | (uint64) (uint32) seed;
	uint64		z = SplitMix64(SplitMix64(key) + (uint64) n);

	/* The top 53 bits make every double in [0, 1) with a step of 2^-53. */
	return (double) (z >> 11) * (1.0 / 9007199254740992.0);
}

/* demo_uniform(seed, n, salt): a float8 in [0, 1), the same for the same arguments. */
Datum
vinylops_demo_uniform(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(DemoUniform(PG_GETARG_INT32(0), PG_GETARG_INT64(1), PG_GETARG_INT32(2)));
}

/* Cumulative weights of one weights array, cached across the rows of a query. */
typedef struct ChoiceEntry
{
	Size		rawlen;			/* bytes of the array the entry was built from */
	char	   *raw;			/* a copy of that array, to recognise it again */
	int			n;
	double	   *cum;			/* cum[i] = weights[0] + ... + weights[i] */
} ChoiceEntry;

/*
 * A few entries per call site: the generator picks between a couple of
 * constant arrays row by row (say, one for Quebec users, one for the rest).
 */
#define CHOICE_CACHE_SLOTS 8
typedef struct ChoiceCache
{
	int			next_victim;	/* the slot to reuse when all are taken */
	ChoiceEntry slots[CHOICE_CACHE_SLOTS];
} ChoiceCache;

/* Checks a weights array and fills an entry with its running sums; errors say what is wrong. */
static void
BuildChoiceEntry(MemoryContext mcxt, ArrayType *weights, ChoiceEntry *entry)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	double		total = 0.0;
	double	   *cum;

	if (ARR_NDIM(weights) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must be a non-empty one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(weights))));
	deconstruct_array(weights, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n > DEMO_MAX_WEIGHTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("weights must have at most %d elements", DEMO_MAX_WEIGHTS),
				 errdetail("The array has %d elements.", n)));

	cum = MemoryContextAlloc(mcxt, sizeof(double) * n);
	for (int i = 0; i < n; i++)
	{
		double		w;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("weights must not contain NULL"),
					 errdetail("Element %d is NULL.", i + 1)));
		w = DatumGetFloat8(elems[i]);
		if (isnan(w) || isinf(w) || w < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weights must be finite and not negative"),
					 errdetail("Element %d is %g.", i + 1, w)));
		total += w;
		cum[i] = total;
	}
	if (!(total > 0.0) || isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must have a positive finite sum"),
				 errdetail("The weights add up to %g.", total)));

	if (entry->raw != NULL)
	{
		pfree(entry->raw);
		pfree(entry->cum);
	}
	entry->n = n;
	entry->cum = cum;
	entry->rawlen = VARSIZE(weights);
	entry->raw = MemoryContextAlloc(mcxt, entry->rawlen);
	memcpy(entry->raw, weights, entry->rawlen);
}

/* The cached entry for a weights array, built on first sight. */
static ChoiceEntry *
LookupChoiceEntry(FmgrInfo *flinfo, ArrayType *weights)
{
	ChoiceCache *cache = (ChoiceCache *) flinfo->fn_extra;
	ChoiceEntry *entry;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(ChoiceCache));
		flinfo->fn_extra = cache;
	}
	for (int i = 0; i < CHOICE_CACHE_SLOTS; i++)
	{
		entry = &cache->slots[i];
		if (entry->raw != NULL && entry->rawlen == VARSIZE(weights) &&
			memcmp(entry->raw, weights, entry->rawlen) == 0)
			return entry;
	}
	entry = &cache->slots[cache->next_victim];
	cache->next_victim = (cache->next_victim + 1) % CHOICE_CACHE_SLOTS;
	BuildChoiceEntry(flinfo->fn_mcxt, weights, entry);
	return entry;
}

/*
 * demo_choice(u, weights): the 1-based index i whose share of the weights
 * contains u, i.e. the smallest i with u * sum(weights) < weights[1] + ... + weights[i].
 * With u uniform in [0, 1), index i comes up with probability weights[i] / sum.
 */
Datum
vinylops_demo_choice(PG_FUNCTION_ARGS)
{
	double		u = PG_GETARG_FLOAT8(0);
	ArrayType  *weights = PG_GETARG_ARRAYTYPE_P(1);
	ChoiceEntry *entry;
	double		target;
	int			lo,
				hi;

	if (isnan(u) || u < 0.0 || u >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("u must be in [0, 1)"),
				 errdetail("u is %g.", u)));
	entry = LookupChoiceEntry(fcinfo->flinfo, weights);

	/* Binary search for the first running sum above the target. */
	target = u * entry->cum[entry->n - 1];
	lo = 0;
	hi = entry->n - 1;
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (target < entry->cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	/* Should u * sum round up to the sum itself, step back over trailing zero weights. */
	while (lo > 0 && entry->cum[lo] == entry->cum[lo - 1])
		lo--;
	PG_RETURN_INT32(lo + 1);
}
