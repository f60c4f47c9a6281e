# The two ways in: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint pytest browser-deps clean bench bench-screening bench-monitoring

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/govmedia migrate --noinput
	$(BIN)/govmedia demo
	@echo "huey 后台任务已随服务启动；访问 http://$(HOST):$(PORT)/ 登录。按 Ctrl+C 停止。"
	@$(BIN)/govmedia run_huey --workers 1 & HUEY=$$!; \
	trap 'kill $$HUEY 2>/dev/null' EXIT INT TERM; \
	$(BIN)/govmedia runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; install it where it is missing (root on CI and dev machines).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "缺少 chromium：请以 root 运行 apt-get install chromium fonts-noto-cjk"; fi; }

lint: install
	$(BIN)/ruff check src tests bench

pytest: install browser-deps
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

test: lint pytest

clean:
	rm -rf $(VENV) .venv-bench var .pytest_cache .ruff_cache

# Benchmarks (not tests): figures go into docs/benchmarks.md.
bench: install
	$(BIN)/python bench/registry_bench.py
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null; then \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/govmedia_bench $(BIN)/python bench/registry_bench.py; fi

# Screening engine (issue 3): `govmedia scan` on a generated 20 MB text against a pure-Python trie; BENCH_ARGS
# passes options (e.g. BENCH_ARGS="--repeat 1 --big-terms 1000000").
bench-screening: install
	$(BIN)/python bench/screening_bench.py $(BENCH_ARGS)

# Monitoring at scale (issue 5): 1,000 accounts and 1,000,000 posts in PostgreSQL, then locust against gunicorn.
# BENCH_ARGS passes options (e.g. BENCH_ARGS="--posts 100000 --seconds 30").
# locust lives in its own venv: it brings gevent and a pytest plugin that must not enter the test environment.
bench-monitoring: install
	test -x .venv-bench/bin/locust || { $(PYTHON) -m venv .venv-bench && .venv-bench/bin/pip install --quiet locust==2.47.0; }
	LOCUST=.venv-bench/bin/locust $(BIN)/python bench/monitoring_bench.py $(BENCH_ARGS)
