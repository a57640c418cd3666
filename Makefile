# The README's two commands live here: `make run` and `make test`.
# Everything is installed into the project folder (.venv, node_modules).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make

.PHONY: run test install migrate demo lint messages clean bench-load

run: install migrate demo  ## Install, migrate, load demo content and serve on 127.0.0.1:8000
	@echo ""
	@echo "Plattformen kjører på http://127.0.0.1:8000  (redigering: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install  ## Install what the tests need and run all of them
	$(VENV)/bin/pytest

install: $(STAMPS)/python $(STAMPS)/npm

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	# --ignore-scripts: no install scripts from third-party packages (h5p-standalone's would demand yarn).
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

lint: install
	$(VENV)/bin/ruff check .

# The load test (bench/load.py): PostgreSQL (DATABASE_URL) and Redis must be running. Arguments in
# BENCH_ARGS, e.g. `make bench-load BENCH_ARGS="--peak"` or BENCH_ARGS="--users 50 --seconds 60".
bench-load: install
	$(PY) -m pip install --quiet -e '.[bench]'
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/helsepedagogikk}" $(PY) bench/load.py $(BENCH_ARGS)

# Regenerate the message catalogues after changing interface strings (needs gettext).
messages: install
	$(PY) manage.py makemessages -l nb -l en --no-obsolete --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules $(STAMPS) staticfiles
