/*
 * agg_call.h — whether a support function runs inside an aggregate, where
 * its state lives in the aggregate's memory context and may be changed in
 * place (a direct SQL call must copy it first: its argument is not ours).
 */
#ifndef VINYLOPS_AGG_CALL_H
#define VINYLOPS_AGG_CALL_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/execnodes.h"

static inline bool
CalledAsAggregate(FunctionCallInfo fcinfo)
{
	/* The common case, nodeAgg, without the function call. */
	if (likely(fcinfo->context != NULL && IsA(fcinfo->context, AggState)))
		return true;
	return AggCheckCallContext(fcinfo, NULL) != 0;
}

#endif							/* VINYLOPS_AGG_CALL_H */
