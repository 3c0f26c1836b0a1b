/*
 * distributions.c — Student t, normal and chi-square(1) tails and quantiles.
 *
 * The t distribution goes through the regularized incomplete beta function,
 * evaluated here by its continued fraction (modified Lentz) with the usual
 * symmetry switch, so that non-integer degrees of freedom (Welch) are exact.
 * Every probability is computed together with its complement, each from the
 * side where it is small, so a two-sided p-value never comes from 1 - cdf.
 * Quantiles are found by safeguarded Newton steps on the log of whichever of
 * the two complementary probabilities is the smaller.
 *
 * The fraction is written in y = 1 - x (see BetaContinuedFraction), which
 * keeps 1e-14 absolute accuracy from 1 to 10^300 degrees of freedom, in a few
 * hundred terms at most; the t distribution is never replaced by the normal.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "distributions.h"

#define LN_SQRT_2PI		0.918938533204672741780329736406	/* log(sqrt(2 pi)) */
#define SQRT_HALF_PI	1.253314137315500251207882642406	/* sqrt(pi / 2) */
#define BETA_CF_MAX_ITER 100000
#define BETA_CF_EPS		(DBL_EPSILON / 2)
#define BETA_CF_TINY	1e-300
#define SOLVE_MAX_ITER	400

/* Tail, complement and density of a symmetric distribution at t >= 0. */
typedef void (*TwoSidedFn) (double t, double df, double *tail, double *central,
							double *density);

/*
 * lgamma(x) - ((x - 0.5) log x - x + log sqrt(2 pi)) for x >= 10, by the
 * Stirling series; it lets LogBeta avoid subtracting huge lgamma values.
 */
static double
StirlingRemainder(double x)
{
	double		x2 = 1.0 / (x * x);

	return (1.0 / 12 + x2 * (-1.0 / 360 + x2 * (1.0 / 1260 + x2 * (-1.0 / 1680
			+ x2 * (1.0 / 1188 + x2 * (-691.0 / 360360 + x2 * (1.0 / 156
			+ x2 * (-3617.0 / 122400)))))))) / x;
}

/*
 * log B(a, b) for a, b > 0, accurate also when one or both are large
 * (the arrangement follows the classic lbeta of Fortran SLATEC and R).
 */
