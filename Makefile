# Two commands set everything up on a fresh machine (see README.md):
#   make sync   - install into .venv, then run `l10n sync` on the bundled corpus
#   make test   - install into .venv with the test and Korean extras (and GNU gettext when root), then run
#                 the whole test suite
#   make golden CASE=NAME [INIT=ko] - (re)write tests/cases/extraction/NAME/expected.*, printing the diff
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: sync test tools bench golden

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,ko]'
	touch $(STAMP)

sync: $(STAMP)
	$(BIN)/l10n sync

tools:
	@bash scripts/install-tools.sh

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
test: $(STAMP) tools
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# One golden extraction case (tests/cases/extraction/README.md): rewrites its expected files, printing the diff.
golden: $(STAMP)
	@test -n "$(CASE)" || { echo "usage: make golden CASE=NAME [INIT=LANG]" >&2; exit 2; }
	$(BIN)/python -m tests.cases.extraction $(CASE) $(if $(INIT),--init $(INIT))
