# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The embedding kernels compiled ahead of time (no numba/LLVM at run time); rebuilt
# when their source changes. Without them `fyp embed` falls back to numba's JIT.
KERNELS := graph/embed/_aot_build.json
KERNEL_SOURCES := $(addprefix graph/embed/,rng.py alias.py walk_kernels.py skipgram_kernels.py build_kernels.py)

# Demo world size (override: make demo USERS=5000 VIDEOS=8000)
USERS  ?= 2000
VIDEOS ?= 3000
SEED   ?= 7
PORT   ?= 8000

.PHONY: install demo test test-fast lint bench neo4j-stop clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(KERNELS): $(STAMP) $(KERNEL_SOURCES)
	$(BIN)/python -m graph.embed.build_kernels || echo "warning: continuing with numba's JIT kernels"

install: $(STAMP) $(KERNELS)
	$(BIN)/python -m api.ide fetch || echo "warning: GraphiQL's files are not installed; /graphql says how to get them"

## Start a local Neo4j, load a synthetic world, train embeddings, serve API + demo page.
demo: install
	$(BIN)/fyp neo4j start
	$(BIN)/fyp db init
	@# The world ends now; --replace reloads it when an earlier run placed it at another end.
	$(BIN)/fyp generate --users $(USERS) --videos $(VIDEOS) --seed $(SEED) --replace
	$(BIN)/fyp precompute
	$(BIN)/fyp embed --seed $(SEED)
	$(BIN)/fyp serve --port $(PORT)

## Every test, against a throwaway real Neo4j the suite starts itself.
test: install
	$(BIN)/pytest -q

## Skip the slow full-dataset imports.
test-fast: install
	$(BIN)/pytest -q -m "not slow"

lint: install
	@# pytest (rootdir-relative imports) cannot collect two test modules with one basename.
	@! find tests -name 'test_*.py' -printf '%f\n' | sort | uniq -d | grep .
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Benchmarks print one JSON line each (see README, "Benchmarks").
bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/embed.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/feed_load.py
	$(BIN)/python bench/read_model.py
	$(BIN)/python bench/soak.py

neo4j-stop: install
	$(BIN)/fyp neo4j stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info graph/embed/_aot_*
