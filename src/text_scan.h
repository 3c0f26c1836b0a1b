/*
 * text_scan.h — reading the text forms of the variable-length state types
 * (int_set, stream_tally): one syntax error and one int32 reader, so both
 * types accept and reject numbers the same way (int32 and int64 readers).
 */
#ifndef VINYLOPS_TEXT_SCAN_H
#define VINYLOPS_TEXT_SCAN_H

#include "postgres.h"

/* Raises 22P02 for input of type type_name, with detail. */
extern void TextSyntaxError(const char *type_name, const char *input, const char *detail) pg_attribute_noreturn();

/*
 * Reads an int32 in canonical decimal form (no leading zero, no -0) at *pos
 * and moves *pos past it; 22003 when it leaves int32 (what names the
 * numbers in the detail: "Values", "Keys and counts").
 */
extern int32 TextReadInt32(const char *type_name, const char *what, const char *input, const char **pos);

/* The same for an int64 (22003 beyond int64). */
extern int64 TextReadInt64(const char *type_name, const char *what, const char *input, const char **pos);

#endif							/* VINYLOPS_TEXT_SCAN_H */
