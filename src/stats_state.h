/*
 * stats_state.h — what the hypothesis-test state types share: a fixed list of
 * int64 and float8 fields, a strict text form "(f1,f2,...)" with exact float
 * round trip, a strict versioned binary form, and in-place update for
 * aggregates.
 */
#ifndef VINYLOPS_STATS_STATE_H
#define VINYLOPS_STATS_STATE_H

#include "fmgr.h"
#include "lib/stringinfo.h"

/* Version byte that starts every binary state, so the format can evolve. */
#define STATS_STATE_BINARY_VERSION 1

typedef enum StatsFieldKind
{
	STATS_FIELD_INT64,
	STATS_FIELD_FLOAT8
} StatsFieldKind;

typedef struct StatsField
{
	const char *name;			/* as named in error details */
	StatsFieldKind kind;
	size_t		offset;			/* in the state struct */
} StatsField;

/*
 * Checks a decoded state's consistency; returns NULL when it is valid, else a
 * sentence saying what is wrong (used as the error detail).
 */
typedef const char *(*StatsStateCheck) (const void *state);

typedef struct StatsStateLayout
{
	const char *type_name;		/* qualified SQL name, for messages */
	size_t		size;			/* sizeof the state struct */
	int			nfields;
	const StatsField *fields;
	StatsStateCheck check;
} StatsStateLayout;

extern void *StatsStateFromText(const StatsStateLayout *layout, const char *str);
extern char *StatsStateToText(const StatsStateLayout *layout, const void *state);
extern void *StatsStateFromBinary(const StatsStateLayout *layout, StringInfo buf);
extern bytea *StatsStateToBinary(const StatsStateLayout *layout, const void *state);
extern void *StatsStateForUpdate(FunctionCallInfo fcinfo, int argno,
								 const StatsStateLayout *layout, const void *empty);
extern double StatsCheckedResult(double value);

#endif							/* VINYLOPS_STATS_STATE_H */
