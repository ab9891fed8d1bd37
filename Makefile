# Two commands: `make run` (set up, load the Thessaloniki demo data, serve on 127.0.0.1:8000)
# and `make test` (the same set-up, then the test suite). Both are safe to run again.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Passed to pytest, e.g. `make test PYTEST_ARGS="-k healthz"`.
PYTEST_ARGS ?=

export PYTHON

.PHONY: run test setup system browser database venv migrate translations messages demo check-deploy clean-venv

run: setup demo
	@echo "serving on http://$(HOST):$(PORT)/  (admin: /admin/, API docs: /api/docs/, health: /healthz)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser demo
	$(PY) -m pytest $(PYTEST_ARGS)

setup: system database venv migrate translations

system:
	@bash scripts/install_system.sh

# Debian's Chromium, which the browser tests drive through Playwright.
browser: system
	@bash scripts/install_system.sh --browser

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
	for app in layers issues hazards; do \
	  if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l el -d django --no-obsolete \
	    && ../$(PY) ../manage.py makemessages -l el -d djangojs --no-obsolete); fi; done

demo: migrate
	$(PY) manage.py layers_load_demo --commit
	$(PY) manage.py issues_load_demo --commit
	$(PY) manage.py hazards_load_demo --commit

# A production configuration check, with throwaway values for the required variables.
check-deploy: venv
	DJANGO_SETTINGS_MODULE=gis_portal.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=gis.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean-venv:
	rm -rf $(VENV)
