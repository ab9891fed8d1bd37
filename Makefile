# Two commands: `make run` (set up, load the Thessaloniki demo data, serve on 127.0.0.1:8000 with gunicorn)
# and `make test` (the same set-up, then the test suite). Both are safe to run again. `make dev` serves the same
# with Django's development server, which reloads on code changes.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Passed to pytest, e.g. `make test PYTEST_ARGS="-k healthz"`.
PYTEST_ARGS ?=
# The suite runs on this many workers (pytest-xdist), each with a test database of its own.
PYTEST_WORKERS ?= 2

export PYTHON

.PHONY: run dev test setup system browser browser-system database venv migrate translations vendor messages demo check-deploy clean-venv loadtest faulttest postgres-server backup restore fuzz

# The production server, gunicorn (gunicorn.conf.py, gis_portal.settings.local: connections from a pool), with the
# job worker (e-mails, download files, re-routing) beside it; Ctrl-C stops both (scripts/serve.sh).
run: setup demo
	@echo "serving on http://$(HOST):$(PORT)/ with gunicorn (admin: /admin/, API docs: /api/docs/, health: /healthz); jobs: worker beside it"
	@HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

# The same with Django's development server (gis_portal.settings.dev: DEBUG on, reloading on code changes).
dev: setup demo
	@echo "serving on http://$(HOST):$(PORT)/ with Django's development server (reloads on code changes); jobs: worker beside it"
	@HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash scripts/serve.sh --dev

test: setup browser demo
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

# Long schema fuzzing, by hand (`make test` runs 5 cases per operation): FUZZ_EXAMPLES new random cases
# for every operation of /api/schema/ and /ogc/api; the counts per operation go to var/fuzz-counts.json.
FUZZ_EXAMPLES ?= 300
fuzz: setup demo
	@mkdir -p var && rm -f var/fuzz-counts.json
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 FUZZ_REPORT=var/fuzz-counts.json \
	  $(PY) -m pytest tests/system/test_api_fuzz.py -q -p no:cacheprovider
	@$(PY) -c "import json; d = json.load(open('var/fuzz-counts.json')); \
	  print(f'{len(d)} operations, {sum(d.values())} generated cases, no 5xx, every answer as documented')"

setup: system database venv migrate translations vendor

# Browser libraries from npm (core/static/core/vendor/npm.txt: each package's version and the files served), fetched
# by scripts/install_vendor.sh and served by this server (never a CDN).
vendor: system
	@bash scripts/install_vendor.sh

system:
	@bash scripts/install_system.sh

# Debian's Chromium, which the browser tests drive through Playwright, and axe-core (the version pinned in
# tests/support/axe/package-lock.json), which they inject into every page to check it against WCAG 2.1 AA.
AXE := tests/support/axe
browser: browser-system $(AXE)/node_modules/.package-lock.json

browser-system: system
	@bash scripts/install_system.sh --browser

$(AXE)/node_modules/.package-lock.json: $(AXE)/package-lock.json | browser-system
	cd $(AXE) && npm ci --no-audit --no-fund --ignore-scripts

database: system
	@bash scripts/start_db.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

migrate: database venv
	$(PY) manage.py migrate --noinput

# The pages' translations: each app's locale/el/LC_MESSAGES/*.po compiled to .mo.
translations: system venv
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles --verbosity 0

# After changing texts of pages or scripts: update the .po files, then translate the new entries.
messages: system venv
	for app in core layers issues hazards participation heritage; do \
	  if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l el -d django --no-obsolete \
	    && ../$(PY) ../manage.py makemessages -l el -d djangojs --no-obsolete); fi; done

demo: migrate
	$(PY) manage.py layers_load_demo --commit
	$(PY) manage.py issues_load_demo --commit
	$(PY) manage.py hazards_load_demo --commit
	$(PY) manage.py issues_import_csv fixtures/thessaloniki/history-improvemycity.csv \
	  --mapping fixtures/thessaloniki/history-mapping.toml --source "demo: previous system (ImproveMyCity export)" --commit
	$(PY) manage.py heritage_load_demo --commit
	$(PY) manage.py participation_load_demo --commit

# The load and fault checks run gunicorn with the production settings against a PostgreSQL cluster of their
# own (bench/reliability/cluster.py), so they need the server packages even when DATABASE_URL names another database.
postgres-server:
	@DATABASE_URL= bash scripts/install_system.sh

# 32 clients, a mixed workload, then: no 5xx, every acknowledged report stored once, every e-mail once.
loadtest: postgres-server venv
	$(PY) bench/reliability/loadtest.py

# The same load while PostgreSQL restarts, stops, refuses connections and gunicorn workers are killed.
faulttest: postgres-server venv
	$(PY) bench/reliability/faulttest.py

# One timestamped folder under BACKUP_DIR: the database (pg_dump, custom format), the photos and the
# hazard rasters, with a manifest of row counts and checksums.
BACKUP_DIR ?= backups
backup: database venv
	$(PY) scripts/backup.py create --to $(BACKUP_DIR)

# make restore BACKUP=backups/gis_portal-20260101T000000Z RESTORE_DATABASE=gis_portal_copy RESTORE_MEDIA_ROOT=/srv/copy/media
# (RESTORE_HAZARD_DIR optional): into a new database and new folders, checked against the manifest.
restore: database venv
	@test -n "$(BACKUP)" -a -n "$(RESTORE_DATABASE)" -a -n "$(RESTORE_MEDIA_ROOT)" || \
	  { echo "usage: make restore BACKUP=folder RESTORE_DATABASE=new_name RESTORE_MEDIA_ROOT=new_folder [RESTORE_HAZARD_DIR=folder]" >&2; exit 2; }
	$(PY) scripts/backup.py restore "$(BACKUP)" --database "$(RESTORE_DATABASE)" --media-root "$(RESTORE_MEDIA_ROOT)" \
	  $(if $(RESTORE_HAZARD_DIR),--hazard-dir "$(RESTORE_HAZARD_DIR)")

# A production configuration check, with throwaway values for the required variables.
check-deploy: venv
	DJANGO_SETTINGS_MODULE=gis_portal.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=gis.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean-venv:
	rm -rf $(VENV)
