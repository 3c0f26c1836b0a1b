/*
 * int64_fields.h — aggregate states that are a plain run of int64 fields
 * (stream_metrics_state, playback_metrics_state): their canonical text form
 * (a literal before each field), their binary form (big-endian int64 in the
 * same order), field-wise addition, and the in-place update test of their
 * transition functions.  Each state type keeps its own layout and its own
 * check that the fields are consistent.
 */
#ifndef VINYLOPS_INT64_FIELDS_H
#define VINYLOPS_INT64_FIELDS_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"

/* One field: the literal before it in the text form, its name in messages, where it is. */
typedef struct Int64Field
{
	const char *prefix;
	const char *name;
	size_t		offset;
	bool		may_be_negative;
} Int64Field;

/* A state type's fields, in text and binary order. */
typedef struct Int64FieldsLayout
{
	const char *type_name;
	int			nfields;
	const Int64Field *fields;
} Int64FieldsLayout;

/* The value of field i of a state. */
static inline int64
Int64FieldValue(const Int64FieldsLayout *layout, const void *state, int i)
{
	return *(const int64 *) ((const char *) state + layout->fields[i].offset);
}

extern void Int64FieldsParse(const Int64FieldsLayout *layout, const char *input, void *state);
extern char *Int64FieldsFormat(const Int64FieldsLayout *layout, const void *state);
extern void Int64FieldsReceive(const Int64FieldsLayout *layout, StringInfo buf, void *state);
extern bytea *Int64FieldsSend(const Int64FieldsLayout *layout, const void *state);
extern void Int64FieldsAdd(const Int64FieldsLayout *layout, void *into, const void *from);
extern char *Int64FieldsNegativeProblem(const Int64FieldsLayout *layout, const void *state);
extern void *WritableAggStateSlow(FunctionCallInfo fcinfo, Size size);

/*
 * The state argument 0 ready to be updated in place.  The plain-aggregate
 * test is inlined because it runs once per input row; direct calls, window
 * aggregates and NULL states go through WritableAggStateSlow.
 */
static inline void *
WritableAggState(FunctionCallInfo fcinfo, Size size)
{
	if (likely(fcinfo->context != NULL && IsA(fcinfo->context, AggState) && !PG_ARGISNULL(0)))
		return PG_GETARG_POINTER(0);
	return WritableAggStateSlow(fcinfo, size);
}

#endif							/* VINYLOPS_INT64_FIELDS_H */
