/*
 * sample_size.c — the standard normal quantile that experiment sizing needs.
 *
 * required_sample_size() (sql/install/93_experiment_design.sql) is plain SQL
 * arithmetic around z quantiles; PostgreSQL has no inverse normal, so this
 * file provides one: Wichura's algorithm AS 241 (PPND16, Applied Statistics
 * 37 (1988) 477-484), rational approximations accurate to about 1e-16
 * relative over the whole open interval (0, 1).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(vinylops_normal_quantile);

/* AS 241 for |p - 0.5| <= 0.425: a ratio of degree-7 polynomials in r = 0.180625 - q^2. */
static double
CentralQuantile(double q)
{
	double		r = 0.180625 - q * q;

	return q * (((((((r * 2509.0809287301226727 +
					  33430.575583588128105) * r + 67265.770927008700853) * r +
					45921.953931549871457) * r + 13731.693765509461125) * r +
				  1971.5909503065514427) * r + 133.14166789178437745) * r +
				3.387132872796366608) /
		(((((((r * 5226.495278852545925 +
			   28729.085735721942674) * r + 39307.89580009271061) * r +
			 21213.794301586595867) * r + 5394.1960214247511077) * r +
		   687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
}

/* AS 241 in the tails, given r = sqrt(-log(min(p, 1 - p))) > 1.6; returns |z|. */
static double
TailQuantile(double r)
{
	if (r <= 5.0)
	{
		r -= 1.6;
		return (((((((r * 7.7454501427834140764e-4 +
					  0.0227238449892691845833) * r + 0.24178072517745061177) * r +
					1.27045825245236838258) * r + 3.64784832476320460504) * r +
				  5.7694972214606914055) * r + 4.6303378461565452959) * r +
				1.42343711074968357734) /
			(((((((r * 1.05075007164441684324e-9 +
				   5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
				 0.14810397642748007459) * r + 0.68976733498510000455) * r +
			   1.6763848301838038494) * r + 2.05319162663775882187) * r + 1.0);
	}
	r -= 5.0;
	return (((((((r * 2.01033439929228813265e-7 +
				  2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
				0.026532189526576123093) * r + 0.29656057182850489123) * r +
			  1.7848265399172913358) * r + 5.4637849111641143699) * r +
			6.6579046435011037772) /
		(((((((r * 2.04426310338993978564e-15 +
			   1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
			 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r +
		   0.13692988092273580531) * r + 0.59983220655588793769) * r + 1.0);
}

/* The z with P(Z <= z) = p for 0 < p < 1 (AS 241). */
static double
NormalQuantile(double p)
{
	double		q = p - 0.5;
	double		z;

	if (fabs(q) <= 0.425)
		return CentralQuantile(q);
	z = TailQuantile(sqrt(-log(q < 0.0 ? p : 1.0 - p)));
	return q < 0.0 ? -z : z;
}

/* SQL normal_quantile(p): the standard normal quantile; -Infinity at 0, Infinity at 1. */
Datum
vinylops_normal_quantile(PG_FUNCTION_ARGS)
{
	float8		p = PG_GETARG_FLOAT8(0);

	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability must be between 0 and 1"),
				 errdetail("normal_quantile was called with %g.", p)));
	if (p == 0.0)
		PG_RETURN_FLOAT8(-get_float8_infinity());
	if (p == 1.0)
		PG_RETURN_FLOAT8(get_float8_infinity());
	PG_RETURN_FLOAT8(NormalQuantile(p));
}
