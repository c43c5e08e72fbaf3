"""Two surfaces, one implementation: every Invoke task against its `anon-pi` command line.

Each side runs in a fresh copy of the same temporary workspace (same paths, so argv compare
byte for byte) with the fake netcage; both must give the same netcage argv, the same files, the
same exit code and the same output. A task without a case here fails the suite.
"""

import json
import re
import shutil
import subprocess

import pytest
from harness_paths import BIN, ROOT
from tree_digest import tree_digest
from workspace_env import relay_port_hidden

import tasks
from anonpi_helpers.core.identity import Identity, encode

INV = ROOT / ".venv" / "bin" / "inv"
REF = "5e3fdcad856e" + "0" * 52
NOW = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")  # a snapshot's own timestamp


def running_recon(env) -> None:
    """A configured workspace with one running jail on machine default, project recon."""
    env.configure(llm="127.0.0.1:9")
    (env.ws / "projects" / "recon").mkdir(parents=True)
    key = encode(Identity("default", f"{env.ws}/projects", "", "/projects/recon"))
    env.can("ps", json.dumps([{"Id": REF, "Names": ["elegant_saha"], "State": "running",
                               "Labels": {"anon-pi.key": key, "netcage.managed": "true"}}]))
    env.can("ports", json.dumps([{"address": "0.0.0.0", "port": 3001, "loopbackOnly": False}]))


def with_home(env) -> None:
    """As running_recon, plus a home with a conversation on machine default."""
    running_recon(env)
    sessions = env.ws / "machines" / "default" / "home" / ".pi" / "agent" / "sessions"
    (sessions / "--projects-recon--").mkdir(parents=True)
    (sessions / "--projects-recon--" / "s.jsonl").write_text('{"type":"session"}\n')


def with_conversation(env) -> None:
    """As running_recon, plus one conversation of project recon, named as pi 1.6.0 names it."""
    running_recon(env)
    folder = env.ws / "machines/default/home/.pi/agent/sessions/--projects-recon--"
    folder.mkdir(parents=True)
    (folder / "2026-12-01T09-17-37-123Z_019ae5b1-7c2d.jsonl").write_text(
        '{"type":"session","id":"019ae5b1-7c2d","cwd":"/projects/recon"}\n')


def with_box(env) -> None:
    """A configured workspace with one stopped box "dev" on machine default, project recon."""
    running_recon(env)
    key = encode(Identity("default", f"{env.ws}/projects", "", "/projects/recon"))
    token = "0123456789abcdef" * 2
    (env.ws / "boxes").mkdir(parents=True)
    (env.ws / "boxes" / "dev.json").write_text(json.dumps({"token": token}))  # create's record
    env.can("ps", json.dumps([{"Id": REF, "Names": ["elegant_saha"], "State": "exited",
                               "Image": "localhost/anon-pi/pi:latest",
                               "Labels": {"anon-pi.key": key, "netcage.managed": "true",
                                          "anon-pi.container": "dev",
                                          "anon-pi.container-token": token}}]))


def bare(env) -> None:
    """No workspace at all."""


