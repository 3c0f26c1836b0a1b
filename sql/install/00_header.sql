-- vinylops install script, assembled from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION vinylops" to load this file. \quit
