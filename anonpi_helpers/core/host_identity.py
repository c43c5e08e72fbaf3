"""A bind mount's host path is visible in the jail's /proc/self/mountinfo, so a path that
holds the login name shows it to the agent (docs/design.md, rule 17)."""

IDENTITY_NOTE = (
    "note: these host paths show your login name or home path, and every mounted path is\n"
    "  readable inside the jail (/proc/self/mountinfo), so the agent and every site it talks\n"
    "  to could learn it:\n{paths}"
)
NEUTRAL_ROOT = "/srv/anon-pi"


def root_step(login: str, folder: str = NEUTRAL_ROOT) -> str:
    """The one command a user runs, once, to get a neutral folder of their own."""
    return f"sudo install -d -o {login} -m 700 {folder}"


def names_user(path: str, login: str | None, home: str | None) -> bool:
    """True when `path` shows the login name (as a path component) or the home path."""
    parts = [p for p in path.split("/") if p]
    if login and any(login in p for p in parts):
        return True
    home = (home or "").rstrip("/")
    return bool(home) and (path == home or path.startswith(home + "/"))


def netcage_temp_dir(env) -> str:
    """Where netcage writes the files it mounts into the jail: Go's os.TempDir()."""
    return (env.get("TMPDIR") or "").strip() or "/tmp"


def neutral_tmp_path(uid: int) -> str:
    """The private temp folder anon-pi gives netcage instead of one that names the user."""
    return f"/tmp/anon-pi-tmp-{uid}"
