# `make lab` and `make test` work from a fresh clone with only Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` by name, so the venv's bin must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
export JAX_PLATFORMS := cpu
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_WORKERS ?= 2

.PHONY: install lab test bench book clean grade-demo

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# nbgrader 0.9 ships its lab and server extensions enabled; fail early if that ever changes.
	$(BIN)/jupyter labextension list 2>&1 | grep -q '@jupyter/nbgrader.*enabled'
	touch $(STAMP)

lab: install
	@mkdir -p .nbgrader-exchange && chmod 777 .nbgrader-exchange  # nbgrader's exchange: writable by every user
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=$(CURDIR) lectures/README.md

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py

BOOK       := build/book
BOOK_CACHE := $(BOOK)/_build/.jupyter_cache/global.db

# The lectures, executed, as a static HTML book: open build/book/_build/html/index.html.
book: install
	@# Sphinx and the execution cache know a notebook by its own text only: start afresh when course/ changed.
	@if [ ! -e $(BOOK_CACHE) ] || [ -n "$$(find course -name '*.py' -newer $(BOOK_CACHE))" ]; then rm -rf $(BOOK); fi
	$(BIN)/jupyter-book build lectures --config book/_config.yml --toc $(CURDIR)/book/_toc.yml --path-output $(BOOK) -W --keep-going

# The grading pipeline on generated submissions (reference, wrong variants, junk, a hang, a crash,
# a fork bomb, a memory bomb) in a temporary course: collect, grade, feedback, export.
# Kernels are jailed only as root (sudo make grade-demo); otherwise the bombs are left out.
grade-demo: install
	$(BIN)/python -m autograder.demo

clean:
	rm -rf $(VENV) $(OLDEST) .pytest_cache .hypothesis

# Colab ships its own numpy 2.0 and JAX >= 0.7: check the oldest versions we claim, in their own venv.
OLDEST       := .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed

.PHONY: test-oldest

$(OLDEST_STAMP): requirements-oldest.txt
	test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet -r requirements-oldest.txt
	$(OLDEST)/bin/python -m pip install --quiet --no-deps -e .
	touch $(OLDEST_STAMP)

# nbgrader, the book, the browser and the grading pipeline are not part of the Colab claim.
test-oldest: $(OLDEST_STAMP)
	$(OLDEST)/bin/python -m pytest -q --ignore=tests/test_assignments.py --ignore=tests/test_book.py \
		--ignore=tests/test_browser.py $(patsubst %,--ignore=%,$(wildcard tests/test_autograder*.py))
