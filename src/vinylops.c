/*
 * vinylops.c — module entry point.
 *
 * Each concept lives in its own file under src/; this one only marks the
 * shared library as a PostgreSQL module.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
