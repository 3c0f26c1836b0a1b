/*
 * two_sample_state.h — vinylops.ttest_state: per arm count, mean and sum of
 * squared deviations (M2), plus the confidence level of the interval.
 */
#ifndef VINYLOPS_TWO_SAMPLE_STATE_H
#define VINYLOPS_TWO_SAMPLE_STATE_H

#include "stats_state.h"

#define ARM_CONTROL		0
#define ARM_TREATMENT	1

/* One arm's running moments (Welford / Youngs-Cramer form). */
typedef struct TTestArm
{
	int64		n;
	double		mean;
	double		m2;				/* sum of squared deviations from the mean */
} TTestArm;

typedef struct TTestState
{
	TTestArm	arm[2];			/* ARM_CONTROL, ARM_TREATMENT */
	double		confidence;		/* of the interval, in (0, 1) */
} TTestState;

extern const StatsStateLayout TTestStateLayout;

extern void TTestArmAdd(TTestArm *arm, double x);
extern void TTestArmMerge(TTestArm *into, const TTestArm *from);

#endif							/* VINYLOPS_TWO_SAMPLE_STATE_H */
