"""The I/O edge for `~/.anon-pi`: paths, JSON reads, atomic writes, symlink-safe deletes."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core import jsonfmt
from ..core.config_model import CONFIG_KEYS, MACHINE_KEYS
from ..core.errors import AnonPiError
from ..core.resolve import absolute_env

SEED_MARKER = Path(".pi/agent/.anon-pi-seed")
SESSIONS = Path(".pi/agent/sessions")


def workspace_root(env: Mapping[str, str], home: str) -> str:
    """`ANON_PI_HOME` (`~` expanded, must be absolute) or `~/.anon-pi`."""
    return (absolute_env(env, "ANON_PI_HOME", home,
                          "ANON_PI_HOME=~/.anon-pi or ANON_PI_HOME=/srv/anon-pi")
            or os.path.join(home, ".anon-pi"))


def user_home(env=None) -> str:
    env = os.environ if env is None else env
    return env.get("HOME") or os.path.expanduser("~")


@dataclass(frozen=True)
class Workspace:
    """The paths of one workspace (`~/.anon-pi` or ANON_PI_HOME)."""

    root: Path

    @classmethod
    def from_env(cls, env=None) -> "Workspace":
        env = os.environ if env is None else env
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
        return (self.home(machine) / SEED_MARKER).exists()

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


def write_text_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Temp file in the same folder, fsync, rename: readers see the old or the new file."""
    import tempfile  # only writers pay for it (random, hashing), not every reader

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_json_atomic(path: Path, obj, known: tuple[str, ...] = (), mode: int = 0o644) -> None:
    write_text_atomic(path, jsonfmt.dumps(obj, known), mode)


def is_dir_no_follow(path: Path) -> bool:
    """A real directory, not a symlink to one."""
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def remove_no_follow(path: Path, boundaries: tuple[Path, ...]) -> None:
    """Delete `path`: a symlink only loses its link; a real tree must sit inside a boundary.

    rmtree never follows symlinks inside the tree, so nothing outside is ever touched.
    """
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
        return
    if not path.exists():
        return
    real = Path(os.path.realpath(path))
    if not any(real == Path(os.path.realpath(b)) or
               Path(os.path.realpath(b)) in real.parents for b in boundaries):
        raise AnonPiError(f"refusing to delete {path}: it resolves outside the workspace ({real}).")
    import shutil

    shutil.rmtree(path)


def symlink_in_chain(base: Path, rel: Path) -> Path | None:
    """The first of `base`, `base/<rel parts>...` that is a symlink (lstat), else None.

    The host walks a jail-writable tree (a machine home) only when this is None (ruling 15).
    """
    path = base
    for part in (None, *rel.parts):
        path = path if part is None else path / part
        if path.is_symlink():
            return path
    return None
