# Careerframe: `make demo` runs everything locally; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CATALOGUES := $(wildcard webapp/translations/*/LC_MESSAGES/messages.po)
COMPILED   := $(CATALOGUES:.po=.mo)

.PHONY: demo test setup browser bench clean catalogues

demo: $(STAMP) catalogues
	APP_ENV=demo $(BIN)/flask --app wsgi demo

test: $(STAMP) catalogues browser
	$(BIN)/python -m pytest

setup: $(STAMP) catalogues

# The translations the site speaks, compiled from the committed .po files (the .mo files are not committed).
catalogues: $(COMPILED)

webapp/translations/%/LC_MESSAGES/messages.mo: webapp/translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian's Chromium when present (CHROMIUM_PATH overrides); otherwise Playwright's own build.
browser: $(STAMP)
	@$(BIN)/python -m tests.browser_setup

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache $(COMPILED)
