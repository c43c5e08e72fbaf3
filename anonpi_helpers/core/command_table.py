"""The one table of anon-pi's command line: every verb, sub-verb, flag and argument.

Everything that reads or shows a command line works from this table and nothing else: the
parser (core/command_line.py and the launch line in launch/grammar.py), `--help` and `help
<verb> [<sub-verb>]` (core/help_pages.py), the did-you-mean of unknown words, the bash, zsh
and fish completions (shell/completion_gen.py), the Invoke tasks (tasks.py) and the man page
(shell/man_page.py). A flag added here is parsed, documented, completed and scripted at once;
tests/quality/test_command_table.py fails when any of those lists drifts from it.

What no help page shows lives with its one reader, so `--help` loads nothing more: other
tools' words (core/verbs.py), pi's value and retired flags (launch/word_refusals.py), TAB-only
offers (shell/completion_gen.py), the launch's second Invoke task (tasks.py).

Pure data and lookups, no I/O. Records are namedtuples (a frozen dataclass costs start-up
time on every verb).

Adding what comes next is a few lines each:
- a verb: one `Command(...)` in COMMANDS and its entry in cli.py's ENTRIES;
- a flag for every verb (`-q/--quiet`, `--color=auto|always|never`): one `flag(...)` in
  COMMON (a fixed set of values is a tuple `kind`);
- a launch flag (`--web proxy|none|<list>`): one `flag(...)` in LAUNCH_OWN;
- completion of `help`'s topics or of pi's flags after a project: `offer=True` on the entry,
  or more entries in PI_AFTER.
"""

from collections import namedtuple

from .config_model import SETTING_KEYS

# Value kinds: how core/command_line.py checks (and names) a value, and what a TAB offers.
MACHINE, PROJECT, PROJECT_OR_ROOT, BOX = "machine", "project", "project|.", "box"
IMAGE, DIR, SNAPSHOT, SESSION, TEXT = "image", "dir", "snapshot", "session", "text"
VERB = "verb"  # help's topic
# `config set <key> <value>`: what a TAB offers for the value depends on the key before it
SETTING_VALUE = "setting value"
# where a jail starts: a project, `.` (the projects root), or a host folder given as a path
# (a word holding `/`, or `..`): that folder alone is mounted (launch/grammar.py)
WHERE = "project|.|path"
METAVARS = {MACHINE: "<machine>", PROJECT: "<project>", PROJECT_OR_ROOT: "<project>|.",
            WHERE: "<project>|.|<path>",
            BOX: "<box>", IMAGE: "<ref>", DIR: "<folder>", SNAPSHOT: "<name>", SESSION: "<id>",
            TEXT: "<value>", VERB: "<verb>"}


class Flag(namedtuple("Flag", ["names", "dest", "kind", "metavar", "help", "repeat",
                               "source"])):
    """One flag: its spellings (`-m`, `--machine`), where its value lands (`dest`), the kind of
    its value (None: a switch; a tuple: a fixed set of choices), how help shows the value, one
    line of help, whether it may be given more than once (then its value is a tuple), and
    what a TAB offers for its value (`source`: a kind, or None for a new name)."""

    __slots__ = ()

    @property
    def long(self) -> str:
        """The first long spelling (`--session`, not `--session-id`): what tasks write."""
        return next(n for n in self.names if n.startswith("--"))


class Arg(namedtuple("Arg", ["dest", "kind", "metavar", "help", "required", "source"])):
    """One positional argument, in command-line order (`source` as for a Flag)."""

    __slots__ = ()


