"""The I/O edge for `~/.anon-pi`: paths, JSON reads, atomic writes (deletes: safe_tree)."""

import os
from collections import namedtuple
from collections.abc import Mapping
from pathlib import Path

from ..core import jsonfmt
from ..core.config_model import CONFIG_KEYS, MACHINE_KEYS
from ..core.errors import AnonPiError
from ..core.mount_safety import home_problem, projects_problem
from ..core.names import check_utf8
from ..core.resolve import absolute_env

SEED_MARKER = Path(".pi/agent/.anon-pi-seed")
SESSIONS = Path(".pi/agent/sessions")


def workspace_root(env: Mapping[str, str], home: str) -> str:
    """`ANON_PI_HOME` (`~` expanded, must be absolute) or `~/.anon-pi`."""
    return (absolute_env(env, "ANON_PI_HOME", home,
                          "ANON_PI_HOME=~/.anon-pi or ANON_PI_HOME=/srv/anon-pi")
            or os.path.join(home, ".anon-pi"))


def user_home(env: Mapping[str, str]) -> str:
    """The run's $HOME, else the password file's home folder."""
    return check_utf8(env.get("HOME") or password_home(), "HOME")


def password_home() -> str:
    """This user's home in the password file: what os.path.expanduser("~") finds when there
    is no $HOME, asked directly because expanduser would read this process's own $HOME, not
    the run's (core/io_context.py). `~` itself when there is no entry, as expanduser says."""
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        return "~"


class Workspace(namedtuple("Workspace", ["root"])):
    """The paths of one workspace (`~/.anon-pi` or ANON_PI_HOME); `root` is a Path."""

    __slots__ = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Workspace":
        return cls(Path(workspace_root(env, user_home(env))))

    @property
    def config_path(self) -> Path:
        return self.root / "config.json"

    @property
    def machines_dir(self) -> Path:
        return self.root / "machines"

    @property
    def default_projects(self) -> Path:
        return self.root / "projects"

    @property
    def global_models(self) -> Path:
        return self.root / "models.json"

    @property
    def global_settings_seed(self) -> Path:
        return self.root / "settings-seed.json"

    def machine_dir(self, machine: str) -> Path:
        return self.machines_dir / machine

    def machine_json(self, machine: str) -> Path:
        return self.machine_dir(machine) / "machine.json"

    def home(self, machine: str) -> Path:
        return self.machine_dir(machine) / "home"

    def sessions_dir(self, machine: str) -> Path:
        return self.home(machine) / SESSIONS

    def is_seeded(self, machine: str) -> bool:
        """The marker is a regular file reached through no link: the jail writes that tree,
        and a link planted at (or above) the marker means "not seeded". The fd walker loads
        only here: a plain launch never asks."""
        from .safe_tree import is_regular

        return is_regular(self.root, Path("machines", machine, "home") / SEED_MARKER)

    def models_seed(self, machine: str) -> Path | None:
        """Per-machine seed wins over the global one; None when neither exists."""
        for p in (self.machine_dir(machine) / "models.json", self.global_models):
            if p.is_file():
                return p
        return None

    def settings_seed(self, machine: str) -> Path | None:
        for p in (self.machine_dir(machine) / "settings-seed.json", self.global_settings_seed):
            if p.is_file():
                return p
        return None

    def read_config(self) -> dict | None:
        return read_json_object(self.config_path)

    def read_machine(self, machine: str) -> dict | None:
        return read_json_object(self.machine_json(machine))

    def write_config(self, obj: dict) -> None:
        write_json_atomic(self.config_path, obj, CONFIG_KEYS)

    def write_machine(self, machine: str, obj: dict) -> None:
        write_json_atomic(self.machine_json(machine), obj, MACHINE_KEYS)


def read_json_object(path: Path) -> dict | None:
    """None when the file is missing; a one-line error naming it when it is not an object."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnonPiError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return jsonfmt.loads_object(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise AnonPiError(
            f"{path} is not a valid JSON object; refusing to guess.",
            "fix or remove that file (anon-pi never overwrites it silently)",
        ) from None


def write_text_atomic(path: Path, text: str, mode: int = 0o644, durable: bool = True) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: readers see the old or
    the new file, and after a crash the rename is on disk too. `durable=False` (a cache that
    is only a hint) skips both fsyncs: readers still see the old or the new file, but after a
    crash the file may be the old one, empty or cut short, so its reader must treat a bad
    file as none (the two fsyncs cost 2-3 ms of every `image list` here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        write_bytes_at(folder, path.name, text.encode("utf-8"), mode, durable)
    finally:
        os.close(folder)


def write_bytes_at(folder: int, name: str, data: bytes, mode: int = 0o644,
                   durable: bool = True) -> None:
    """The atomic write relative to an open folder: the temp file is created O_EXCL and
    O_NOFOLLOW in that folder, so a link planted there is never written through."""
    tmp = f".{name}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600, dir_fd=folder)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=folder)
        except FileNotFoundError:
            pass
        raise
    if durable:
        os.fsync(folder)


def write_json_atomic(path: Path, obj, known: tuple[str, ...] = (), mode: int = 0o644) -> None:
    write_text_atomic(path, jsonfmt.dumps(obj, known), mode)


def is_dir_no_follow(path: Path) -> bool:
    """A real directory, not a symlink to one."""
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def mount_problem(workspace: Path, *, projects: str | None = None,
                  what: str = "the projects root", home: str | None = None
                  ) -> tuple[str, str] | None:
    """(why, fix) for a projects root / --mount folder / machine home that exposes the
    workspace, compared as real paths so a symlink cannot disguise one; None when safe."""
    real = os.path.realpath(workspace)
    return ((projects and projects_problem(what, os.path.realpath(projects), real))
            or (home and home_problem(os.path.realpath(home), real)) or None)


def check_mount_safe(workspace: Path, refusal: str = "refusing to mount it", **folders) -> None:
    """The refusal form of mount_problem: one line naming both paths and the fix."""
    problem = mount_problem(workspace, **folders)
    if problem:
        raise AnonPiError(f"{problem[0]}; {refusal}. Fix: {problem[1]}.")
