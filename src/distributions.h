/*
 * distributions.h — tail probabilities and quantiles of the distributions the
 * hypothesis tests need (Student t, normal, chi-square with one degree of
 * freedom).  Pure arithmetic: no allocation, no errors; NaN means "could not
 * be computed" and callers decide what to report.
 */
#ifndef VINYLOPS_DISTRIBUTIONS_H
#define VINYLOPS_DISTRIBUTIONS_H

extern double LogBeta(double a, double b);
extern void RegularizedIncompleteBeta(double a, double b, double x, double y,
									  double *w, double *w1);
extern double StudentTTwoSided(double t, double df, double *central);
extern double StudentTQuantileTwoSided(double confidence, double df);
extern double NormalTwoSided(double z);
extern double NormalQuantileTwoSided(double confidence);
extern double ChiSquare1Upper(double x);

#endif							/* VINYLOPS_DISTRIBUTIONS_H */
