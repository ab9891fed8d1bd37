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

.PHONY: run test fuzz setup system database venv migrate demo check-deploy clean-venv

run: setup demo
	@echo "serving on http://$(HOST):$(PORT)/  (admin: /admin/, API docs: /api/docs/, health: /healthz)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup demo
	$(PY) -m pytest $(PYTEST_ARGS)

# Long schema fuzzing, by hand (`make test` runs 5 cases per operation): FUZZ_EXAMPLES new random cases
# for every operation of /api/schema/ and /ogc/api; the counts per operation go to var/fuzz-counts.json.
FUZZ_EXAMPLES ?= 300
fuzz: setup demo
	@mkdir -p var && rm -f var/fuzz-counts.json
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 FUZZ_REPORT=var/fuzz-counts.json \
	  $(PY) -m pytest tests/gis_portal/test_api_fuzz.py -q -p no:cacheprovider
	@$(PY) -c "import json; d = json.load(open('var/fuzz-counts.json')); \
	  print(f'{len(d)} operations, {sum(d.values())} generated cases, no 5xx, every answer as documented')"

setup: system database venv migrate

system:
	@bash scripts/install_system.sh

database: system
	@bash scripts/start_db.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

migrate: database venv
	$(PY) manage.py migrate --noinput

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
