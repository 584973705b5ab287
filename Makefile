# Two commands set everything up on a fresh machine:
#   make serve   build the sample site and serve it on http://127.0.0.1:8000/
#   make test    install the test dependencies and run every test

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin

.PHONY: install serve build test lint browser validators library-suites golden translations highlight-css clean

# constraints.txt pins every package to the versions the tests ran with.
$(BIN)/dateline: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(BIN)/dateline

build: install
	$(BIN)/dateline build

serve: install
	$(BIN)/dateline serve --port $(PORT)

# Every core runs tests (pytest-xdist); a file's tests stay on one worker, so a
# module's fixtures (the sample site built once, the catalogue's builds) are made once.
test: install browser validators library-suites lint
	$(BIN)/python -m pytest -n auto --dist loadfile

# The package is kept clean of lint and type errors, the tests and benchmarks of lint
# (settings in pyproject.toml).
lint: install
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy

# The browser tests drive Debian's chromium; install it when we can (as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "note: chromium is not installed; the browser tests will be skipped (apt-get install chromium)"; \
	  fi; }

# The validators' npm packages (vnu-jar, axe-core) exactly as package-lock.json pins
# them; `npm ci` runs again only when node_modules is missing or the lockfile is newer.
# Their install scripts are not needed (vnu.jar ships in the package; Java comes from apt).
validators: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "note: npm is not installed; the HTML and accessibility validators will be skipped (apt-get install nodejs npm)"; \
	fi

# Jinja2's and Python-Markdown's own test suites, from the sdists of exactly the
# installed versions, checked against tests/library/sdists.sha256 and unpacked
# into .cache/library-suites/ (git-ignored); downloaded again only when a version
# changes. tests/test_library_suites.py runs them with Dateline's speed-ups in.
library-suites: install
	$(BIN)/python tests/library/fetch_suites.py

# Regenerate tests/golden/ after an intended change to the sample site's output.
golden: install
	$(BIN)/python -m tests.golden

# Bring the built-in theme's catalogues (generator/themes/newsroom/locale/) in step with
# its templates: new strings are added untranslated, and every string a catalogue
# lacks is listed (the command fails until each is translated).
translations: install
	$(BIN)/python -m generator.i18n update

# Regenerate the newsroom theme's code colours after a Pygments upgrade (tests/test_highlight.py
# fails while the committed file differs).
highlight-css: install
	$(BIN)/python -m generator.markdown.highlight_css > generator/themes/newsroom/static/css/highlight.css

clean:
	rm -rf output .dateline .output.search-pages
