"""Ruling 27: a bind mount's host path is visible in the jail's /proc/self/mountinfo."""

IDENTITY_NOTE = (
    "note: {path} contains your login name or home path, and a mounted path is readable\n"
    "  inside the jail (/proc/self/mountinfo). For full anonymity move the workspace to a\n"
    "  neutral path (ANON_PI_HOME=/srv/anon-pi, created once with sudo and owned by you)\n"
    "  or use a neutral projects root."
)


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
