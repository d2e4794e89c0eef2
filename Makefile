# Waypoint: two commands. `make run` sets everything up and starts the helpline;
# `make test` does the same set-up and runs every test. Both are quick the second time.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# This machine's pip config names local indexes that may be absent; their warnings are noise.
QUIET_PIP := 2>&1 | { grep -v 'is ignored: it is neither' || true; }
.DEFAULT_GOAL := help

# Rasa Open Source 3.6 needs Python 3.10: python3.10 on PATH, else pyenv's 3.10.x.
PY310 := $(shell for c in python3.10 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -1); do \
	"$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1 && { command -v "$$c"; break; }; done)
# The gateway uses current releases: Python 3.11 or newer.
PYGW := $(shell for c in python3.11 python3.12 python3.13 python3; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' >/dev/null 2>&1 && { command -v "$$c"; break; }; done)

RASA_VENV := .venv-rasa
GW_VENV := .venv-gateway
RASA_PY := $(RASA_VENV)/bin/python
GW_PY := $(GW_VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: help setup envs model run test lint validate sms bench bench-edges bench-ratio clean stories crossval

help:
	@echo "make run    install everything needed, train if needed, start Waypoint"
	@echo "make test   the same set-up, then every test"
	@echo "make sms MSG='i need a shelter in reno'   send a signed SMS to the running gateway"

$(RASA_VENV)/.installed: requirements/rasa.lock
	@test -n "$(PY310)" || { echo "Rasa 3.6 needs Python 3.10: install python3.10 or pyenv 3.10.x"; exit 1; }
	@echo "Creating the Rasa environment with $(PY310) (a few minutes the first time)"
	@test -x $(RASA_PY) || $(PY310) -m venv $(RASA_VENV)
	@$(RASA_PY) -m pip install -q --disable-pip-version-check "pip==24.0" "setuptools==70.3.0" "wheel==0.45.1" $(QUIET_PIP)
	@$(RASA_PY) -m pip install -q --disable-pip-version-check -r requirements/rasa.lock $(QUIET_PIP)
	@touch $@

$(GW_VENV)/.installed: requirements/gateway.lock
	@test -n "$(PYGW)" || { echo "The gateway needs Python 3.11 or newer"; exit 1; }
	@echo "Creating the gateway environment with $(PYGW)"
	@test -x $(GW_PY) || $(PYGW) -m venv $(GW_VENV)
	@$(GW_PY) -m pip install -q --disable-pip-version-check -r requirements/gateway.lock $(QUIET_PIP)
	@touch $@

envs: $(RASA_VENV)/.installed $(GW_VENV)/.installed

# Builds the spaCy pipeline and trains the Rasa model only when their inputs changed.
model: envs
	@$(RASA_PY) scripts/build.py

setup: envs model

run: setup
	@$(GW_PY) -m scripts.stack

lint: envs
	@$(GW_VENV)/bin/ruff check .
	@$(GW_VENV)/bin/ruff format --check .
	@$(GW_VENV)/bin/mypy sms_gateway resources

validate: envs
	@$(GW_PY) -m resources check
	@cd . && $(RASA_VENV)/bin/rasa data validate --config config.yml --domain bot/domain.yml --data bot/data --fail-on-warnings >var-validate.log 2>&1 \
		|| { cat var-validate.log; rm -f var-validate.log; exit 1; }; rm -f var-validate.log; echo "rasa data validate: clean"

test: setup lint validate
	@$(RASA_PY) -m pytest -q -p no:cacheprovider tests/actions tests/nlp tests/bot
	@$(GW_PY) -m pytest -q -p no:cacheprovider tests --ignore=tests/actions --ignore=tests/nlp --ignore=tests/bot
	@$(MAKE) --no-print-directory stories

# Test stories (tests/stories): whole conversations through NLU and dialogue, with a real action
# server on a free loopback port; any wrong prediction fails. Logs in var/stories/.
stories: setup
	@mkdir -p var/stories; rm -f var/stories/failed_test_stories.yml; \
	port=$$($(RASA_PY) -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	SANIC_HOST=127.0.0.1 $(RASA_PY) -m rasa_sdk --actions bot.actions -p $$port >var/stories/actions.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 1 90); do $(RASA_PY) -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$$port/health" 2>/dev/null && break; sleep 1; done; \
	ACTION_ENDPOINT_URL=http://127.0.0.1:$$port/webhook RASA_TRACKER_DB=var/stories/tracker.db \
	$(RASA_VENV)/bin/rasa test core --model models/waypoint.tar.gz --stories tests/stories \
		--endpoints bot/endpoints.yml --fail-on-prediction-errors --out var/stories >var/stories/test.log 2>&1 \
		|| { tail -30 var/stories/test.log; cat var/stories/failed_test_stories.yml 2>/dev/null; exit 1; }; \
	echo "test stories: $$(grep -c -- '- story:' tests/stories/*.yml | awk -F: '{n+=$$2} END {print n}') passed"

# 5-fold NLU cross-validation (several minutes; not part of `make test`). Writes the committed
# report reports/nlu_crossval.json (+ reports/nlu_confusions.md) with a hash of config.yml and
# bot/data/nlu; tests/test_reports.py fails in `make test` when the report no longer matches them.
crossval: envs
	@$(RASA_PY) -c 'from scripts.build import build_pipeline; build_pipeline()'
	@$(RASA_PY) reports/nlu_crossval.py

sms: envs
	@$(GW_PY) -m scripts.send_sms "$(MSG)" $(if $(FROM),--from "$(FROM)")

bench: setup
	@$(GW_PY) bench/bench_resources.py

# The edges on the real stack (about 6 minutes): crisis reply while Rasa is saturated and frozen,
# gateway vs direct Rasa, open-loop load at twice saturation, a sign-in flood. bench/results/edges.json
bench-edges: setup
	@$(GW_PY) bench/bench_edges.py

# What the gateway itself adds (against an instant fake Rasa), and the gateway/direct ratio alone
# three times on one stack: bench/results/overhead.json, bench/results/ratio.json
bench-ratio: setup
	@$(GW_PY) bench/bench_overhead.py
	@$(GW_PY) bench/bench_edges.py --ratio 3

clean:
	rm -rf $(RASA_VENV) $(GW_VENV) build models var .pytest_cache .ruff_cache
