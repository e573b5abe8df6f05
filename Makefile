# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local development defaults (`make serve`: DEBUG=0); set SECRET_KEY for anything public.
export DEBUG ?= $(if $(filter serve,$(MAKECMDGOALS)),0,1)

.PHONY: api-schema run serve bench lighthouse cluster-test test test-fast test-zones install translations messages migrate lint clean-db docs docs-serve

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@git rev-parse --git-dir >/dev/null 2>&1 && git config core.hooksPath .githooks || true
	touch $@

install: $(VENV)/.installed

translations: install
	$(PY) manage.py compile_translations

# After changing interface strings: update locale/*/django.po (needs GNU gettext), translate the
# new entries, and `make test` checks that no English string leaks into another edition.
TRANSLATED_EDITIONS := ar fa sq
messages: install
	$(PY) manage.py makemessages $(foreach code,$(TRANSLATED_EDITIONS),-l $(code)) \
		--ignore=.venv --ignore=var --ignore=tests --ignore=static
	$(PY) manage.py makemessages -d djangojs $(foreach code,$(TRANSLATED_EDITIONS),-l $(code)) \
		--ignore=.venv --ignore=var --ignore=tests --ignore=static/vendor

# After changing the content API: record its OpenAPI schema (tests/test_api_contract.py checks
# that nothing recorded there is taken away).
api-schema: install
	$(PY) manage.py export_openapi_schema --api api.endpoints.api --indent 1 --sorted \
		--output docs/api/openapi-v1.json

migrate: install translations
	$(PY) manage.py migrate --noinput

# migrate, load the demo content once, ensure an admin, serve; Ctrl-C stops the site and database.
run: translations
	$(PY) manage.py serve 127.0.0.1:$(PORT)

# The production site: checks the configuration (DEBUG=0, SECRET_KEY, ALLOWED_HOSTS), migrates,
# compiles translations, collects static files and serves with granian (WEB_WORKERS processes),
# keeping the embedded database running. BIND=0.0.0.0:8000 to listen elsewhere.
BIND ?= 127.0.0.1:8000
serve: translations
	$(PY) manage.py serve --production $(BIND)

# The production server under load (bench/serve_bench.py; needs Debian's wrk, nginx and redis-server),
# kept pages through nginx's page cache against nginx sending a file (bench/front_bench.py), a news
# day on 10,000 articles (bench/news_day.py: NEWS_DAY_SECONDS a run, NEWS_DAY_WARM_SECONDS at most to
# warm the cache first), then the job queue's throughput (bench/queue_bench.py). Not a test.
ARTICLES ?= 1000
NEWS_DAY_SECONDS ?= 120
NEWS_DAY_WARM_SECONDS ?= 600
bench: translations
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk nginx libnginx-mod-http-cache-purge redis-server"; exit 1; }
	$(PY) bench/serve_bench.py --articles $(ARTICLES) $(ARGS)
	$(PY) bench/front_bench.py --articles $(ARTICLES)
	$(PY) bench/news_day.py --seconds $(NEWS_DAY_SECONDS) --warm-seconds $(NEWS_DAY_WARM_SECONDS)
	$(PY) bench/queue_bench.py
	$(PY) bench/mailing_bench.py
	$(PY) bench/readership_bench.py
	$(PY) bench/api_bench.py
	KILL_TEST_RECIPIENTS=10000 $(PYTEST) tests/test_mailings.py -k killed -q

# axe-core, from the npm registry, is injected into pages by the accessibility browser tests.
AXE_VERSION := 4.14.1
AXE := var/axe-core-$(AXE_VERSION)/axe.min.js
$(AXE):
	@if command -v npm >/dev/null; then \
		mkdir -p $(@D) && cd $(@D) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		tar xzf axe-core-$(AXE_VERSION).tgz --strip-components=1 package/axe.min.js && \
		rm axe-core-$(AXE_VERSION).tgz; \
	else echo "npm not found: the accessibility tests need axe-core from the npm registry"; fi

