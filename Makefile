# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
# `make run PORT=8001` (or `make serve PORT=8001`) serves on another port.
PORT ?= 8000

.PHONY: run serve cluster bench bench-cluster test lint format install test-tools lock messages clean

install: $(INSTALLED)

# What only the tests need: the HTML checker (vnu, from package-lock.json; runs on
# Java), Debian's chromium for the browser tests (Playwright downloads no browser), and
# the clients subscribers use: khal (calendars) and newsboat (feeds), Debian packages.
NODE_TOOLS := node_modules/.installed
CHROMIUM := /usr/bin/chromium
CLIENTS := /usr/bin/khal /usr/bin/newsboat
# The WebSub hub the push tests start (tests/websub/), in a virtualenv of its own.
HUB_VENV := .hub-venv
# The cluster (deploy/cluster.py, tests/test_cluster.py): Debian's nginx and a Redis
# server of its own.
NGINX := /usr/sbin/nginx
REDIS_SERVER := /usr/bin/redis-server
test-tools: $(NODE_TOOLS) $(CHROMIUM) $(CLIENTS) $(HUB_VENV)/.installed $(NGINX) $(REDIS_SERVER)

$(NGINX):
	@echo "Installing Debian's nginx for the cluster (needs root and apt)."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx

$(REDIS_SERVER):
	@echo "Installing Debian's redis-server for the cluster (needs root and apt)."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server

$(HUB_VENV)/.installed: tests/websub/requirements.txt
	test -x $(HUB_VENV)/bin/python || $(PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --requirement tests/websub/requirements.txt
	touch $@

$(NODE_TOOLS): package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests (needs root and apt)."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(CLIENTS):
	@echo "Installing Debian's khal and newsboat for the subscriber tests (needs root and apt)."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq khal newsboat

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# The background worker (events.jobs) runs beside the server and stops with it
# (Ctrl-C reaches both; the trap covers any other way out).
WORKER := $(MANAGE) db_worker --interval 0.5 --no-reload --no-startup-delay & \
	trap 'kill $$! 2>/dev/null' EXIT;

# Local server on SQLite: migrate, load the seed once, make sure an admin exists, serve.
run: export DJANGO_DEBUG ?= 1
run: $(INSTALLED)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed
	$(MANAGE) make_renderings
	$(MANAGE) make_archives
	$(MANAGE) ensure_admin
	$(WORKER) $(MANAGE) runserver 127.0.0.1:$(PORT)

# The production profile, locally: debug off, gunicorn, whitenoise, and PostgreSQL or
# Redis when DATABASE_URL or REDIS_URL are given. The secret key comes from the
# environment, or is made once into .secret_key (git-ignored).
serve: export DJANGO_DEBUG := 0
serve: export GUNICORN_BIND ?= 127.0.0.1:$(PORT)
serve: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null || $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" | tee .secret_key)
serve: $(INSTALLED)
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed
	$(MANAGE) make_renderings
	$(MANAGE) make_archives
	$(MANAGE) ensure_admin
	$(MANAGE) check --deploy --fail-level WARNING
	$(WORKER) $(BIN)/gunicorn --config gunicorn.conf.py

# The production shape on this machine (deploy/cluster.py): nginx on 127.0.0.1:8400 in
# front of two gunicorn app servers (8401, 8402), Redis (8479), the worker, on the
# machine's PostgreSQL (database newsroom_cluster). Ctrl-C stops them all.
cluster: $(INSTALLED) $(NGINX) $(REDIS_SERVER)
	$(BIN)/python deploy/cluster.py

# Breaking news on the cluster (bench/cluster.py): its own PostgreSQL database with a
# 10,000-event timeline, nginx 8500 in front of app servers 8501/8502, Redis 8579, the
# worker; 60 s of saves, readers and pollers with faults → bench/results.md.
bench-cluster: $(INSTALLED) $(NGINX) $(REDIS_SERVER)
	$(BIN)/python bench/cluster.py

# Benchmarks (see bench/README.md): prints tables and writes bench/results.md.
bench: $(INSTALLED) $(HUB_VENV)/.installed
	$(BIN)/python -m pip install --quiet --requirement bench/requirements.txt
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/push.py

test: $(INSTALLED) test-tools lint
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin requirements.txt from requirements.in in a throwaway environment.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --requirement requirements.in
	echo '# Pinned install set used by `make`. Edit requirements.in, then `make lock`.' > requirements.txt
	.lock-venv/bin/pip freeze >> requirements.txt
	rm -rf .lock-venv

# Update the German catalogue after changing interface strings (needs GNU gettext;
# the compiled .mo files are committed, so running the site never does).
messages: $(INSTALLED)
	DJANGO_DEBUG=1 $(MANAGE) makemessages --locale de --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'
	DJANGO_DEBUG=1 $(MANAGE) compilemessages --locale de --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules screenshots
