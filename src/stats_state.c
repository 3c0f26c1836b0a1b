/*
 * stats_state.c — text and binary input/output shared by the hypothesis-test
 * state types (ttest_state, ztest_state, srm_state).
 *
 * Anyone can write '...'::vinylops.ttest_state, and Citus ships partial
 * states between nodes through these functions, so input is strict (every
 * field present, finite, in range, nothing trailing; exact byte counts in
 * binary) and output round-trips exactly: floats are printed as the shortest
 * decimal that reads back to the same double, whatever extra_float_digits is.
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/float.h"

#include "stats_state.h"

/* A pointer to field f of a state struct. */
#define FIELD_PTR(state, f) ((char *) (state) + (f)->offset)

/* Raises the syntax error of a text state, with what was wrong as the detail. */
static void
pg_attribute_noreturn()
TextSyntaxError(const StatsStateLayout *layout, const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", layout->type_name, str),
			 errdetail("%s", detail)));
}

/* Skips blanks. */
static const char *
SkipSpace(const char *p)
{
	while (*p && isspace((unsigned char) *p))
		p++;
	return p;
}

/* Parses one int64 field at *p, advancing it. */
static int64
ParseInt64Field(const StatsStateLayout *layout, const StatsField *f,
				const char *str, const char **p)
{
	char	   *end;
	int64		v;

	if (!(**p == '-' || **p == '+' || isdigit((unsigned char) **p)))
		TextSyntaxError(layout, str, psprintf("Field \"%s\" is not an integer.", f->name));
	errno = 0;
	v = strtoi64(*p, &end, 10);
	if (end == *p)
		TextSyntaxError(layout, str, psprintf("Field \"%s\" is not an integer.", f->name));
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range in %s: \"%s\"", layout->type_name, str),
				 errdetail("Field \"%s\" does not fit in a bigint.", f->name)));
	*p = end;
	return v;
}

/* Parses one float8 field at *p, advancing it; only finite numbers are accepted. */
static double
ParseFloat8Field(const StatsStateLayout *layout, const StatsField *f,
				 const char *str, const char **p)
{
	char	   *end;
	double		v;

	/* strtod would also take hexadecimal and "inf"/"nan" spellings: not ours. */
	if (!(**p == '-' || **p == '+' || **p == '.' || isdigit((unsigned char) **p)) ||
		pg_strncasecmp(*p + (**p == '-' || **p == '+'), "0x", 2) == 0)
		TextSyntaxError(layout, str, psprintf("Field \"%s\" is not a finite number.", f->name));
	errno = 0;
	v = strtod(*p, &end);
	if (end == *p)
		TextSyntaxError(layout, str, psprintf("Field \"%s\" is not a finite number.", f->name));
	/* As float8in: subnormal results are fine, overflow and underflow to 0 are not. */
	if (errno == ERANGE && (v == 0.0 || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range in %s: \"%s\"", layout->type_name, str),
				 errdetail("Field \"%s\" is out of range for type double precision.", f->name)));
	if (!isfinite(v))
		TextSyntaxError(layout, str, psprintf("Field \"%s\" is not a finite number.", f->name));
	*p = end;
	return v;
}

/* Rejects a decoded state that its type's check finds inconsistent; str is the text form, if any. */
static void
CheckDecoded(const StatsStateLayout *layout, const void *state, const char *str)
{
	const char *problem = layout->check(state);

	if (problem == NULL)
		return;
	if (str)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s value: \"%s\"", layout->type_name, str),
				 errdetail("%s", problem)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary value for type %s", layout->type_name),
			 errdetail("%s", problem)));
}

/* Parses the text form "(f1,f2,...)" of a state into a new palloc'd struct. */
void *
StatsStateFromText(const StatsStateLayout *layout, const char *str)
{
	void	   *state = palloc0(layout->size);
	const char *p = SkipSpace(str);

	if (*p != '(')
		TextSyntaxError(layout, str, "A state starts with \"(\".");
	p++;
	for (int i = 0; i < layout->nfields; i++)
	{
		const StatsField *f = &layout->fields[i];
		char		expected = i + 1 < layout->nfields ? ',' : ')';

		p = SkipSpace(p);
		if (f->kind == STATS_FIELD_INT64)
			*(int64 *) FIELD_PTR(state, f) = ParseInt64Field(layout, f, str, &p);
		else
			*(double *) FIELD_PTR(state, f) = ParseFloat8Field(layout, f, str, &p);
		p = SkipSpace(p);
		if (*p != expected)
			TextSyntaxError(layout, str,
							psprintf("Expected \"%c\" after field \"%s\" (the state has %d fields).",
									 expected, f->name, layout->nfields));
		p++;
	}
	p = SkipSpace(p);
	if (*p != '\0')
		TextSyntaxError(layout, str, "Unexpected characters after \")\".");
	CheckDecoded(layout, state, str);
	return state;
}

