"""Who the jail says it is: the git identity a machine home gets and the timezone and locale
the jail runs with. None of them is the user's: a commit, a log line or a date the agent
writes must not carry the user's name, address, timezone or language.

machine.json may choose them per machine (`gitIdentity`, `timezone`, `locale`); a value that
could not be what it says is refused before anything is created, like a bad image ref.
Pure: the edge (edges/git_identity.py) reads and writes the home's files.
"""

import re
from collections import namedtuple

from .config_model import str_field
from .errors import AnonPiError
from .names import quoted

DEFAULT_IDENTITY = "anon <anon@localhost>"
DEFAULT_TZ = "UTC"
# C.UTF-8 ships with glibc (Debian's node images included) and musl: UTF-8 text for pi,
# node and bash, and no language, region or date format of anybody's
DEFAULT_LOCALE = "C.UTF-8"

# The checks of machine.json's values, compiled on first use (re keeps them): a machine with
# none of these keys (the defaults need no check) compiles none, 0.25 ms of every launch.
_IDENTITY = r"([^<>]+?)\s*<([^<>\s]+)>"
# IANA names (Europe/Berlin, Etc/GMT+3) and POSIX forms (UTC, EST5EDT, :Europe/Paris)
_TZ = r":?[A-Za-z][A-Za-z0-9_+\-/.,:<>]{0,63}"
# C.UTF-8, en_US.UTF-8, de_DE@euro, POSIX
_LOCALE = r"[A-Za-z][A-Za-z0-9_.@\-]{0,63}"


class GitIdentity(namedtuple("GitIdentity", ["name", "email"])):
    """`user.name` and `user.email` as git writes them into a commit."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


DEFAULT_GIT_IDENTITY = GitIdentity("anon", "anon@localhost")  # DEFAULT_IDENTITY, parsed


class JailLooks(namedtuple("JailLooks", ["identity", "tz", "locale", "chosen"])):
    """What a machine's jail shows: `chosen` names the machine.json keys that set a value
    (the rest are anon-pi's defaults)."""

    __slots__ = ()

    @property
    def env(self) -> tuple[str, ...]:
        """The `-e` values of the netcage argv, in argv order."""
        return (f"TZ={self.tz}", f"LANG={self.locale}")


def _refuse(key: str, machine: str, value: str, example: str) -> AnonPiError:
    return AnonPiError(f"machine.json of machine {quoted(machine)}: {key} {quoted(value)} "
                       "is not a valid value.",
                       f'fix or remove it in machines/{machine}/machine.json, e.g. "{key}": '
                       f'"{example}"')


def _printable(value: str) -> bool:
    return all(ch.isprintable() for ch in value)


def parse_identity(value: str) -> GitIdentity | None:
    """`Name <email>` as git prints an identity; None when it is not one."""
    m = re.fullmatch(_IDENTITY, value.strip())
    if not m or not _printable(value) or len(value) > 200:
        return None
    return GitIdentity(m.group(1).strip(), m.group(2))


def jail_looks(machine_cfg: dict | None, machine: str) -> JailLooks:
    """The identity, TZ and locale of `machine`'s jail: machine.json's, else the defaults.
    A blank or non-string value counts as absent, as for every machine.json key."""
    chosen = tuple(k for k in ("gitIdentity", "timezone", "locale")
                   if str_field(machine_cfg, k))
    raw = str_field(machine_cfg, "gitIdentity")
    identity = parse_identity(raw) if raw else DEFAULT_GIT_IDENTITY
    if identity is None:
        raise _refuse("gitIdentity", machine, raw, DEFAULT_IDENTITY)
    tz = str_field(machine_cfg, "timezone") or DEFAULT_TZ
    if tz != DEFAULT_TZ and not re.fullmatch(_TZ, tz):
        raise _refuse("timezone", machine, tz, "Etc/UTC")
    locale = str_field(machine_cfg, "locale") or DEFAULT_LOCALE
    if locale != DEFAULT_LOCALE and not re.fullmatch(_LOCALE, locale):
        raise _refuse("locale", machine, locale, DEFAULT_LOCALE)
    return JailLooks(identity, tz, locale, chosen)


_SECTION = re.compile(r'\s*\[\s*([A-Za-z0-9.-]+)\s*(?:"(?:[^"\\]|\\.)*"\s*)?\]')
_KEY = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$")


def _value(raw: str | None) -> str:
    """A git config value as written: comments cut, quotes and escapes undone, whitespace
    outside quotes trimmed at both ends."""
    if raw is None:
        return ""
    out, quoted_, i, kept = [], False, 0, 0  # kept: the length up to the last char that counts
    raw = raw.lstrip()
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[i + 1], raw[i + 1]))
            i += 2
            kept = len(out)
            continue
        if ch == '"':
            quoted_ = not quoted_
        elif ch in "#;" and not quoted_:
            break
        else:
            out.append(ch)
            if quoted_ or not ch.isspace():
                kept = len(out)
        i += 1
    return "".join(out[:kept])


def config_identity(text: str) -> tuple[str | None, str | None, bool]:
    """(user.name, user.email, includes) of a git config file's text, the last setting of
    each winning as in git; `includes` is True when the file pulls in other files (which
    may set either, so anon-pi must not decide for them)."""
    name = email = None
    includes = False
    section = ""
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            base = header.group(1).lower()
            includes |= base in ("include", "includeif")
            section = base if '"' not in header.group(0) else base + ".sub"
            line = line[header.end():]
        key = _KEY.match(line)
        if not key or line.lstrip().startswith(("#", ";")):
            continue
        if section == "user" and key.group(1).lower() == "name":
            name = _value(key.group(2))
        elif section == "user" and key.group(1).lower() == "email":
            email = _value(key.group(2))
    return name, email, includes


def has_identity(*texts: str | None) -> bool:
    """Whether git config files (None: absent) already decide who commits: a user.name or
    user.email in any of them, or an include that might hold one."""
    for text in texts:
        if text is None:
            continue
        name, email, includes = config_identity(text)
        if name is not None or email is not None or includes:
            return True
    return False


def _gitconfig_value(value: str) -> str:
    """A value git reads back exactly: backslashes and quotes escaped, quoted when a comment
    character or edge whitespace would otherwise change it."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if escaped != value or any(c in value for c in "#;") or value != value.strip():
        return f'"{escaped}"'
    return value


def user_section(identity: GitIdentity) -> str:
    """The `[user]` section anon-pi adds to a home that has no identity of its own."""
    return (f"[user]\n\tname = {_gitconfig_value(identity.name)}\n"
            f"\temail = {_gitconfig_value(identity.email)}\n")


def with_identity(existing: str | None, identity: GitIdentity) -> str:
    """The home's ~/.gitconfig with anon-pi's identity: a new file, or the user's lines kept
    exactly as they are with the section added after them."""
    if not existing:
        return user_section(identity)
    sep = "" if existing.endswith("\n") else "\n"
    return f"{existing}{sep}{user_section(identity)}"
