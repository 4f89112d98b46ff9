# The README's commands. Everything the project needs is installed from here (or .ci/run).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# bench/reports.py: sqlite, postgres (database bench_reports on BENCH_PG_URL's server) or both.
BENCH_REPORTS_BACKEND ?= sqlite
# Debian packages: pango and HarfBuzz subsetting for WeasyPrint, the certificate fonts, gettext
# for translation catalogs, poppler for PDF checks. Node.js and npm (when the machine has none) run
# the independent credential verifier the tests install (tests/verifiers/vc, npm ci) and axe-core
# (tests/browser/axe). Chromium is the browser the browser journeys drive (tests/browser).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
	fonts-crosextra-caladea fonts-lato gettext poppler-utils chromium

.PHONY: demo test screenshots lint format install system-deps messages makemessages serve bench clean audit-deps

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

install: system-deps $(VENV)/.installed

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

messages: install
	$(PY) manage.py compilemessages --ignore='.venv/*' -v 0

makemessages: install
	$(PY) manage.py makemessages -l es -l en --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*' --no-obsolete --add-location=file

demo: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: /admin/  API docs: /api/v1/docs/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The browser journeys again, keeping their key steps as PNG in docs/screenshots/ (README).
screenshots: messages
	LMS_SCREENSHOTS=docs/screenshots $(PY) -m pytest -n 2 -p no:cacheprovider tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Known vulnerabilities in the installed dependencies (PyPI's advisory data; the project itself,
# installed editable, is not on PyPI). pip-audit asks PyPI's per-release JSON API about every
# package: where that API cannot be reached, say so loudly instead of failing every build.
PYPI_PROBE := import importlib.metadata as m, urllib.request as u; u.urlopen("https://pypi.org/pypi/pip/" + m.version("pip") + "/json", timeout=30)

audit-deps: install
	@if $(PY) -c '$(PYPI_PROBE)' 2>/dev/null; then \
		echo "$(VENV)/bin/pip-audit --strict --progress-spinner off --skip-editable"; \
		$(VENV)/bin/pip-audit --strict --progress-spinner off --skip-editable; \
	else \
		echo "WARNING: PyPI's release JSON API (pypi.org/pypi/NAME/VERSION/json) cannot be reached from this machine: dependencies were NOT audited."; \
	fi

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: messages
	$(PY) bench/import_participants.py
	$(PY) bench/completion.py
	$(PY) bench/certificates.py
	$(PY) -m pip install -q -e ".[bench]"
	$(PY) bench/reports.py --backend $(BENCH_REPORTS_BACKEND)

# bench/load.py: gunicorn + PostgreSQL on loopback (creates and drops database bench_load on
# 127.0.0.1:5432 as postgres; --pg for another), wrk for the throughput part.
bench-load: messages
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) var .pytest_cache
