# Đoàn Kết — every developer and CI use these targets. Needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := doanket.settings

.PHONY: help install run serve worker backup restore test test-pg test-browser lint check-migrations messages lock bench bench-reporting bench-petitions bench-funds bench-ledger bench-emulation bench-assistant bench-congresses soak otp clean bench-slow3g audit-deps

help:
	@echo "make run           install, migrate, load the demo, serve http://127.0.0.1:8000 with a worker"
	@echo "make test          install, lint and run the whole suite on SQLite"
	@echo "make test-pg       the suite on PostgreSQL (DATABASE_URL must point at one)"
	@echo "make test-browser  the browser tests in headless Chromium (/usr/bin/chromium)"
	@echo "make backup        back up the database and the uploaded files while the app runs (var/backups/)"
	@echo "make restore FROM=var/backups/doanket-...  restore one into a fresh, migrated database"
	@echo "make audit-deps    scan the locked dependencies for known vulnerabilities (needs PyPI's JSON API)"
	@echo "make bench         the national-scale benchmarks (bench/)"
	@echo "make bench-reporting  periodic reporting on the national data set (bench/reporting.py, ~11 min)"
	@echo "make bench-petitions  petitions at a million: pages, synthesis, portal load (bench/petitions.py, ~20 min)"
	@echo "make bench-funds   importing a 12,000-page bank statement, against pdfplumber (bench/funds.py, ~10 min)"
	@echo "make bench-ledger  the public ledger at 2,000,000 entries: tree, proofs, search, load (bench/ledger.py, ~15 min)"
	@echo "make bench-emulation  ranking the 3,321 communes on 20 criteria from a year of reports (bench/emulation.py, ~1 min)"
	@echo "make bench-assistant  the assistant's 59 questions with known answers on the demo: top-1/top-3, latency (bench/assistant_eval.py, ~30 s)"
	@echo "make soak          mixed load on gunicorn + worker + a throwaway PostgreSQL, SOAK_SECONDS=600 SOAK_WORKERS=4 (bench/soak.py)"
	@echo "make bench-slow3g  the demo's main pages on Chrome DevTools' Slow 3G in Chromium (bench/slow3g.py, ~5 min)"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.txt
	@# `.venv/bin/doanket <command>` is manage.py, e.g. `doanket import-document FILE --json`.
	printf '#!/bin/sh\nexec "%s" "%s/manage.py" "$$@"\n' "$(CURDIR)/$(PY)" "$(CURDIR)" > $(VENV)/bin/doanket
	chmod +x $(VENV)/bin/doanket
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_demo
	@$(MAKE) --no-print-directory serve

# The worker runs in the background and stops with the server (Ctrl-C).
serve:
	@trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker & WORKER=$$!; \
	$(VENV)/bin/gunicorn doanket.wsgi --bind 127.0.0.1:8000 --workers 2 --access-logfile -

worker: install
	$(PY) manage.py worker

backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FROM)" || { echo "make restore FROM=<backup folder>"; exit 2; }
	$(PY) manage.py migrate --no-input
	$(PY) manage.py restore "$(FROM)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy doanket bench tests conftest.py
	DOANKET_PLAIN_STATIC=1 $(PY) manage.py makemigrations --check --dry-run
	DOANKET_PLAIN_STATIC=1 $(PY) manage.py check

test: lint
	DOANKET_PLAIN_STATIC=1 $(VENV)/bin/pytest -m "not browser"

test-pg: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "DATABASE_URL must be a postgres:// URL"; exit 2;; esac
	DOANKET_PLAIN_STATIC=1 $(VENV)/bin/pytest -m "not browser"

test-browser: install
	DOANKET_PLAIN_STATIC=1 $(VENV)/bin/pytest -m browser

bench: install
	$(PY) bench/run.py
	$(PY) bench/programs.py

# Not part of `make bench`: it generates ~800,000 reports and takes about 11 minutes on SQLite.
bench-reporting: install
	$(PY) bench/reporting.py

# Not part of `make bench`: it generates a million petitions (about 20 minutes on SQLite).
bench-petitions: install
	$(PY) bench/petitions.py

# Not part of `make bench`: it writes and reads a 12,000-page PDF statement (about 10 minutes).
bench-funds: install
	$(PY) bench/funds.py

bench-ledger: install
	$(PY) bench/ledger.py

bench-emulation: install
	$(PY) bench/emulation.py

bench-assistant: install
	$(PY) bench/assistant_eval.py

# The congresses overview over a whole round of the country (16,639 congresses), on SQLite;
# `scripts/pg_throwaway.sh make bench-congresses` for PostgreSQL.
bench-congresses: install
	$(PY) bench/congresses.py

# Officers, citizens and the public at once against gunicorn and the task worker on a throwaway
# PostgreSQL; every confirmed write is counted in the database afterwards (bench/soak.py).
SOAK_SECONDS ?= 600
SOAK_WORKERS ?= 4
soak: install
	scripts/pg_throwaway.sh $(PY) bench/soak.py --seconds $(SOAK_SECONDS) --workers $(SOAK_WORKERS)

# Not part of `make bench`: the demo's pages in Chromium on an emulated slow 3G line (about 5 minutes).
bench-slow3g: install
	$(PY) bench/slow3g.py

# Compile the translation catalogues (needs GNU gettext; the .mo files are committed).
messages: install
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore ".venv/*" --ignore "bench/*" --ignore "tests/*" --ignore conftest.py
	$(PY) manage.py compilemessages --ignore ".venv/*"

# Re-pin the dependencies with hashes after editing requirements*.in.
lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements-dev.txt requirements-dev.in

# Known vulnerabilities in the locked dependencies, from PyPI's advisory data (pip-audit, network).
# --strict: a package that cannot be looked up fails the scan instead of passing unchecked.
AUDIT_DEPS := $(VENV)/bin/pip-audit --strict --disable-pip --require-hashes --vulnerability-service pypi --progress-spinner off
audit-deps: install
	$(AUDIT_DEPS) -r requirements.txt
	$(AUDIT_DEPS) -r requirements-dev.txt

# Print the current two-factor code of a demo administrator: make otp LOGIN=quantri
otp: install
	$(PY) manage.py demo_otp $(LOGIN)

clean:
	rm -rf $(VENV) var/static
