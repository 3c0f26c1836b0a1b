# vinylops — PGXS build. `make`, `make install`, `make installcheck` (pg_regress),
# `make prove` (pgTAP); scripts/test runs everything against a throwaway cluster.
EXTENSION  = vinylops
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = $(EXTENSION)
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from one fragment per concept (sql/install/NN_*.sql),
# so each concept's SQL sits beside its C file; released versions are frozen upgrade scripts.
INSTALL_FRAGMENTS = $(sort $(wildcard sql/install/*.sql))
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA       = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*--*.sql))

# Listed explicitly so install scripts are never taken for tests.
REGRESS = install \
          ingest_rejects \
          ingest_reference \
          ingest_bulk \
          welch_ttest \
          proportion_ztest \
          srm_check \
          stats_state_io \
          ttest_reference \
          stats_parallel \
          demo_data \
          privileges \
          stream_metrics \
          stream_metrics_parallel \
          stream_metrics_merge \
          platform_ingest \
          platform_reports \
          platform_aggregates \
          int_set \
          reports_reference \
          reports_edge \
          data_quality_keys \
          stream_keys \
          stream_tally \
          rounded_quotient \
          dense_array \
          cell_metrics \
          stream_checks \
          distinct_hash \
          int_set_tally \
          security_reports \
          sessions \
          experiment_assignment \
          retention \
          scrobbles \
          scrobbles_lastfm \
          sample_size \
          experiment_report \
          experiment_srm \
          experiment_planted \
          experiment_aa \
          parallel_plans \
          partitioned_streams \
          fuzz_inputs
REGRESS_OPTS = --inputdir=. --dbname=vinylops_regress

# Concurrency, with the isolation tester (specs/*.spec).
ISOLATION = ingest_concurrent
ISOLATION_OPTS = --inputdir=. --dbname=vinylops_isolation

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(INSTALL_FRAGMENTS) $(EXTENSION).control
	cat $(INSTALL_FRAGMENTS) > $@

PG_PROVE ?= pg_prove
.PHONY: prove bench
prove:
	$(PG_PROVE) --ext .sql -r test/

bench:
	bash bench/run

# Install-script rules a reviewer would otherwise check by eye.
.PHONY: lint
lint:
	@! grep -n -i 'create or replace' $(INSTALL_FRAGMENTS) || { echo 'lint: CREATE OR REPLACE in an install script'; exit 1; }
	@for f in $(INSTALL_FRAGMENTS); do [ "$$f" = sql/install/00_header.sql ] || ! grep -q '^\\echo' $$f || { echo "lint: $$f"; exit 1; }; done
