/*
 * percent.h — the one percentage formula of the stream aggregates
 * (stream_metrics, engagement_score, experience_score, stream_tally_rows),
 * so a rate computed by any of them is the same float8, bit for bit.
 */
#ifndef VINYLOPS_PERCENT_H
#define VINYLOPS_PERCENT_H

#include "postgres.h"

/* 100 × part / whole into *pct; false (the caller's NULL) when whole is 0. */
static inline bool
Percent(int64 part, int64 whole, double *pct)
{
	if (whole == 0)
		return false;
	*pct = 100.0 * (double) part / (double) whole;
	return true;
}

#endif							/* VINYLOPS_PERCENT_H */