double
LogBeta(double a, double b)
{
	double		p = Min(a, b);
	double		q = Max(a, b);

	if (p >= 10)
	{
		double		corr = StirlingRemainder(p) + StirlingRemainder(q) -
			StirlingRemainder(p + q);

		return -0.5 * log(q) + LN_SQRT_2PI + corr +
			(p - 0.5) * log(p / (p + q)) + q * log1p(-p / (p + q));
	}
	if (q >= 10)
	{
		double		corr = StirlingRemainder(q) - StirlingRemainder(p + q);

		return lgamma(p) + corr + p - p * log(p + q) +
			(q - 0.5) * log1p(-p / (p + q));
	}
	return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/*
 * The continued fraction of I_x(a, b) / (x^a y^b / B(a, b)), for
 * lambda = (a + b) y - b >= 0, i.e. x at or below the mean a / (a + b), where
 * it converges quickly.  This is the even contraction of the classic fraction
 * written in y and lambda (Didonato and Morris, ACM TOMS 708, "bfrac"), so no
 * coefficient computes 1 - x: when x is close to 1 the rounding of x alone
 * would otherwise cost up to 1e-10 of relative accuracy at 10^6 degrees of
 * freedom.  It is evaluated by the modified Lentz method.  NaN if it does not
 * converge.
 */
static double
BetaContinuedFraction(double a, double b, double x, double y, double lambda)
{
	double		c = lambda + 1.0;
	double		c0 = b / a;
	double		c1 = 1.0 / a + 1.0;
	double		yp1 = y + 1.0;
	double		p = 1.0;
	double		s = a + 1.0;
	double		f,
				lentz_c,
				lentz_d;

	/* The fraction is 1 / (c/c1 + alpha_1 / (beta_1 + alpha_2 / (beta_2 + ...))). */
	f = c / c1;
	if (f == 0)
		f = BETA_CF_TINY;
	lentz_c = f;
	lentz_d = 0.0;
	for (int n = 1; n <= BETA_CF_MAX_ITER; n++)
	{
		double		t = n / a;
		double		w = n * (b - n) * x;
		double		e = a / s;
		double		alpha = p * (p + c0) * e * e * (w * x);
		double		beta;
		double		delta;

		e = (t + 1.0) / (c1 + t + t);
		beta = n + w / s + e * (c + n * yp1);
		p = t + 1.0;
		s += 2.0;

		lentz_d = beta + alpha * lentz_d;
		if (fabs(lentz_d) < BETA_CF_TINY)
			lentz_d = BETA_CF_TINY;
		lentz_c = beta + alpha / lentz_c;
		if (fabs(lentz_c) < BETA_CF_TINY)
			lentz_c = BETA_CF_TINY;
		lentz_d = 1.0 / lentz_d;
		delta = lentz_c * lentz_d;
		f *= delta;
		if (fabs(delta - 1.0) <= BETA_CF_EPS)
			return 1.0 / f;
	}
	return NAN;
}

/*
 * x^a y^b / B(a, b), the factor in front of the continued fraction, with
 * log x and log y each taken from whichever of x, y is known exactly.
 */
static double
BetaFrontFactor(double a, double b, double x, double y)
{
	double		log_x = x > 0.5 ? log1p(-y) : log(x);
	double		log_y = y > 0.5 ? log1p(-x) : log(y);

	return exp(a * log_x + b * log_y - LogBeta(a, b));
}

/*
 * The regularized incomplete beta w = I_x(a, b) and its complement
 * w1 = 1 - I_x(a, b), where y = 1 - x is passed in exactly by the caller
 * (it is usually known without the rounding of 1 - x).  Symmetry switch: the
 * fraction is evaluated on whichever side of the mean it converges on,
 * giving the smaller of w and w1 directly; the other is 1 minus it.
 */
void
RegularizedIncompleteBeta(double a, double b, double x, double y,
						  double *w, double *w1)
{
	double		lambda;

	if (isnan(a) || isnan(b) || isnan(x) || isnan(y) || a <= 0 || b <= 0)
	{
		*w = *w1 = NAN;
		return;
	}
	if (x <= 0)
	{
		*w = 0.0;
		*w1 = 1.0;
		return;
	}
	if (y <= 0)
	{
		*w = 1.0;
		*w1 = 0.0;
		return;
	}
	/* (a + b) y - b, computed from the side that does not cancel. */
	lambda = a > b ? (a + b) * y - b : a - (a + b) * x;
	if (lambda >= 0)
	{
		*w = BetaFrontFactor(a, b, x, y) * BetaContinuedFraction(a, b, x, y, lambda);
		*w1 = 0.5 + (0.5 - *w);
	}
	else
	{
		*w1 = BetaFrontFactor(b, a, y, x) * BetaContinuedFraction(b, a, y, x, -lambda);
		*w = 0.5 + (0.5 - *w1);
	}
}

/* The normal distribution's two-sided tail, central mass and density at z >= 0. */
static void
NormalParts(double z, double df, double *tail, double *central, double *density)
{
	(void) df;
	*tail = erfc(z * M_SQRT1_2);
	*central = erf(z * M_SQRT1_2);
	*density = exp(-0.5 * z * z - LN_SQRT_2PI);
}

/* Student t's two-sided tail, central mass and density at t >= 0. */
static void
StudentTParts(double t, double df, double *tail, double *central, double *density)
{
	double		q,
				x,
				y,
				log_x;

	/*
	 * x = df / (df + t^2) and y = t^2 / (df + t^2), arranged so that neither
	 * overflows for huge t nor loses the small one to rounding.
	 */
	q = t / sqrt(df);

	/*
	 * Near 0, y = q^2 / (1 + q^2) underflows and the central mass would come
	 * out 0, so the quantile solver could never reach a tiny confidence (it
	 * gave up at confidence 1e-300).  There the central mass is 2 t f(0) to
	 * within a relative (t^2 + q^2) / 2: exact in double precision.
	 */
	if (t < 1e-100 && q < 1e-100)
	{
		*density = exp(-0.5 * log(df) - LogBeta(0.5 * df, 0.5));
		*central = 2.0 * t * *density;
		*tail = 1.0 - *central;
		return;
	}
	if (q > 1.0)
	{
		double		s = 1.0 / q;

		x = s * s / (1.0 + s * s);
		y = 1.0 / (1.0 + s * s);
	}
	else
	{
		x = 1.0 / (1.0 + q * q);
		y = q * q / (1.0 + q * q);
	}
	RegularizedIncompleteBeta(0.5 * df, 0.5, x, y, tail, central);
	log_x = x > 0.5 ? log1p(-y) : log(x);
	*density = exp(0.5 * (df + 1.0) * log_x - 0.5 * log(df) -
				   LogBeta(0.5 * df, 0.5));
}

/*
 * Two-sided p-value P(|T| >= |t|) of Student's t with df > 0 degrees of
 * freedom (non-integer allowed); *central, if given, gets P(|T| < |t|).
 */
double
StudentTTwoSided(double t, double df, double *central)
{
	double		tail,
				mass,
				density;

	if (isnan(t) || isnan(df) || df <= 0)
		tail = mass = NAN;
	else
		StudentTParts(fabs(t), df, &tail, &mass, &density);
	if (central)
		*central = mass;
	return tail;
}

/* Two-sided normal p-value P(|Z| >= |z|). */
double
NormalTwoSided(double z)
{
	return erfc(fabs(z) * M_SQRT1_2);
}

/* Upper tail of the chi-square distribution with one degree of freedom. */
double
ChiSquare1Upper(double x)
{
	if (isnan(x) || x < 0)
		return NAN;
	return erfc(sqrt(0.5 * x));
}

/*
 * The t >= 0 with P(|X| < t) = confidence for the symmetric distribution
 * `parts`, by Newton steps on the log of the smaller of the two-sided tail and
 * the central mass, kept inside a bracket that bisection narrows whenever a
 * Newton step would leave it.  NaN if it does not converge.
 */
static double
SolveTwoSided(TwoSidedFn parts, double df, double confidence, double guess)
{
	bool		use_tail = confidence >= 0.5;
	double		log_target = log(use_tail ? 1.0 - confidence : confidence);
	double		lo = 0.0;
	double		hi = INFINITY;
	double		t = (guess > 0 && isfinite(guess)) ? guess : 1.0;

	for (int iter = 0; iter < SOLVE_MAX_ITER; iter++)
	{
		double		tail,
					central,
					density,
					v,
					h,
					next;

		parts(t, df, &tail, &central, &density);
		v = use_tail ? tail : central;
		if (isnan(v))
			return NAN;
		/* h(t) increases with t and is 0 at the answer. */
		if (v <= 0)
			h = use_tail ? INFINITY : -INFINITY;
		else
			h = use_tail ? log_target - log(v) : log(v) - log_target;
		if (h == 0)
			return t;
		if (h < 0)
			lo = t;
		else
			hi = t;

		next = (isfinite(h) && density > 0) ? t - h * v / (2.0 * density) : NAN;
		if (!(next > lo && next < hi))
		{
			if (isinf(hi))
				next = 2.0 * t;
			else if (lo > 0 && hi > 4.0 * lo)
				next = sqrt(lo) * sqrt(hi);
			else
				next = lo + 0.5 * (hi - lo);
		}
		if (fabs(next - t) <= 2.0 * DBL_EPSILON * next ||
			(isfinite(hi) && hi - lo <= 2.0 * DBL_EPSILON * hi))
			return next;
		t = next;
	}
	return NAN;
}

/* A normal-quantile starting point for the solvers (Abramowitz-Stegun 26.2.23, ~1e-3). */
static double
NormalQuantileGuess(double confidence)
{
	double		q,
				s;

	if (confidence < 0.5)
		return confidence * SQRT_HALF_PI;
	q = 0.5 * (1.0 - confidence);
	s = sqrt(-2.0 * log(q));
	return s - (2.515517 + s * (0.802853 + s * 0.010328)) /
		(1.0 + s * (1.432788 + s * (0.189269 + s * 0.001308)));
}

/* The z with P(|Z| < z) = confidence, for 0 < confidence < 1. */
double
NormalQuantileTwoSided(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		return NAN;
	return SolveTwoSided(NormalParts, 0, confidence,
						 NormalQuantileGuess(confidence));
}

/*
 * The t with P(|T| < t) = confidence for Student's t with df degrees of
 * freedom: the multiplier of the standard error in a confidence interval.
 */
double
StudentTQuantileTwoSided(double confidence, double df)
{
	double		z;

	if (!(confidence > 0 && confidence < 1) || isnan(df) || df <= 0)
		return NAN;
	z = NormalQuantileGuess(confidence);
	/* Cornish-Fisher's first correction; the solver copes with a poor guess. */
	return SolveTwoSided(StudentTParts, df, confidence,
						 z + (z * z * z + z) / (4.0 * df));
}
