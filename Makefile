# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
# Both create .venv, install the pinned dependencies, and find or start PostgreSQL
# (recruitment/devdb.py: DATABASE_URL, else 127.0.0.1:5432, else a project-local cluster).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVDB := $(PY) -m recruitment.devdb exec --

.PHONY: run test fmt lint schema check clean install bench-feeds proof-outbox seed-scale bench-api bench-instructions audit

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

## run: the service with demo data on 127.0.0.1:$${PORT:-8000}; worker and scheduler in-process
run: $(STAMP)
	DEBUG=$${DEBUG-1} $(DEVDB) sh -c '$(PY) manage.py migrate --noinput && \
		$(PY) manage.py seed_demo && exec $(PY) manage.py serve'

## test: lint, migrations check, schema validation and the whole pytest suite
test: $(STAMP) lint
	DJANGO_SETTINGS_MODULE=tests.settings $(DEVDB) sh -c '\
		$(PY) manage.py makemigrations --check --dry-run && \
		$(PY) manage.py spectacular --validate --fail-on-warn > /dev/null && \
		$(PY) -m pytest $(PYTEST_ARGS)'

## audit: bandit (no finding at medium or above) and pip-audit (fails when it cannot audit)
audit: $(STAMP)
	$(VENV)/bin/bandit -q -r recruitment workflows api manage.py -x '*/migrations/*' \
		--severity-level medium
	$(PY) .ci/pip_audit.py

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py spectacular --file openapi.yaml

check: test

clean:
	rm -rf $(VENV) .pytest_cache staticfiles

## bench-feeds: the feed sync benchmark (10,000 items, ReliefWeb and RSS shapes)
bench-feeds: $(STAMP)
	DEVDB_NAME=recruitment_bench $(DEVDB) $(PY) bench/feeds.py

## proof-outbox: 10,000 webhook deliveries under SIGKILL and a broker restart (restarts local brokers)
proof-outbox: $(STAMP)
	DEVDB_NAME=recruitment_proof $(DEVDB) $(PY) bench/outbox_proof.py

## seed-scale: UN-system-size data into its own database (SCALE_* sizes; ~15 min at full size)
SCALE_VACANCIES ?= 100000
SCALE_CANDIDATES ?= 1000000
SCALE_APPLICATIONS ?= 3000000
SCALE_SEED ?= 1
seed-scale: $(STAMP)
	DEVDB_NAME=recruitment_scale DJANGO_SETTINGS_MODULE=tests.settings $(DEVDB) sh -c '\
		$(PY) manage.py migrate --noinput && \
		$(PY) manage.py seed_scale --vacancies $(SCALE_VACANCIES) --candidates $(SCALE_CANDIDATES) \
			--applications $(SCALE_APPLICATIONS) --seed $(SCALE_SEED)'

## bench-api: gunicorn (2 sync workers) at concurrency 4, each endpoint against its raw-SQL ceiling
bench-api: $(STAMP)
	DEVDB_NAME=recruitment_scale $(DEVDB) $(PY) bench/api.py

## bench-instructions: instructions per request of each scenario and its ceiling (callgrind)
bench-instructions: $(STAMP)
	DEVDB_NAME=recruitment_scale $(DEVDB) $(PY) bench/instructions.py