/* The text form of a state; floats as their shortest exact decimal. */
char *
StatsStateToText(const StatsStateLayout *layout, const void *state)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoChar(&out, '(');
	for (int i = 0; i < layout->nfields; i++)
	{
		const StatsField *f = &layout->fields[i];

		if (i > 0)
			appendStringInfoChar(&out, ',');
		if (f->kind == STATS_FIELD_INT64)
			appendStringInfo(&out, INT64_FORMAT, *(const int64 *) FIELD_PTR(state, f));
		else
		{
			char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

			double_to_shortest_decimal_buf(*(const double *) FIELD_PTR(state, f), buf);
			appendStringInfoString(&out, buf);
		}
	}
	appendStringInfoChar(&out, ')');
	return out.data;
}

/*
 * Reads the binary form: a version byte, then each field as a network-order
 * int64 or IEEE float8.  The byte count must match exactly.
 */
void *
StatsStateFromBinary(const StatsStateLayout *layout, StringInfo buf)
{
	void	   *state = palloc0(layout->size);
	int			expected = 1 + 8 * layout->nfields;
	int			version;

	if (buf->len - buf->cursor != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", layout->type_name),
				 errdetail("A binary %s is %d bytes long, not %d.",
						   layout->type_name, expected, buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != STATS_STATE_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", layout->type_name),
				 errdetail("Unknown format version %d.", version)));
	for (int i = 0; i < layout->nfields; i++)
	{
		const StatsField *f = &layout->fields[i];

		if (f->kind == STATS_FIELD_INT64)
			*(int64 *) FIELD_PTR(state, f) = pq_getmsgint64(buf);
		else
		{
			double		v = pq_getmsgfloat8(buf);

			if (!isfinite(v))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid binary value for type %s", layout->type_name),
						 errdetail("Field \"%s\" is not a finite number.", f->name)));
			*(double *) FIELD_PTR(state, f) = v;
		}
	}
	pq_getmsgend(buf);
	CheckDecoded(layout, state, NULL);
	return state;
}

/* The binary form read by StatsStateFromBinary. */
bytea *
StatsStateToBinary(const StatsStateLayout *layout, const void *state)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STATS_STATE_BINARY_VERSION);
	for (int i = 0; i < layout->nfields; i++)
	{
		const StatsField *f = &layout->fields[i];

		if (f->kind == STATS_FIELD_INT64)
			pq_sendint64(&buf, *(const int64 *) FIELD_PTR(state, f));
		else
			pq_sendfloat8(&buf, *(const double *) FIELD_PTR(state, f));
	}
	return pq_endtypsend(&buf);
}

/*
 * The state argument argno of a transition or combine function, ready to be
 * modified: in an aggregate, the aggregate's own copy, updated in place (it
 * lives in the aggregate context); called directly, a copy, so the caller's
 * value is never changed.  A NULL state starts as a copy of *empty (in the
 * current context: the executor copies a new state into its own context).
 */
void *
StatsStateForUpdate(FunctionCallInfo fcinfo, int argno,
					const StatsStateLayout *layout, const void *empty)
{
	void	   *state;

	if (PG_ARGISNULL(argno))
	{
		state = palloc(layout->size);
		memcpy(state, empty, layout->size);
		return state;
	}
	state = PG_GETARG_POINTER(argno);
	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	return memcpy(palloc(layout->size), state, layout->size);
}

/* A computed statistic, or the overflow error core float arithmetic raises. */
double
StatsCheckedResult(double value)
{
	if (isinf(value))
		float_overflow_error();
	if (isnan(value))
		elog(ERROR, "statistic computed from finite data is NaN");
	return value;
}
