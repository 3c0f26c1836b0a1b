/*
 * key_map.h — an int4[] argument read as a lookup table by key (the arrays
 * dense_int_array builds), so that an aggregate looks a key up in C instead
 * of the caller's SQL subscript, whose evaluation per row cost more than the
 * lookup (doc/performance.md).
 */
#ifndef VINYLOPS_KEY_MAP_H
#define VINYLOPS_KEY_MAP_H

#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

/* A lookup array argument: int4 elements from lower, n of them (n = 0 for none). */
typedef struct KeyMap
{
	const int32 *elements;
	int32		lower;
	int32		n;
	bool		present;		/* the argument is not NULL */
	bool		in_place;		/* its elements are the argument's own memory */
} KeyMap;

/* Reads argument argno as a KeyMap; name is the argument's name in errors. */
static inline void
ReadKeyMap(FunctionCallInfo fcinfo, int argno, const char *name, KeyMap *map)
{
	struct varlena *raw;
	ArrayType  *a;

	memset(map, 0, sizeof(*map));
	if (PG_ARGISNULL(argno))
		return;
	raw = (struct varlena *) PG_GETARG_POINTER(argno);
	a = DatumGetArrayTypeP(PG_GETARG_DATUM(argno));
	if (ARR_ELEMTYPE(a) != INT4OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional integer array without NULLs", name)));
	map->present = true;
	map->in_place = ((Pointer) a == (Pointer) raw);
	if (ARR_NDIM(a) == 1)
	{
		map->elements = (const int32 *) ARR_DATA_PTR(a);
		map->lower = ARR_LBOUND(a)[0];
		map->n = ARR_DIMS(a)[0];
	}
}

/*
 * The offset of a key argument in an array of n elements from lower; false
 * when the key is NULL or outside it.
 */
static inline bool
KeyOffset(FunctionCallInfo fcinfo, int key_argno, int32 lower, int32 n, int64 *offset)
{
	if (PG_ARGISNULL(key_argno))
		return false;
	*offset = (int64) PG_GETARG_INT32(key_argno) - lower;
	return *offset >= 0 && *offset < n;
}

/* The element of map for a key argument, or NULL when the key is NULL or outside it. */
static inline const int32 *
KeyMapAt(FunctionCallInfo fcinfo, const KeyMap *map, int key_argno)
{
	int64		offset;

	if (!KeyOffset(fcinfo, key_argno, map->lower, map->n, &offset))
		return NULL;
	return &map->elements[offset];
}

#endif							/* VINYLOPS_KEY_MAP_H */
