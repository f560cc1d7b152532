# The two commands of the README: `make demo` (the main job on the embedded defaults)
# and `make test` (the whole suite, with its PostgreSQL and Neo4j servers). Everything is
# installed into a virtual environment of this checkout (VENV, default .venv), never into
# the system's Python: `. .venv/bin/activate` puts `accords` on your PATH.
PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin

.PHONY: install demo test check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]" --config-settings editable_mode=strict

demo: install
	$(BIN)/accords demo

test: install
	PATH="$(BIN):$$PATH" tests/with-services.sh $(BIN)/pytest

check: install
	$(BIN)/ruff check accords events graph ontology queries tests bench
	$(BIN)/ruff format --check accords events graph ontology queries tests bench
	# from outside the checkout, whose folders would hide the installed accords.* packages
	cd /tmp && $(BIN)/python -m mypy --config-file "$(CURDIR)/pyproject.toml" -p accords
