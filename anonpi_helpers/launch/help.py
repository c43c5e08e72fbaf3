"""The launch help (kept out of cli.py so `--help` imports nothing else)."""

LAUNCH_HELP = """\
anon-pi - run the pi coding agent inside a netcage jail: every connection leaves through
your socks5h proxy (fail-closed); one direct hole reaches your local model.

Usage:
  anon-pi                               menu: pick a project, `.`, a new project or a shell
  anon-pi <project> [pi args...]        pi in /projects/<project> (args go to pi verbatim)
  anon-pi . [pi args...]                pi at the projects root (/projects)
  anon-pi --shell [<project>|.]         a jailed bash instead of pi
  anon-pi pi <args...>                  pi with no project (e.g. `anon-pi pi --version`)
  anon-pi <pi flag> [...]               the same: a leading flag anon-pi does not own goes to
                                        pi with the rest (`anon-pi -p "hi"`, `--model qwen3`)
  anon-pi --session <id> [pi args...]   resume a conversation in its own project folder:
                                        <id> or its first characters (one match needed)
  anon-pi --session-id <id> [...]       the same, passed to pi as its --session-id
  anon-pi -r|--resume [pi args...]      pi's own picker of conversations (projects root)
  anon-pi <project> -r                  pi's picker in that project
  anon-pi --list-models|--models [...]  ask pi which models it sees, then exit
  anon-pi <project> -c|--fork <id>      continue or fork a conversation (needs a project or .)

Launch flags (before the project):
  -m, --machine <name>   machine to use (default: config defaultMachine, else "default")
  -i, --image <ref>      run this image once (only on an already-seeded home)
  --mount <folder>       mount <folder> at /work and work on its subfolders
  --shell                open bash instead of pi
  --dry-run              print the netcage command line and exit (creates nothing)
  -h, --help             this help;  -V, --version  anon-pi's version

Headless pi calls (-p/--print, --list-models, --version, --help, --export) need no terminal.
`-p ... --mode text-stream` shows the run live on stderr (text, tool calls, errors, retries)
and prints only the final answer on stdout; a failed last turn exits 1.

Verbs:
  anon-pi init                          onboarding: proxy, local model, image, projects root
  anon-pi machine create|list|set-image|rm ...   (machine list [--json])
  anon-pi image snapshot <name> [--create-machine|--update-machine <m>] | image list
  anon-pi container create|enter|list|rm ...   durable named boxes that survive exit
  anon-pi forward [<project>] [--port [host:]jail] [--bind addr] [-m <m>]
  anon-pi ports [<project>] [-m <m>] [--json]
  anon-pi --delete-home [<machine>] [--yes]
  anon-pi --delete-project <project> [--yes]
  anon-pi doctor [--json]               check netcage, proxy, model, image and workspace
  anon-pi completions bash|zsh|fish     print a completion script
  anon-pi help [<verb> [<subcommand>]]  help for one verb (same as `<verb> ... --help`)
  anon-pi version                       anon-pi's version

Settings (environment wins over ~/.anon-pi/config.json):
  ANON_PI_PROXY     socks5h://host:port (e.g. Tor socks5h://127.0.0.1:9050)
  ANON_PI_LLM       the model's private IP:port (e.g. 192.168.1.150:8080)
  ANON_PI_IMAGE     fallback image when a machine has none pinned
  ANON_PI_HOME      the workspace (default ~/.anon-pi)
  ANON_PI_PROJECTS  the projects root (default $ANON_PI_HOME/projects)

pi runs with PI_OFFLINE=1 PI_TELEMETRY=0 (no update check, no install report, no
downloads: it talks to your model only); `"piNetwork": true` in config.json turns that off.

Every launch is throwaway: the container is removed on exit; the machine home
(~/.anon-pi/machines/<m>/home) and your project folders stay on the host. To keep
one, make it a box: `anon-pi container create <name> [<project>]`.
"""
