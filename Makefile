# The two commands of the README: `make demo` (the main job on the embedded defaults)
# and `make test` (the whole suite, with its PostgreSQL and Neo4j servers).
PYTHON ?= python3

.PHONY: install demo test check

install:
	$(PYTHON) -m pip install -q -e ".[test]" --config-settings editable_mode=strict

demo: install
	accords demo

test: install
	tests/with-services.sh pytest

check: install
	# from outside the checkout, whose folders would hide the installed accords.* packages
	cd /tmp && $(PYTHON) -m mypy --config-file "$(CURDIR)/pyproject.toml" -p accords
