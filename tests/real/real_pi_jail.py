"""The real pi, run with a launch argv's own mounts: a seeded workspace, the mounts and
command of a `--dry-run` line, and that line replayed in a private namespace
(tests/real/jail_run.py)."""

import os
import shutil
import subprocess
from pathlib import Path

from real_support import need

PI_PREFIX = Path(os.environ.get("ANON_PI_REAL_PREFIX", "/opt/anon-pi-real"))
JAIL_RUN = Path(__file__).with_name("jail_run.py")
MODELS = ("qwen3-coder-30b", "gemma-3-12b")  # what the tests' init would have seeded


def pi_env() -> dict[str, str]:
    """PATH entries that run the real pi on node >= 22.19 (setup-real.sh's npm prefix)."""
    bindir = PI_PREFIX / "node_modules" / ".bin"
    need(None if (bindir / "pi").exists() and (bindir / "node").exists()
         else f"no real pi in {bindir}")
    return {"PATH": f"{bindir}:/usr/bin:/bin"}


def seed_workspace(cli, port: int, default: str = MODELS[0]) -> None:
    """A configured workspace with a loopback model and the seed files init writes for it."""
    from anonpi_helpers.core.addresses import jail_llm_base_url
    from anonpi_helpers.core.jsonfmt import dumps
    from anonpi_helpers.init.models_listing import minimal_entry
    from anonpi_helpers.init.models_seed import models_doc, settings_seed_doc

    llm = f"127.0.0.1:{port}"
    cli.configure(llm=llm)
    doc = models_doc("openai-completions", "none", jail_llm_base_url(llm),
                     [minimal_entry(m) for m in MODELS])
    (cli.ws / "models.json").write_text(dumps(doc), encoding="utf-8")
    (cli.ws / "settings-seed.json").write_text(dumps(settings_seed_doc(default, list(MODELS))),
                                               encoding="utf-8")


def jail_spec(dry_run_line: str) -> dict:
    """The mounts, cwd and container command of a `--dry-run` netcage line."""
    import shlex

    argv = shlex.split(dry_run_line)
    assert argv[:2] == ["netcage", "run"], argv
    mounts, i = [], 2
    while argv[i] not in ("-w",):
        if argv[i] == "-v":
            src, dst, *opt = argv[i + 1].split(":")
            mounts.append([src, dst, opt == ["ro"]])
            i += 2
        else:
            i += 1
    cwd, command = argv[i + 1], argv[i + 3:]  # -w <cwd> <image> <command...>
    assert command[:2] == ["sh", "-c"], command
    return {"mounts": mounts, "cwd": cwd, "argv": command, "interactive": "-it" in argv}


def run_in_jail(tmp: Path, dry_run_line: str, port: int, *, strace: Path | None = None,
                pty: list[tuple[str, str]] | None = None, linger: float = 0,
                timeout: float = 120) -> dict:
    """Run a `--dry-run` line's `sh -c` script with exactly its mounts, chrooted in a private
    mount + network namespace (tests/real/jail_run.py), the model served at 169.254.1.1.
    With `pty` ([regex, keys] steps), pi runs in a terminal: each regex awaited, then its keys
    sent; `ui` says whether every step matched. Then `linger` seconds more (pi's start-up
    network work runs in the background), then Ctrl-C, Ctrl-C, Ctrl-D.

    Returns {rc, stdout, stderr, ui, requests: [the model's logged requests]}.
    """
    import json
    import sys

    env = pi_env()
    need(None if os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip")
         else "the jail replay needs root, unshare and ip")
    if strace:
        need(None if shutil.which("strace") else "strace is not installed")
    spec = jail_spec(dry_run_line)
    for src, dst, _ in spec["mounts"]:  # what a real launch creates before netcage runs
        if not dst.startswith("/anon-pi-seed/"):
            Path(src).mkdir(parents=True, exist_ok=True)
            if spec["cwd"].startswith(dst + "/"):
                (Path(src) / spec["cwd"][len(dst) + 1:]).mkdir(exist_ok=True)
    run = tmp / f"jail-{len(list(tmp.glob('jail-*')))}"
    (run / "root").mkdir(parents=True)
    spec.update(root=str(run / "root"), port=port, model_log=str(run / "model.jsonl"),
                out=str(run / "out.json"), strace=str(strace) if strace else None, pty=pty,
                linger=linger, timeout=timeout,
                env={"HOME": "/root", "PATH": env["PATH"],
                     "TERM": "xterm-256color" if pty else "dumb"})
    (run / "spec.json").write_text(json.dumps(spec))
    res = subprocess.run(["unshare", "-m", "-n", "--", sys.executable, str(JAIL_RUN),
                          str(run / "spec.json")], capture_output=True, text=True,
                         timeout=timeout + 60, check=False)
    assert res.returncode == 0, res.stderr
    out = json.loads((run / "out.json").read_text())
    log = run / "model.jsonl"
    out["requests"] = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    return out
