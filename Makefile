# value_ext/Makefile -- PGXS build
#
# Plain DBA path:   make && sudo make install   (needs pg_config on PATH)
# The two commands: make demo   (bootstrap, build, install, throwaway cluster,
#                                 load the demo place, print the analysis)
#                   make test   (bootstrap, build, install, pg_regress + pgTAP)

MODULE_big = value_ext
PG_CPPFLAGS = -DVALUE_EXT_VERSION=\"$(EXTVERSION)\"
# One object per C file under src/ (one concept per file).
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
PGFILEDESC = "value_ext - NHS value analytics"

EXTENSION = value_ext
EXTVERSION = 1.1

# The install script is built from the per-concept sources in src/sql/
# (numbered so the order is explicit); pg_regress owns sql/.
SQL_SOURCES = $(sort $(wildcard src/sql/[0-9][0-9]_*.sql))
DATA_built = src/sql/$(EXTENSION)--$(EXTVERSION).sql
# Earlier releases' install scripts as shipped, and the upgrade scripts
# (value_ext--1.0--1.1.sql, ...): committed, never generated.
DATA = $(filter-out $(DATA_built),$(wildcard src/sql/$(EXTENSION)--*.sql))

# Reference data shipped with the extension (loaded at CREATE EXTENSION).
REFDATA = $(sort $(wildcard src/data/*.csv))

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))

SHLIB_LINK += $(ICU_LIBS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
# PGXS does not track header dependencies (unless --enable-depend): rebuild
# every object when any of our headers changes; they are small
$(OBJS): $(wildcard src/*.h)
else
all:
	@echo "pg_config not found: run 'make demo' or 'make test' (they install" >&2
	@echo "what is missing), or install postgresql-server-dev-15." >&2
	@exit 1
endif

$(DATA_built): $(SQL_SOURCES) value_ext.control
	@echo "-- $(EXTENSION)--$(EXTVERSION).sql: generated from src/sql/ by make; do not edit" > $@.tmp
	@printf '%s\n' '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit' >> $@.tmp
	for f in $(SQL_SOURCES); do echo; echo "-- source: $$f"; cat $$f; done >> $@.tmp
	mv $@.tmp $@

install: install-refdata
.PHONY: install-refdata
install-refdata:
	$(MKDIR_P) '$(DESTDIR)$(datadir)/extension/$(EXTENSION)'
ifneq ($(REFDATA),)
	$(INSTALL_DATA) $(REFDATA) '$(DESTDIR)$(datadir)/extension/$(EXTENSION)/'
endif

# The two commands and their helpers (scripts under test/).
.PHONY: demo test format format-check bench memcheck fuzz
demo:
	bash test/run.sh demo
test:
	bash test/run.sh test
bench:
	bash test/run.sh bench
memcheck:
	bash test/run.sh memcheck
# the adversarial stage of make test, long (FUZZ_QUERIES=100000 sqlsmith
# queries by default; FUZZ_SEED, FUZZ_SECONDS, ...: test/adversarial/run.sh)
fuzz:
	bash test/run.sh fuzz
format:
	clang-format -i src/*.c src/*.h
format-check:
	clang-format --dry-run -Werror src/*.c src/*.h
