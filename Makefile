# Two commands do everything: `make run` (install, prepare the database, serve) and `make test`.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The development server's address (the site record's, SITE_BASE_URL's default) follows it.
export PORT
MANAGE := $(BIN)/python manage.py
# Tests run in parallel processes (pytest-xdist), one per core; a module's tests stay together,
# so a stack a module starts is started once, and the slowest modules go out first
# (SLOWEST_MODULES in tests/conftest.py).
TEST_PROCESSES ?= auto

.PHONY: help install bytecode lock translations db run serve backup restore test test-one test-engine lint format bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Every dependency comes from uv.lock, at the version and with the hashes recorded there, so two
# machines install the same code; uv itself (pinned) is the one thing pip installs.
UV_VERSION := 0.13.9
UV := UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --extra dev --inexact --quiet --compile-bytecode
	touch $@

install: $(VENV)/.installed ## Create .venv and install the site with its development tools, as locked

# Every process (each gunicorn worker, each manage.py the tests start) loads compiled modules
# instead of compiling ~1,400 sources again, also where PYTHONDONTWRITEBYTECODE is set: uv compiles
# the installed packages, this the project's own code (only what changed).
SOURCES := core news contact ops security interaction quality sitecms stack tests bench manage.py gunicorn.conf.py
bytecode: install
	@$(BIN)/python -m compileall -q -j 0 $(SOURCES)

lock: ## Update uv.lock to the newest versions pyproject.toml allows (then run make test)
	test -x $(BIN)/uv || $(MAKE) install
	$(UV) lock --upgrade

# The admin's Chinese: the project's catalogue, compiled whenever it changes.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/*.po)
locale/.compiled: $(VENV)/.installed $(CATALOGUES)
	$(MANAGE) compile_translations
	touch $@

translations: locale/.compiled ## Compile the translation catalogues in locale/

# The HTML checker and axe-core for the tests; without npm those checks are skipped, saying why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the HTML validity and accessibility checks will be skipped"; fi

db: install bytecode translations ## Migrate, build the page tree, load demo content into an empty site, create the first admin
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_site --demo
	$(MANAGE) ensure_admin

run: db ## Serve the site at http://127.0.0.1:$(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The production stack on this machine: gunicorn, whitenoise, production settings over plain HTTP.
# Meant to run behind nginx (deploy/nginx.conf: TLS, security headers, static and media files,
# whole requests and answers buffered). Facing readers directly it still holds: its threaded
# workers reset clients that stall or dawdle (core/slow_clients.py), but it speaks no HTTPS.
# A random SECRET_KEY is kept in .serve-secret (never committed) unless SECRET_KEY is set.
SERVE_ENV = DJANGO_SETTINGS_MODULE=sitecms.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$(cat .serve-secret)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" \
	SERVE_MEDIA="$${SERVE_MEDIA:-1}"

.serve-secret:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: install bytecode translations .serve-secret ## Run the production stack (gunicorn) at http://127.0.0.1:$(PORT), to put behind nginx (deploy/nginx.conf)
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) setup_site --demo
	$(SERVE_ENV) $(MANAGE) ensure_admin
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py sitecms.wsgi

backup: install ## Archive the database and the media files into backups/ (or BACKUP_DIR)
	$(MANAGE) backup

restore: install ## Replace the database and the media files with a backup: make restore FILE=…
	$(MANAGE) restore "$(FILE)"

# The hooks of .pre-commit-config.yaml on every file: ruff, ruff format, djhtml for the templates
# (djcss, djjs for static/), whitespace and the final newline. A hook that fixes a file fails,
# showing its change.
LINT := $(BIN)/pre-commit run --all-files --show-diff-on-failure

# pytest rewrites each test module's asserts and compiles it again in every test process unless it
# may keep the result beside the module (__pycache__/*-pytest-*.pyc), which PYTHONDONTWRITEBYTECODE
# forbids: some five seconds of CPU for each process of each run.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

# Django's system checks and makemigrations --check are tests too (tests/test_django_checks.py).
test: install bytecode translations node_modules/.installed ## Lint and run the whole test suite
	$(LINT)
	$(PYTEST) -n $(TEST_PROCESSES) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

# One test file in one process, without linting: a few seconds once the migrated database and the
# test database with its page tree are kept in .cache/prepared-site/ (stack/site_cache.py), which
# happens on the first run after the code they are made from changes.
ifneq ($(filter test-one,$(MAKECMDGOALS)),)
ifndef FILE
$(error Which file? make test-one FILE=tests/…)
endif
endif
test-one: install bytecode translations node_modules/.installed ## Run one test file, no lint: make test-one FILE=tests/news/test_article_page.py
	$(PYTEST) -n 0 $(FILE) $(PYTEST_ARGS)

# The tests whose outcome can depend on the database engine (marked engine_dependent), run again
# on DATABASE_URL: CI's PostgreSQL pass.
test-engine: install bytecode translations node_modules/.installed ## Only the engine-dependent tests, on DATABASE_URL
	$(PYTEST) -n $(TEST_PROCESSES) --dist loadscope --no-loadscope-reorder -m engine_dependent $(PYTEST_ARGS)

lint: install ## Lint only (pre-commit's hooks on every file; `.venv/bin/pre-commit install` runs them on each commit)
	$(LINT)

format: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install bytecode node_modules/.installed ## Benchmarks (not part of make test): pages, counting, a 10-minute soak, a search flood, publishing under load, Lighthouse, the 错敏词 check and nightly scan
	$(BIN)/python bench/run.py
	$(BIN)/python bench/hits.py
	$(BIN)/python bench/generation_cost.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/search_flood.py
	$(BIN)/python bench/publishing_under_load.py
	$(BIN)/python bench/lighthouse_performance.py
	$(BIN)/python bench/word_check.py
	$(BIN)/python bench/nightly_scan.py

clean: ## Remove the virtualenv, the kept test databases and sites, and collected files
	rm -rf $(VENV) .cache staticfiles