# task -> [(inv argv after the task name, the anon-pi argv, workspace setup)]
CASES = {
    "launch": [(["--project", "recon", "--", "-p", "hi"], ["recon", "-p", "hi"], running_recon),
               (["--project", "recon", "--machine", "default", "--dry-run", "--", "-p", "hi"],
                ["-m", "default", "--dry-run", "recon", "-p", "hi"], running_recon),
               (["--session", "019a", "--", "-p", "go on"], ["--session", "019a", "-p", "go on"],
                with_conversation),
               (["--session", "nope", "--", "-p", "x"], ["--session", "nope", "-p", "x"],
                with_conversation),
               (["--resume", "--dry-run"], ["--dry-run", "--resume"], running_recon),
               (["--resume", "--project", "recon"], ["recon", "--resume"], running_recon),
               (["--project", "recon", "--web", "none", "--dry-run", "--", "-p", "hi"],
                ["--web", "none", "--dry-run", "recon", "-p", "hi"], running_recon),
               (["--project", "recon", "--dry-run", "--", "-p", "--shell"],
                ["recon", "--dry-run", "--", "-p", "--shell"], running_recon)],
    "shell": [(["--project", "recon", "--dry-run"], ["--dry-run", "--shell", "recon"],
               running_recon),
              ([], ["--shell"], running_recon)],  # no TTY: refused the same way
    "snapshot": [(["--name", "tb", "--machine", "default"], ["image", "snapshot", "tb", "-m",
                                                             "default"], running_recon),
                 (["--name", "tb", "--create-machine", "tb2"],
                  ["image", "snapshot", "tb", "--create-machine", "tb2"], running_recon),
                 (["--name", "tb", "--update-machine", "default"],
                  ["image", "snapshot", "tb", "--update-machine", "default"], running_recon)],
    "images": [([], ["image", "list"], running_recon)],
    "container-create": [(["--name", "dev", "--project", "recon", "--machine", "default",
                           "--shell"], ["container", "create", "dev", "-m", "default", "--shell",
                                        "recon"], running_recon),  # no TTY: refused alike
                         (["--name", "dev"], ["container", "create", "dev"], running_recon),
                         (["--name", "dev", "--project", "recon", "--dry-run"],
                          ["container", "create", "dev", "recon", "--dry-run"], running_recon)],
    "container-enter": [(["--name", "dev"], ["container", "enter", "dev"], with_box),
                        (["--name", "dev", "--dry-run"], ["--dry-run", "container", "enter",
                                                          "dev"], with_box)],
    "container-list": [([], ["container", "list"], with_box),
                       (["--json"], ["container", "list", "--json"], with_box),
                       ([], ["container", "list"], running_recon)],
    "container-rm": [(["--name", "dev"], ["container", "rm", "dev"], with_box),
                     (["--name", "dev", "--yes"], ["container", "rm", "dev", "--yes"],
                      with_box)],
    "machine-create": [(["--name", "box", "--image", "localhost/anon-pi/pi:latest"],
                        ["machine", "create", "box", "--image", "localhost/anon-pi/pi:latest"],
                        running_recon),
                       (["--name", "box"], ["machine", "create", "box"], running_recon)],
    "machine-list": [([], ["machine", "list"], running_recon), ([], ["machine", "list"], bare)],
    "machine-set-image": [(["--name", "default", "--image", "anon-pi/tb:latest"],
                           ["machine", "set-image", "default", "anon-pi/tb:latest"],
                           running_recon)],
    "machine-rm": [(["--name", "default", "--yes"], ["machine", "rm", "default", "--yes"],
                    running_recon),
                   (["--name", "default"], ["machine", "rm", "default"], running_recon),
                   (["--name", "default", "--dry-run"], ["machine", "rm", "--dry-run",
                                                         "default"], running_recon)],
    "forward": [(["--project", "recon", "--port", "3001"], ["forward", "recon", "--port", "3001"],
                 running_recon),
                (["--project", "recon", "--port", "8080:3001", "--bind", "0.0.0.0", "--machine",
                  "default"], ["forward", "recon", "--port", "8080:3001", "--bind", "0.0.0.0",
                               "-m", "default"], running_recon)],
    "ports": [(["--project", "recon"], ["ports", "recon"], running_recon),
              (["--machine", "default"], ["ports", "-m", "default"], running_recon)],
    "init": [([], ["init"], bare),
             (["--force-allow-local-llm-api-key"], ["init", "--force-allow-local-llm-api-key"],
              running_recon)],
    "delete-home": [(["--machine", "default", "--yes"], ["--delete-home", "default", "--yes"],
                     with_home),
                    ([], ["--delete-home"], with_home),
                    (["--dry-run"], ["--dry-run", "--delete-home"], with_home)],
    "delete-project": [(["--project", "recon", "--yes"], ["--delete-project", "recon", "--yes"],
                        running_recon)],
    "doctor": [([], ["doctor"], running_recon)],
    "config-show": [([], ["config", "show"], running_recon),
                    (["--json", "--machine", "default"], ["config", "show", "--json", "-m",
                                                          "default"], running_recon)],
    "config-get": [(["--key", "proxy"], ["config", "get", "proxy"], running_recon)],
    "config-set": [(["--key", "isolation", "--value", "machine"],
                    ["config", "set", "isolation", "machine"], running_recon),
                   (["--key", "isolation", "--value", "tor"],
                    ["config", "set", "isolation", "tor"], running_recon)],
    "config-unset": [(["--key", "llm", "--dry-run"], ["config", "unset", "llm", "--dry-run"],
                      running_recon)],
    "config-path": [([], ["config", "path"], running_recon)],
    "egress": [([], ["egress"], running_recon),
               (["--json", "--machine", "default", "--session", "2026"],
                ["egress", "--json", "-m", "default", "--session", "2026"], running_recon)],
    "completions": [(["--shell", "bash"], ["completions", "bash"], bare),
                    (["--shell", "zsh"], ["completions", "zsh"], bare),
                    (["--shell", "fish"], ["completions", "fish"], bare)],
}


