# Two commands do all the set-up: `make run` and `make test` (see README.md).
# With DATABASE_URL / REDIS_URL set, both use PostgreSQL and Redis instead of the
# embedded SQLite file and filesystem broker under var/.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# DEBUG=true is the development profile (built-in secret key, no forced HTTPS); the test
# runner still runs every test with DEBUG off.
export DEBUG ?= true
export PATH := $(BIN):$(PATH)
export HOST PORT

.PHONY: install run test lint format messages makemessages migrate seed clean bench bench-data bench-history loadtest loadtest-public soak lock

# Installs are reproducible: every package at the version and with the hashes of the lock
# (requirements-dev.lock: the desk and its dev extra; requirements.lock: the desk alone, for the
# image), nothing else (--no-deps), then the desk itself, editable. build-constraints.txt pins
# what building an sdist needs (xstatic-bootstrap ships only one and needs setuptools<81).
PIP_INSTALL = PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt $(BIN)/pip install --quiet

$(STAMP): requirements-dev.lock build-constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes --no-deps --requirement requirements-dev.lock
	$(PIP_INSTALL) --no-deps --editable .
	touch $@

install: $(STAMP) messages

# After changing the dependencies in pyproject.toml (or to take newer releases): `make lock`
# resolves both lock files again, with hashes; commit them with the change. Upgrading one
# package only: `make lock LOCK_ARGS="--upgrade-package django"`; everything: LOCK_ARGS=--upgrade.
LOCK_ARGS ?=
PIP_COMPILE = PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'pip-tools>=7.4'
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --verbosity=0

makemessages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale=zh_Hans --ignore=$(VENV) --ignore=var --no-obsolete

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo
	@echo "Complaint desk: http://$(HOST):$(PORT)/  (administration: http://$(HOST):$(PORT)/admin/)"
	@echo "Web, Celery worker and beat start below; Ctrl-C stops all three."
	@echo
	$(BIN)/python -m config.run

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark (docs/performance.md): its own PostgreSQL database, filled once with
# BENCH_COMPLAINTS complaints (python -m bench.generate), then measured with production
# settings (python -m bench.run); the table is written into docs/performance.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/complaint_desk_bench
BENCH_COMPLAINTS ?= 1000000
# A fresh random key per run: production settings refuse a short or published one.
RUN_SECRET_KEY := $(shell od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
BENCH_ENV_NO_DB = DEBUG=false SECRET_KEY=$(RUN_SECRET_KEY) \
	ALLOWED_HOSTS=testserver,127.0.0.1 SECURE_SSL_REDIRECT=false
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_ENV_NO_DB)

bench-data: install
	$(BIN)/python -m bench.database "$(BENCH_DATABASE_URL)"
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python -m bench.generate --complaints $(BENCH_COMPLAINTS) --if-empty
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0

# The same monthly volume with 1 and with 5 years of history (bench.generate --per-month), each
# in its own database, filled once; `make bench` then prints the month-bound work side by side.
BENCH_PER_MONTH ?= 28000
BENCH_1Y_URL ?= $(BENCH_DATABASE_URL)_1y
BENCH_5Y_URL ?= $(BENCH_DATABASE_URL)_5y

bench-history: install
	for spec in "$(BENCH_1Y_URL) 1" "$(BENCH_5Y_URL) 5"; do set -- $$spec; \
	  $(BIN)/python -m bench.database "$$1" && \
	  DATABASE_URL=$$1 $(BENCH_ENV_NO_DB) $(BIN)/python manage.py migrate --noinput -v0 && \
	  DATABASE_URL=$$1 $(BENCH_ENV_NO_DB) $(BIN)/python -m bench.generate --if-empty \
	    --per-month $(BENCH_PER_MONTH) --years $$2 || exit 1; done

bench: bench-data bench-history
	$(BENCH_ENV) $(BIN)/python -m bench.run --write docs/performance.md
	$(BENCH_ENV) $(BIN)/python -m bench.run --compare $(BENCH_1Y_URL) $(BENCH_5Y_URL) \
	  --write docs/performance.md

# 100 desks (issue 20, item 4) for 60 s of mixed list/detail/intake against gunicorn with
# LOAD_WORKERS workers on the bench database (filled by bench-data, as for `make bench`);
# figures into docs/performance.md, non-zero exit on any failed request.
LOAD_USERS ?= 100
LOAD_WORKERS ?= 4
loadtest: bench-data
	$(BENCH_ENV) $(BIN)/python -m bench.load --users $(LOAD_USERS) --workers $(LOAD_WORKERS) \
	  --write docs/performance.md

# Residents on the community's complaint page at 50 requests/s for 60 s (mostly the form, one in
# ten a submission) while 10 desks keep working (docs/resident.md); figures into
# docs/performance.md, non-zero exit on any failed request.
loadtest-public: bench-data
	$(BENCH_ENV) $(BIN)/python -m bench.load --public --rate 50 --users 10 --write docs/performance.md

# The soak (docs/reliability.md): gunicorn, a Celery worker and beat on PostgreSQL and Redis
# with the demo data, mixed traffic at a fixed rate for SOAK_SECONDS; fails on any error, a
# lost complaint or growing memory. CI runs it for 60 seconds.
SOAK_SECONDS ?= 1800
SOAK_RATE ?= 4
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/complaint_desk_soak
SOAK_REDIS_URL ?= redis://127.0.0.1:6379/3
SOAK_ENV = DATABASE_URL=$(SOAK_DATABASE_URL) REDIS_URL=$(SOAK_REDIS_URL) DEBUG=false \
	SECRET_KEY=$(RUN_SECRET_KEY) EMAIL_URL=dummymail://

soak: install
	$(BIN)/python -m bench.database "$(SOAK_DATABASE_URL)"
	$(SOAK_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(SOAK_ENV) $(BIN)/python manage.py seed_demo -v0 > /dev/null
	$(SOAK_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SOAK_ENV) $(BIN)/python -m bench.soak --seconds $(SOAK_SECONDS) --rate $(SOAK_RATE) $(SOAK_WRITE)

clean:
	rm -rf $(VENV) var

# Backup and restore drill (docs/operations.md, Back up): `make backup` writes the database
# dump and the media into var/backups/<timestamp>/; `make restore BACKUP=var/backups/<timestamp>`
# brings them into the fresh database DATABASE_URL names (refused if it has tables).
.PHONY: backup restore

backup: install
	$(BIN)/python -m ops.backup

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<timestamp>"; exit 2; }
	$(BIN)/python -m ops.restore "$(BACKUP)"

# Several machines on one (docs/reliability.md): two gunicorn servers, a clocks worker, a mail
# worker, one beat and for a while a second one, against one PostgreSQL (a fresh database,
# demo data) and one Redis; the soak's mix through both servers for CLUSTER_SECONDS. Fails on
# any error, a complaint not seen at once on the other server, or anything done twice.
.PHONY: cluster
CLUSTER_SECONDS ?= 60
CLUSTER_RATE ?= 4
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/complaint_desk_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/4

cluster: install
	DATABASE_URL=$(CLUSTER_DATABASE_URL) REDIS_URL=$(CLUSTER_REDIS_URL) DEBUG=false \
		SECRET_KEY=cluster-only-not-secret EMAIL_URL=dummymail:// \
		$(BIN)/python -m bench.cluster --seconds $(CLUSTER_SECONDS) --rate $(CLUSTER_RATE) $(CLUSTER_WRITE)