class Command(namedtuple("Command", ["words", "summary", "args", "flags", "task", "offer",
                                     "hint"])):
    """One command: the words that name it (`("machine", "create")`; `()` for the launch
    itself), what it does in a user's words (completion descriptions, verb lists, the man
    page), its arguments and flags (COMMON ones included), the Invoke task that stands for it
    (None: no task), whether completion offers its words, and the hint an unknown flag or an
    extra argument gets (None: "see its --help")."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return " ".join(self.words) or "launch"

    def flag(self, spelled: str) -> Flag | None:
        return next((f for f in self.flags if spelled in f.names), None)


def _metavar(kind) -> str:
    return "|".join(kind) if isinstance(kind, tuple) else METAVARS[kind]


def flag(*names: str, help: str, kind=None, dest: str | None = None, metavar: str | None = None,
         repeat: bool = False, new: bool = False) -> Flag:
    """A Flag; `dest` defaults to the long name (`--dry-run` -> `dry_run`); `new`: its value
    names something that does not exist yet, so a TAB offers nothing for it."""
    if dest is None:
        dest = names[-1].lstrip("-").replace("-", "_")
    if metavar is None and kind is not None:
        metavar = _metavar(kind)
    return Flag(names, dest, kind, metavar, help, repeat, None if new else kind)


def arg(dest: str, kind, help: str, required: bool = True, metavar: str | None = None,
        new: bool = False) -> Arg:
    return Arg(dest, kind, metavar or _metavar(kind), help, required, None if new else kind)


HELP = flag("-h", "--help", help="show this help and do nothing else")
# pi 1.6.0 has no -q (its parser knows --verbose only), so `-q` is anon-pi's on the launch line
# too, wherever it stands before `--`, like `--color`
QUIET = flag("-q", "--quiet", help="no notes on stderr (errors, warnings and prompts stay)")
COLOR = flag("--color", kind=("auto", "always", "never"), dest="color",
             help="colour: auto (a terminal, unless NO_COLOR), always or never")
# every command takes these
COMMON = (HELP, QUIET, COLOR)
DRY_RUN = flag("--dry-run", help="print what would happen; create, change and remove nothing")
JSON = flag("--json", help="print one JSON document instead (keys in the README)")
YES = flag("-y", "--yes", help="do not ask for confirmation")
HERE = flag("--here", help="work on the current folder: only it is mounted, at /work/<its name>")
FORCE = flag("--force", help="pin it even when netcage's store does not hold the image")


def command(words: str, summary: str, args=(), flags=(), task: str | None = None,
            offer: bool = True, hint: str | None = None) -> Command:
    return Command(tuple(words.split()), summary, tuple(args), (*flags, *COMMON), task, offer,
                   hint)


# The launch's own flags: anon-pi's wherever they stand before `--`, also after the project.
LAUNCH_OWN = (
    flag("-m", "--machine", kind=MACHINE,
         help="machine to use (default: config.json's defaultMachine, else \"default\")"),
    flag("-i", "--image", kind=IMAGE, help="run this image once (only on an already-seeded home)"),
    flag("--mount", kind=DIR, help="mount this host folder at /work; projects are its subfolders"),
    HERE,
    flag("--shell", help="open bash in the jail instead of pi"),
    flag("--web", kind=TEXT, metavar="proxy|none|<names>",
         help="what the jail may reach on the web, this launch only: everything through the "
              "proxy, nothing, or only these names (github.com,*.pypi.org)"),
    flag("--dry-run", help="print the netcage command line and exit; creates nothing"),
)
# anon-pi's on the launch line wherever they stand before `--`: its own flags and the two
# common ones pi does not have (help is pi's after the target)
ANYWHERE = (*LAUNCH_OWN, QUIET, COLOR)
# Only before the launch target: after it, `-h`/`--help` and `--version` are pi's own.
LAUNCH_FIRST = (flag("-V", "--version", help="print anon-pi's version"),)
# pi's flags that name the launch target instead of a project: anon-pi reads them, pi gets them
PI_TARGETS = (
    flag("--session", "--session-id", kind=SESSION, dest="session",
         help="resume this conversation (its id or first characters) in its own project"),
    flag("-r", "--resume", help="pi's own picker of conversations (at the projects root)"),
    flag("--list-models", dest="list_models",
         help="ask pi which models it sees, then exit"),
)
# pi's flags after a project that anon-pi knows (offered by completion; they need a project)
PI_AFTER = (
    flag("-c", "--continue", dest="continue_", help="continue the project's last conversation"),
    flag("--fork", kind=SESSION, metavar="<session>",
         help="fork this conversation into a new one in the project"),
)
LAUNCH = command(
    "", "run pi in the jail",
    args=[arg("project", WHERE, "project folder name, `.` for the projects root, or a folder's "
              "path (`./repo`): only that folder is mounted", required=False)],
    flags=[*LAUNCH_OWN, *LAUNCH_FIRST], task="launch")

_M_FILTER = "only containers of this machine (default: every machine)"
# `anon-pi config`: the settings' names, and the machine whose machine.json holds two of them
_KEY = arg("key", SETTING_KEYS, "the setting: " + ", ".join(SETTING_KEYS), metavar="<key>")
_M_SETTINGS = flag("-m", "--machine", kind=MACHINE,
                   help="the machine whose image and projects to read or write (default: the "
                        "default machine)")

COMMANDS = (
    LAUNCH,
    command("init", "set up proxy, model, image, projects",
            flags=[flag("--force-allow-local-llm-api-key",
                        help="copy a real-looking api key of your local model into the jail")],
            task="init"),
    command("machine create", "make a machine: an image and a home",
            args=[arg("name", MACHINE, "the new machine's name", metavar="<name>", new=True)],
            flags=[flag("-i", "--image", kind=IMAGE,
                        help="image ref to pin (asked on a terminal when omitted)"), FORCE],
            task="machine-create"),
    command("machine list", "list machines and their images", flags=[JSON],
            task="machine-list"),
    command("machine set-image", "pin another image",
            args=[arg("name", MACHINE, "machine to re-pin"),
                  arg("image", IMAGE, "the new image ref")], flags=[FORCE],
            task="machine-set-image"),
    command("machine rm", "remove a machine and its home",
            args=[arg("name", MACHINE, "machine to remove")], flags=[YES, DRY_RUN],
            task="machine-rm"),
    command("image snapshot", "save a running jail as an image",
            args=[arg("name", SNAPSHOT, "snapshot name: the image becomes anon-pi/<name>:latest")],
            flags=[flag("-m", "--machine", kind=MACHINE,
                        help="only consider containers of this machine"),
                   flag("--create-machine", kind=MACHINE, metavar="<name>", new=True,
                        help="also create this machine pinned to the snapshot (home carried "
                             "over)"),
                   flag("--update-machine", kind=MACHINE,
                        help="also re-pin this existing machine to the snapshot (home "
                             "untouched)"),
                   flag("--json", help="print one JSON document instead: tag, id, "
                                       "sourceMachine, sourceImage, snapshotAt, pinnedMachine"),
                   DRY_RUN],
            task="snapshot"),
    command("image list", "list the snapshot images", flags=[JSON], task="images"),
    command("container create", "make a durable box that survives exit",
            args=[arg("name", BOX, "the box's name (its label anon-pi.container=<name>)",
                      metavar="<name>", new=True),
                  arg("project", WHERE,
                      "project folder the box starts in, `.` for the projects root, or a "
                      "folder's path (only that folder is mounted)", required=False)],
            flags=[flag("-i", "--image", kind=IMAGE,
                        help="run this image (only on an already-seeded home)"),
                   flag("-m", "--machine", kind=MACHINE, help="machine whose home the box mounts"),
                   flag("--mount", kind=DIR,
                        help="mount this host folder at /work; projects are its subfolders"),
                   HERE, flag("--shell", help="the box runs bash instead of pi"), DRY_RUN],
            task="container-create"),
    command("container enter", "start a stopped box again",
            args=[arg("name", BOX, "the stopped box to start again")], flags=[DRY_RUN],
            task="container-enter",
            hint="a box keeps the image, home and cwd it was created with: make a new box "
                 "(`anon-pi container create <name> ...`), or snapshot this one while it runs "
                 "(`anon-pi image snapshot <image>`)"),
    command("container list", "list the durable boxes", flags=[JSON], task="container-list"),
    command("container rm", "remove a durable box",
            args=[arg("name", BOX, "the box to remove")],
            flags=[flag("-y", "--yes", help="remove it even when it is running, without asking"),
                   DRY_RUN],
            task="container-rm"),
    command("forward", "reach a server in a running jail",
            args=[arg("project", PROJECT_OR_ROOT, "project whose container to reach",
                      required=False)],
            flags=[flag("-p", "--port", kind=TEXT, metavar="[host:]jail",
                        help="[host:]jail port (asked on a terminal when omitted)"),
                   flag("--bind", kind=("127.0.0.1", "0.0.0.0"),
                        help="bind this host only (netcage's default) or every interface"),
                   flag("-m", "--machine", kind=MACHINE, help=_M_FILTER)],
            task="forward"),
    command("ports", "list servers in a running jail",
            args=[arg("project", PROJECT_OR_ROOT, "project whose container to inspect",
                      required=False)],
            flags=[flag("-m", "--machine", kind=MACHINE, help=_M_FILTER), JSON],
            task="ports"),
    command("egress", "show what left the jails: names looked up, connections made",
            args=[arg("project", PROJECT_OR_ROOT, "only this project's sessions",
                      required=False)],
            flags=[flag("-m", "--machine", kind=MACHINE,
                        help="only this machine's sessions (default: every machine)"),
                   flag("--session", kind=TEXT, metavar="<id>",
                        help="only this session (its id or first characters)"),
                   flag("--json", help="print one JSON document instead: sessions, each with "
                                       "its lookups and connections")],
            task="egress"),
    command("--delete-home", "delete a machine's home",
            args=[arg("machine", MACHINE, "machine whose home to delete (default: the default "
                      "machine)", required=False)],
            flags=[YES, DRY_RUN], task="delete-home"),
    command("--delete-project", "delete a project and its conversations",
            args=[arg("project", PROJECT, "project to delete")], flags=[YES, DRY_RUN],
            task="delete-project"),
    command("config show", "every setting, its value and where it comes from",
            flags=[_M_SETTINGS, flag("--json", help="print one JSON document instead: machine, "
                                                   "settings [{key, value, source, where}]")],
            task="config-show"),
    command("config get", "print one setting's effective value", args=[_KEY],
            flags=[_M_SETTINGS], task="config-get"),
    command("config set", "store a setting in config.json (or machine.json)",
            args=[_KEY, Arg("value", TEXT, "<value>", "the new value, checked as init checks it",
                            True, SETTING_VALUE)],
            flags=[_M_SETTINGS, flag("--force", help="pin an image netcage's store does not "
                                                    "hold (key image)"), DRY_RUN],
            task="config-set"),
    command("config unset", "remove a setting from its file (its default applies again)",
            args=[_KEY], flags=[_M_SETTINGS, DRY_RUN], task="config-unset"),
    command("config path", "print the files the settings live in", flags=[_M_SETTINGS],
            task="config-path"),
    command("doctor", "check what a launch needs",
            flags=[flag("--here", help="also check what a launch on the current folder mounts"),
                   JSON], task="doctor"),
    command("completions", "print a shell completion script",
            args=[arg("shell", ("bash", "zsh", "fish"), "the shell to print the script for")],
            task="completions"),
    command("help", "help for one verb or sub-verb (as `<verb> ... --help`)",
            args=[arg("topic", VERB, "a verb, and one of its sub-verbs", required=False,
                      metavar="<verb> [<sub-verb>]")]),
    command("version", "print anon-pi's version"),
)

# Groups of sub-verbs: their word and what they are about (their own help page).
GROUPS = {
    "machine": "machines: an image pin plus a persistent home",
    "image": "snapshot a running jail into an image, and list those images",
    "container": "durable named boxes: a jail that survives exit",
    "config": "see and change the settings of config.json and machine.json",
}


def subs(group: str) -> tuple[Command, ...]:
    """The sub-verbs of a group (`machine` -> create, list, set-image, rm)."""
    return tuple(c for c in COMMANDS if len(c.words) == 2 and c.words[0] == group)
