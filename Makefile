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

# The peers live in the bench's own environment and their CDN scripts come from npm packages, so the
# project's environment stays as it is and the pages load offline. BENCH_MILLION=1 adds 1,000,000 records.
BENCH_VENV := bench/.venv
BENCH_ASSETS := bench/.assets

bench: $(VENV)/.installed $(BENCH_VENV)/.installed $(BENCH_ASSETS)/.installed browser
	$(BIN)/python bench/run.py
	$(BIN)/python bench/many.py

$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV) 2>/dev/null || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q folium lonboard geopandas mapclassify matplotlib pyarrow
	touch $@

$(BENCH_ASSETS)/.installed:
	mkdir -p $(BENCH_ASSETS)
	cd $(BENCH_ASSETS) && for spec in leaflet.markercluster=leaflet.markercluster@1.5.3 awesome-markers=leaflet.awesome-markers@2; do \
	  dir=$${spec%%=*}; tgz=$$(npm pack -q $${spec#*=}) && mkdir -p $$dir && tar xzf $$tgz -C $$dir --strip-components=1 && rm $$tgz; \
	done
	touch $@

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
