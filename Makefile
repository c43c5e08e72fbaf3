# anon-pi: `make install` sets everything up; `make test` runs the whole suite.
PREFIX ?= $(HOME)/.local
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
BINDIR := $(PREFIX)/bin
BASHCOMP := $(PREFIX)/share/bash-completion/completions
ZSHCOMP  := $(PREFIX)/share/zsh/site-functions

.PHONY: install uninstall test lint completions bench dev

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

dev: $(VENV)/.dev

install: $(VENV)/.runtime
	mkdir -p $(BINDIR) $(BASHCOMP) $(ZSHCOMP)
	ln -sfn $(CURDIR)/bin/anon-pi $(BINDIR)/anon-pi
	cp completions/anon-pi.bash $(BASHCOMP)/anon-pi
	cp completions/_anon-pi $(ZSHCOMP)/_anon-pi
	@echo "anon-pi: linked $(BINDIR)/anon-pi; completions in $(BASHCOMP) and $(ZSHCOMP)"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) echo "anon-pi: add $(BINDIR) to your PATH, e.g. export PATH=\"$(BINDIR):\$$PATH\"";; esac

uninstall:
	@if [ "$$(readlink $(BINDIR)/anon-pi)" = "$(CURDIR)/bin/anon-pi" ]; then rm -f $(BINDIR)/anon-pi; fi
	rm -f $(BASHCOMP)/anon-pi $(ZSHCOMP)/_anon-pi
	@echo "anon-pi: removed the link and the completions from $(PREFIX)"

test: $(VENV)/.dev
	$(PY) -m pytest -q

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check anonpi_helpers tests tasks.py

completions: $(VENV)/.dev
	$(VENV)/bin/inv completions

bench: $(VENV)/.dev
	$(PY) bench/bench.py
