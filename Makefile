# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local development defaults; set DEBUG=0 and SECRET_KEY for anything public.
export DEBUG ?= 1

.PHONY: run test install translations messages migrate lint clean-db

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

translations: install
	$(PY) manage.py compile_translations

# After changing interface strings: update locale/*/django.po (needs GNU gettext), translate the
# new entries, and `make test` checks that no English string leaks into another edition.
messages: install
	for code in ar fa sq; do $(PY) manage.py makemessages -l $$code --ignore=.venv --ignore=var \
		--ignore=tests --ignore=static; done

migrate: install translations
	$(PY) manage.py migrate --noinput

# migrate, load the demo content once, ensure an admin, serve; Ctrl-C stops the site and database.
run: translations
	$(PY) manage.py serve 127.0.0.1:$(PORT)

test: translations
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Delete the embedded database's data (var/pgdata) and uploaded media (var/media).
clean-db:
	rm -rf var/pgdata var/media
