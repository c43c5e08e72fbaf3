# anon-pi: `make install` sets everything up; `make test` runs the whole suite.
PREFIX ?= $(HOME)/.local
VENV   := .venv
PY     := $(VENV)/bin/python
# PYTHON=<python> (here or in the environment) picks the venv's interpreter; unset,
# bin/make-venv prefers the distribution's
PYTHON ?=
BINDIR := $(PREFIX)/bin
BASHCOMP := $(PREFIX)/share/bash-completion/completions
ZSHCOMP  := $(PREFIX)/share/zsh/site-functions
FISHCOMP := $(PREFIX)/share/fish/vendor_completions.d
MANDIR   := $(PREFIX)/share/man/man1

.PHONY: install uninstall test lint completions man bench dev

# Each long step says what it does first: pip runs quiet and takes the most time.
$(VENV)/.runtime: pyproject.toml
	@test -x $(VENV)/bin/pip || sh bin/make-venv "$(CURDIR)/$(VENV)" "$(PYTHON)"
	@echo "anon-pi: [2/3] installing the dependencies pyproject.toml declares into $(VENV) with pip (the long step)..."
	$(PY) -m pip install -q -e . --config-settings editable_mode=compat
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	@echo "anon-pi: installing the test tools (pytest, pexpect, hypothesis, ruff) into $(VENV) (pip)..."
	$(PY) -m pip install -q -e '.[test]' --config-settings editable_mode=compat
	@touch $@

dev: $(VENV)/.dev

# install: the venv, the `anon-pi` launcher on PATH (bin/write-launcher: /bin/sh checks the
# venv is there, then execs its python with -I -S), the completion scripts where the shells
# look, the man page. Re-runnable; `make uninstall` removes exactly these (the launcher only if
# it is ours, each script and the page only if still ours) plus the folders install left
# empty, then lists what it leaves (venv, workspace, caches, images, boxes) with the command
# for each.
install: $(VENV)/.runtime man
	@echo "anon-pi: [3/3] linking anon-pi-inv and writing the anon-pi launcher into $(BINDIR), copying the shell completions and the man page"
	mkdir -p $(BINDIR) $(BASHCOMP) $(ZSHCOMP) $(FISHCOMP) $(MANDIR)
	$(PY) bin/write-launcher $(BINDIR)/anon-pi
	ln -sfn $(CURDIR)/bin/anon-pi-inv $(BINDIR)/anon-pi-inv
	cp completions/anon-pi.bash $(BASHCOMP)/anon-pi
	cp completions/_anon-pi $(ZSHCOMP)/_anon-pi
	cp completions/anon-pi.fish $(FISHCOMP)/anon-pi.fish
	cp anon-pi.1 $(MANDIR)/anon-pi.1
	@echo "anon-pi: wrote the launcher $(BINDIR)/anon-pi (runs $(CURDIR))"
	@echo "anon-pi: linked $(BINDIR)/anon-pi-inv -> $(CURDIR)/bin/anon-pi-inv (the Invoke tasks: anon-pi-inv --list)"
	@echo "anon-pi: completions: bash $(BASHCOMP)/anon-pi, zsh $(ZSHCOMP)/_anon-pi, fish $(FISHCOMP)/anon-pi.fish"
	@echo "anon-pi: man page: $(MANDIR)/anon-pi.1 (\`man anon-pi\` when $(PREFIX)/share/man is on your MANPATH)"
	@case ":$$PATH:" in *":$(BINDIR):"*) echo "anon-pi: $(BINDIR) is on your PATH; try: anon-pi --help";; \
	  *) echo "anon-pi: $(BINDIR) is NOT on your PATH; add to ~/.bashrc or ~/.zshrc:"; \
	     echo "           export PATH=\"$(BINDIR):\$$PATH\"";; esac
	@echo "anon-pi: zsh: add  fpath=($(ZSHCOMP) \$$fpath)  before compinit in ~/.zshrc;"
	@echo "         bash: bash-completion loads it (or: source $(BASHCOMP)/anon-pi)"

uninstall:
	@if [ "$$(readlink $(BINDIR)/anon-pi)" = "$(CURDIR)/bin/anon-pi" ] || \
	  { [ ! -L $(BINDIR)/anon-pi ] && grep -qxF "# anon-pi launcher for $(CURDIR) (written by make install)" $(BINDIR)/anon-pi 2>/dev/null; }; \
	  then rm -f $(BINDIR)/anon-pi; fi
	@if [ "$$(readlink $(BINDIR)/anon-pi-inv)" = "$(CURDIR)/bin/anon-pi-inv" ]; then rm -f $(BINDIR)/anon-pi-inv; fi
	@if cmp -s completions/anon-pi.bash $(BASHCOMP)/anon-pi; then rm -f $(BASHCOMP)/anon-pi; fi
	@if cmp -s completions/_anon-pi $(ZSHCOMP)/_anon-pi; then rm -f $(ZSHCOMP)/_anon-pi; fi
	@if cmp -s completions/anon-pi.fish $(FISHCOMP)/anon-pi.fish; then rm -f $(FISHCOMP)/anon-pi.fish; fi
	@if cmp -s anon-pi.1 $(MANDIR)/anon-pi.1; then rm -f $(MANDIR)/anon-pi.1; fi
	@for d in $(BINDIR) $(BASHCOMP) $(ZSHCOMP) $(FISHCOMP) $(MANDIR); do \
	  while [ "$$d" != "$(PREFIX)" ] && rmdir "$$d" 2>/dev/null; do d=$$(dirname "$$d"); done; \
	done
	@echo "anon-pi: removed the launcher, anon-pi-inv, the completion scripts and the man page from $(PREFIX)"
	@sh bin/uninstall-notes "$(CURDIR)"

# The whole suite. README "Tests" says what it needs and the variables that change it
# (CI, ANON_PI_REAL, ANON_PI_NETCAGE_BINS, ANON_PI_WHEELS, HYPOTHESIS_PROFILE).
test: $(VENV)/.dev
	$(PY) -m pytest -q

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check anonpi_helpers tests tasks.py

# the files generated from the command table (anonpi_helpers/core/command_table.py)
completions: $(VENV)/.runtime
	$(PY) -m anonpi_helpers.shell.generate completions

man: $(VENV)/.runtime
	$(PY) -m anonpi_helpers.shell.generate man anon-pi.1

# anon-pi's speed figures beside the floors; ANON_PI_BENCH_REF=<the original 0.16's
# dist/cli.js> adds the original and judges the goals (README "Speed").
bench: $(VENV)/.dev
	$(PY) bench/bench.py
