"""pi's session-folder naming: one folder per container cwd, identical on every machine."""


def session_slug(cwd: str) -> str:
    """`/projects/alpha` -> `--projects-alpha--` (pi's own rule)."""
    body = cwd.removeprefix("/")
    for ch in "/\\:":
        body = body.replace(ch, "-")
    return f"--{body}--"


def project_slug(project: str, mounted: bool = False) -> str:
    """The slug of a project's conversations; `/work/<p>` under --mount."""
    root = "/work" if mounted else "/projects"
    return session_slug(root if project == "." else f"{root}/{project}")
