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

.PHONY: install run test lint format messages makemessages migrate seed clean

$(STAMP): pyproject.toml build-constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt $(BIN)/pip install --quiet --editable '.[dev]'
	touch $@

install: $(STAMP) messages

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
	$(BIN)/honcho start --procfile Procfile

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
