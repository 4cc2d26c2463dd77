# Two commands (issue #2):
#   make run   - set everything up, ingest the seeds into an empty store, serve the dashboard
#   make test  - set everything up (Python packages, PostgreSQL, Chromium) and run every test
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
APT    := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run test system-deps bench clean help
help:
	@echo "make run   - install, ingest seeds/ into an empty store, serve the dashboard"
	@echo "make test  - install everything the suite needs and run it"
	@echo "make bench - measurements into bench/RESULTS.md (needs FACTDESK_EVAL_DIR)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps: a second `make run` reinstalls nothing unless requirements changed.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/python -m lib init --seed seeds
	$(BIN)/python -m lib serve

# PostgreSQL (the suite starts its own throwaway server) and Chromium (the
# browser test) from Debian's packages, installed only when missing.
system-deps:
	@need=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium chromium-driver"; \
	if [ -n "$$need" ]; then \
	  echo "Installing system packages:$$need"; \
	  $(APT) update -qq && $(APT) install -y -qq $$need; \
	fi

test: $(VENV)/.dev system-deps
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
