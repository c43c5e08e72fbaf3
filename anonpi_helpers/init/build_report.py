"""What init says when an image build fails: the step it stopped at and the builder's last
lines, in one report (the webveil image's build can fail on a package its registry lacks).
Pure."""

import re

STEP = re.compile(r"^STEP \d+/\d+: ")
SHOWN_LINES = 4


def failed_step(output: str) -> str | None:
    """The last `STEP n/m: ...` line podman (under netcage build too) printed: where it stopped."""
    steps = [ln.strip() for ln in output.splitlines() if STEP.match(ln.strip())]
    return steps[-1] if steps else None


def last_lines(output: str, count: int = SHOWN_LINES) -> list[str]:
    return [ln.rstrip() for ln in output.splitlines() if ln.strip()][-count:]


def report(tag: str, call: str, code: int | None, output: str) -> str:
    """`anon-pi: building <tag> failed at STEP 3/7: RUN ... (`netcage build`, exit 1); its
    last lines:` and those lines indented; nothing of the image was tagged."""
    step = failed_step(output)
    where = f" at {step}" if step else ""
    status = "could not be started" if code is None else f"exit {code}"
    lines = last_lines(output)
    text = f"anon-pi: building {tag} failed{where} (`{call}`, {status}); {tag} was not written."
    if lines:
        text += "\n  its last lines:\n" + "\n".join(f"    {ln}" for ln in lines)
    return text
