# The two commands (README): `make run` and `make test`. Both bootstrap .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: run test lint bench package package-check clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.run-stamp: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e .
	touch $@

$(VENV)/.dev-stamp: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev]'
	touch $@ $(VENV)/.run-stamp

run: $(VENV)/.run-stamp
	$(BIN)/paradex-terminal $(ARGS)

lint: $(VENV)/.dev-stamp
	$(BIN)/ruff check terminal tests bench packaging
	$(BIN)/ruff format --check terminal tests bench packaging
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.dev-stamp
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

package: $(VENV)/.dev-stamp
	$(PIP) install -q -e '.[package]'
	$(BIN)/pyinstaller --noconfirm pyinstaller.spec

# Build, then run the binary: --version, and a headless demo run that must show a live book.
package-check: package
	$(BIN)/python packaging/check_binary.py dist/paradex-terminal/paradex-terminal

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache terminal/_build_info.py
