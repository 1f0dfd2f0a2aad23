# Two commands do everything: `make map` renders the maps in seeds/, `make test` runs the test suite.
# Both create .venv and install deploymap into it on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: map test bench browser screenshots clean

map: $(VENV)/.installed
	$(BIN)/deploymap build

test: $(VENV)/.installed browser
	$(BIN)/python -m pytest -q

# Rewrites tests/screenshots/*.png from the seed maps as drawn now: look at them before committing.
screenshots: $(VENV)/.installed browser
	DEPLOYMAP_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_screenshots.py

bench: $(VENV)/.installed browser
	$(BIN)/python bench/run.py

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The browser tests drive Debian's Chromium through Playwright; no browser download.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

clean:
	rm -rf $(VENV) maps bench/out