# Invoke's group names (`anon-pi-inv machine.create`) stand for the flat task beside them.
GROUPS = {"machine.create": "machine-create", "machine.list": "machine-list",
          "machine.set-image": "machine-set-image", "machine.rm": "machine-rm",
          "image.snapshot": "snapshot", "image.list": "images",
          "container.create": "container-create", "container.enter": "container-enter",
          "container.list": "container-list", "container.rm": "container-rm",
          "config.show": "config-show", "config.get": "config-get", "config.set": "config-set",
          "config.unset": "config-unset", "config.path": "config-path"}


def test_every_task_has_a_parity_case():
    assert sorted([*CASES, *GROUPS]) == sorted(tasks.ns.task_names)


def _fresh(env, setup) -> None:
    for path in (env.ws, env.home, env.canned):
        shutil.rmtree(path, ignore_errors=True)
    env.log.unlink(missing_ok=True)
    env.home.mkdir()
    env.canned.mkdir()
    setup(env)


def _without_expiry(home) -> None:
    """The completion caches' first line holds a time (`#anon-pi-names <expiry> ...`)."""
    for path in (home / ".cache" / "anon-pi").glob("*"):
        if path.name in ("images", "boxes"):
            path.write_text(re.sub(r"\A(#anon-pi-names) \d+", r"\1 <expiry>", path.read_text()))


def _observe(env, argv) -> dict:
    res = subprocess.run([str(a) for a in argv], env=env.env(), cwd=env.tmp, input="",
                         check=False, capture_output=True, text=True, timeout=120)
    _without_expiry(env.home)
    return {"code": res.returncode, "out": res.stdout, "err": res.stderr,
            "netcage": [[NOW.sub("<now>", a) for a in relay_port_hidden(call, env.proxy)]
                        for call in env.calls()],
            "workspace": _egress_log_named(tree_digest(env.ws)), "home": tree_digest(env.home)}


def _egress_log_named(digest: dict) -> dict:
    """A launch's egress log is named by its time and holds times: one per folder, as such."""
    return {re.sub(r"[^/]+\.jsonl$", "<session>.jsonl", k) if k.startswith("egress/") else k:
            "<log>" if k.startswith("egress/") and k.endswith(".jsonl") else v
            for k, v in digest.items()}


@pytest.mark.parametrize("task,inv_args,cli_args,setup", [
    (task, i, a, s) for task, cases in CASES.items() for i, a, s in cases] + [
    (group, i, a, s) for group, flat in GROUPS.items() for i, a, s in CASES[flat][:1]])
def test_task_and_command_line_agree(cli, task, inv_args, cli_args, setup):
    """Flat names through `inv -r <checkout>`, group names through `bin/anon-pi-inv`."""
    _fresh(cli, setup)
    runner = [ROOT / "bin" / "anon-pi-inv"] if "." in task else [INV, "-r", ROOT]
    via_inv = _observe(cli, [*runner, task, *inv_args])
    _fresh(cli, setup)
    via_cli = _observe(cli, [BIN, *cli_args])
    assert "Traceback" not in via_inv["err"] + via_cli["err"]
    assert via_inv == via_cli