# Lighthouse, from the npm registry, audits the production server in Chromium (tests/test_lighthouse.py).
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_DIR := var/lighthouse-$(LIGHTHOUSE_VERSION)
LIGHTHOUSE := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	@if command -v npm >/dev/null; then \
		mkdir -p $(LIGHTHOUSE_DIR) && cd $(LIGHTHOUSE_DIR) && \
		npm install --silent --no-audit --no-fund --no-save lighthouse@$(LIGHTHOUSE_VERSION) >/dev/null; \
	else echo "npm not found: the Lighthouse audit needs lighthouse from the npm registry"; fi

# The site as several servers run it (PostgreSQL over TCP, Redis, an S3 server, two app servers,
# nginx), checked under load with a server killed and the database restarted. Part of `make test`.
cluster-test: translations
	$(PY) -m pytest -s -m cluster tests/test_cluster.py

lighthouse: translations $(LIGHTHOUSE)
	LIGHTHOUSE=$(LIGHTHOUSE) LIGHTHOUSE_PAGES=all $(PYTEST) -s tests/test_lighthouse.py

# The whole suite on every core (pytest-xdist; TEST_WORKERS=1 for one process), then the date
# tests again in the far zones. `make test-fast` is the edit-and-check loop: no browser, no
# servers (the tests marked e2e or processes), a few minutes.
TEST_WORKERS ?= 2
# The coverage of the main pass, printed at its end; it fails below pyproject.toml's fail_under.
COVERAGE := --cov --cov-report=term
PYTEST := $(PY) -m pytest -p no:cacheprovider
XDIST := -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder
# The site that process tests copy (tests/helpers/sites.py), built once for the main and Lighthouse passes.
TEST_SITE := $(CURDIR)/var/test-sites/built-for-make-test
test: translations $(AXE) $(LIGHTHOUSE)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mkdocs build --strict
	@rm -rf $(TEST_SITE)
	NEJAT_TEST_SITE=$(TEST_SITE) AXE_JS=$(AXE) $(PYTEST) $(XDIST) -m "not lighthouse" $(COVERAGE)
	NEJAT_TEST_SITE=$(TEST_SITE) LIGHTHOUSE=$(LIGHTHOUSE) $(PYTEST) -q tests/test_lighthouse.py
	@rm -rf $(TEST_SITE)
	$(MAKE) --no-print-directory test-zones

test-fast: translations
	$(PYTEST) $(XDIST) -q -m "not e2e and not processes" --reuse-db

# No date may depend on the zone or the hour: the tests marked `dates` (tests/test_suite_rules.py
# makes sure every test that uses a date API is) run again in the zones furthest ahead of UTC
# (+14) and behind it (-11); at every hour one of them is on another date. Browser and process
# tests run once. The two zones run side by side, each with its own var/ (database, media).
FAR_ZONES := Pacific/Kiritimati Pacific/Pago_Pago
ZONES_DIR := $(CURDIR)/var/zones
test-zones: translations
	@rm -rf $(ZONES_DIR); for zone in $(FAR_ZONES); do \
		dir=$(ZONES_DIR)/$$(basename $$zone); mkdir -p $$dir; \
		( TIME_ZONE=$$zone NEJAT_VAR_DIR=$$dir $(PYTEST) -m "dates and not e2e and not processes" \
			-q >$$dir/pytest.log 2>&1; echo $$? >$$dir/status ) & \
	done; wait; failed=0; for zone in $(FAR_ZONES); do \
		dir=$(ZONES_DIR)/$$(basename $$zone); \
		echo "== the date tests under TIME_ZONE=$$zone"; cat $$dir/pytest.log; \
		[ "$$(cat $$dir/status)" = 0 ] || failed=1; \
	done; exit $$failed

# The documentation (docs/, mkdocs.yml) built into var/docs; --strict fails on a broken link or
# anchor, or a page left out of the navigation, and `make test` builds it the same way (never
# with --quiet or -v: either hides the warnings --strict counts, mkdocs#4126 and #3991).
# NO_MKDOCS_2_WARNING: no banner about MkDocs 2 and Material's successor in every build.
export NO_MKDOCS_2_WARNING := 1
docs: install
	$(PY) -m mkdocs build --strict

# The documentation on http://127.0.0.1:$(DOCS_PORT)/, rebuilt as its pages are edited.
DOCS_PORT ?= 8001
docs-serve: install
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:$(DOCS_PORT)

lint: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Delete the embedded database's data (var/pgdata) and uploaded media (var/media).
clean-db:
	rm -rf var/pgdata var/media
