# The two commands of the README: `make demo` (the main job on the embedded defaults)
# and `make test` (the whole suite, with its PostgreSQL and Neo4j servers).
PYTHON ?= python3
DEMO_STORE ?= $(shell mktemp -d)/accords.db

.PHONY: install demo test check bench

install:
	$(PYTHON) -m pip install -q -e ".[test]" --config-settings editable_mode=strict

demo: install
	accords init --store $(DEMO_STORE)
	accords import --store $(DEMO_STORE) tests/events/data/sample.jsonl
	accords log --store $(DEMO_STORE) --format table
	accords verify --store $(DEMO_STORE)

test: install
	tests/with-services.sh pytest

check: install
	$(PYTHON) -m mypy -p accords
