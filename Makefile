# Two commands for a newcomer: `make demo` and `make test`. Both go through `make setup`.
# `make unit` is the quick one: the tests that need no server, in under a minute.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tests use their own Neo4j instance (var/test, ports 7688/7475) so the demo's data stays,
# and their own Kafka broker (var/test/kafka, ports 9094/9095; the stream tests start it).
TEST_BOLT_PORT ?= 7688
TEST_HTTP_PORT ?= 7475
TEST_KAFKA_PORT ?= 9094
TEST_KAFKA_CONTROLLER_PORT ?= 9095
TEST_ENV := FRAUDGRAPH_ENV=test FRAUDGRAPH_VAR_DIR=$(CURDIR)/var/test \
	FRAUDGRAPH_BOLT_PORT=$(TEST_BOLT_PORT) FRAUDGRAPH_HTTP_PORT=$(TEST_HTTP_PORT) \
	FRAUDGRAPH_HEAP_SIZE=2g FRAUDGRAPH_PAGECACHE_SIZE=1g \
	FRAUDGRAPH_TEST_VAR_DIR=$(CURDIR)/var/test FRAUDGRAPH_TEST_BOLT_PORT=$(TEST_BOLT_PORT) \
	FRAUDGRAPH_TEST_HTTP_PORT=$(TEST_HTTP_PORT) \
	FRAUDGRAPH_KAFKA_PORT=$(TEST_KAFKA_PORT) FRAUDGRAPH_KAFKA_CONTROLLER_PORT=$(TEST_KAFKA_CONTROLLER_PORT) \
	FRAUDGRAPH_TEST_KAFKA_PORT=$(TEST_KAFKA_PORT) \
	FRAUDGRAPH_TEST_KAFKA_CONTROLLER_PORT=$(TEST_KAFKA_CONTROLLER_PORT)

.PHONY: setup demo test unit lint bench notebook neo4j-stop kafka-stop clean ui browser

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

setup: $(BIN)/.installed ui
	$(BIN)/fraudgraph neo4j build > /dev/null
	$(BIN)/fraudgraph kafka build > /dev/null

demo: setup
	$(BIN)/fraudgraph demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy fraudgraph generator graph_loader cypher gnn api casework bench cli

test: setup lint browser
	$(TEST_ENV) $(BIN)/fraudgraph neo4j start
	$(TEST_ENV) $(BIN)/pytest

# The unit tier alone (tests/conftest.py marks every test that needs no server): only the
# venv, no Neo4j, Kafka or browser, and no driver can be built while it runs.
unit: $(BIN)/.installed
	$(BIN)/pytest -m unit

# The workbench (/ui) copies its graph library from npm into api/static/ui/vendor.
UI_VENDOR := api/static/ui/vendor/cytoscape.min.js
ui: $(UI_VENDOR)

$(UI_VENDOR): ui/package.json ui/package-lock.json ui/build.mjs
	cd ui && npm ci --no-audit --no-fund && npm run build

# Debian's Chromium for the workbench's browser tests (no browser downloads here).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

notebook: setup
	$(BIN)/pip install -q -e '.[notebook]'
	$(BIN)/fraudgraph neo4j start
	$(BIN)/jupyter lab notebooks/

neo4j-stop: kafka-stop
	-$(BIN)/fraudgraph neo4j stop
	-$(TEST_ENV) $(BIN)/fraudgraph neo4j stop

kafka-stop:
	-$(BIN)/fraudgraph kafka stop
	-$(TEST_ENV) $(BIN)/fraudgraph kafka stop

clean: neo4j-stop
	rm -rf var/test var/worlds var/demo
