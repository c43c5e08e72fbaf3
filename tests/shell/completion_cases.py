"""The partial lines the completion tests type in bash, zsh and fish, each with exactly what a
TAB must offer for it, against 2 machines and 3 projects (completions_support.make_workspace)."""

SHELLS = ["bash", "zsh", "fish"]

TOP_WORDS = ["completions", "config", "container", "doctor", "egress", "forward", "help", "image",
             "init", "machine", "ports", "version"]
# after the launch target: anon-pi's own launch flags, pi's -c/--continue and --fork, and the
# pi flags the README shows
AFTER_SHORT = ["-m", "-i", "-q", "-c", "-p", "-n", "-r"]
AFTER_LONG = ["--machine", "--image", "--mount", "--here", "--shell", "--web", "--dry-run",
              "--quiet", "--color", "--continue", "--fork", "--print", "--mode", "--model",
              "--thinking", "--name", "--resume", "--session", "--session-id", "--no-session",
              "--export"]
# (partial line, exactly what is offered) against 2 machines and 3 projects
CASES = [
    ("anon-pi ma", ["machine"]),
    ("anon-pi machine ", ["create", "list", "rm", "set-image"]),
    ("anon-pi machine s", ["set-image"]),
    ("anon-pi -m ", ["box", "default"]),
    ("anon-pi --machine d", ["default"]),
    ("anon-pi --shell re", ["recon", "report"]),
    ("anon-pi -m box --shell ", [".", "recon", "report", "web"]),
    ("anon-pi image s", ["snapshot"]),
    ("anon-pi image ", ["list", "snapshot"]),
    ("anon-pi image snapshot tb -m ", ["box", "default"]),
    ("anon-pi forward ", [".", "recon", "report", "web"]),
    ("anon-pi forward --port 3001 -m b", ["box"]),
    ("anon-pi ports w", ["web"]),
    ("anon-pi machine rm ", ["box", "default"]),
    ("anon-pi machine set-image d", ["default"]),
    ("anon-pi --delete-home ", ["box", "default"]),
    ("anon-pi --delete-project r", ["recon", "report"]),
    ("anon-pi completions ", ["bash", "fish", "zsh"]),
    ("anon-pi config ", ["get", "path", "set", "show", "unset"]),
    ("anon-pi config set ", ["defaultMachine", "gitIdentity", "image", "isolation", "llm",
                             "locale", "piNetwork", "projects", "proxy", "timezone", "web"]),
    ("anon-pi config get pi", ["piNetwork"]),
    ("anon-pi config set isolation ", ["machine", "none", "project"]),
    ("anon-pi config set piNetwork ", ["false", "true"]),
    ("anon-pi config set defaultMachine ", ["box", "default"]),
    ("anon-pi config set -m box proxy ", []),
    ("anon-pi config show -m ", ["box", "default"]),
    ("anon-pi ", [".", *TOP_WORDS, "recon", "report", "web"]),
    ("anon-pi --d", ["--delete-home", "--delete-project", "--dry-run"]),
    ("anon-pi machine rm box --", ["--color", "--dry-run", "--help", "--quiet", "--yes"]),
    ("anon-pi machine -", ["-h", "--help", "-q", "--quiet", "--color"]),
    ("anon-pi -m box ", [".", "recon", "report", "web"]),
    ("anon-pi recon ", []),
    ("anon-pi machine create ", []),
    ("anon-pi --s", ["--session", "--session-id", "--shell"]),
    ("anon-pi -m box --re", ["--resume"]),
    ("anon-pi -r", ["-r"]),
    ("anon-pi recon -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi -m box . --", AFTER_LONG),
    ("anon-pi --se", ["--session", "--session-id"]),
    ("anon-pi --session abc -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi --l", ["--list-models"]),
    ("anon-pi --mo", ["--mount"]),
    ("anon-pi --fork abc ", []),
    ("anon-pi machine list --", ["--color", "--help", "--json", "--quiet"]),
    ("anon-pi ports --j", ["--json"]),
    ("anon-pi image list --j", ["--json"]),
    ("anon-pi -i ", []),  # no image cache yet: nothing, and no netcage call
    ("anon-pi container ", ["create", "enter", "list", "rm"]),
    ("anon-pi container create dev -m ", ["box", "default"]),
    ("anon-pi container create dev ", [".", "recon", "report", "web"]),
    ("anon-pi container list -", ["-h", "--help", "--json", "-q", "--quiet", "--color"]),
    ("anon-pi container rm dev --", ["--color", "--dry-run", "--help", "--quiet",
                                    "--yes"]),
    ("anon-pi image snapshot tb --update-machine ", ["box", "default"]),
    # anon-pi's own flags after the project are anon-pi's, and complete as such
    ("anon-pi recon -m ", ["box", "default"]),
    ("anon-pi recon -p hi --machine d", ["default"]),
    ("anon-pi --dry-run machine rm ", ["box", "default"]),
    ("anon-pi -m box ports ", [".", "recon", "report", "web"]),
    ("anon-pi forward --bind ", ["0.0.0.0", "127.0.0.1"]),
    ("anon-pi image snapshot tb --create-machine ", []),  # a new machine's name
    # help's topics: the verbs, then a group's sub-verbs; `version` is a verb of its own
    ("anon-pi help ", ["completions", "config", "container", "doctor", "egress", "forward",
                       "image", "init", "machine", "ports", "version"]),
    ("anon-pi help m", ["machine"]),
    ("anon-pi help machine ", ["create", "list", "rm", "set-image"]),
    ("anon-pi help container e", ["enter"]),
    ("anon-pi help --d", ["--delete-home", "--delete-project"]),
    ("anon-pi h", ["help"]),
    ("anon-pi v", ["version"]),
    # pi's flags after a project or a folder, with their values where they have a fixed set
    ("anon-pi recon --mo", ["--mode", "--model", "--mount"]),
    ("anon-pi recon -p hi --mode ", ["json", "rpc", "text", "text-stream"]),
    ("anon-pi recon --thinking h", ["high"]),
    ("anon-pi recon --model ", []),
    ("anon-pi ./repo --c", ["--color", "--continue"]),
    ("anon-pi --here -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi --here --th", ["--thinking"]),
    # anon-pi's launch flags: their values wherever they stand
    ("anon-pi --here -m ", ["box", "default"]),
    ("anon-pi -i anon-pi/x:1 -m b", ["box"]),
    ("anon-pi --dry-run --shell ", [".", "recon", "report", "web"]),
    ("anon-pi container create dev --", ["--color", "--dry-run", "--help", "--here", "--image",
                                         "--machine", "--mount", "--quiet", "--shell"]),
    ("anon-pi doctor --", ["--color", "--help", "--here", "--json", "--quiet"]),
]
# bash and zsh glob the folders that start with the typed word (fish matches its own way)
GLOB_CASES = [
    ("anon-pi x", []),  # no folder matches the prefix: nothing, not the glob pattern itself
    ("anon-pi r*", []),  # the typed word is literal, never a pattern
    ("anon-pi -m .", []),  # a hidden folder is never a machine
    ("anon-pi -m b", ["box"]),
]
