"""Real pi 1.6.0 on a home seeded exactly as a launch seeds it.

Each run replays the `sh -c` script of anon-pi's own `--dry-run` line with exactly that line's
mounts (machine home at /root, projects root at /projects, seeds under /anon-pi-seed),
chrooted in a private mount + network namespace where a fake OpenAI-compatible model of the
test's own answers at 169.254.1.1:<port>: the address netcage gives the host's loopback inside
the jail, which is what init seeds as `baseUrl` for a loopback llm. Only netcage
itself is left out (podman 4.3.1 cannot start its sidecar here; see real_support.SIDECAR).
"""

import json
import shlex

from real_pi_jail import MODELS, run_in_jail, seed_workspace
from real_support import free_port

from anonpi_helpers.core.slugs import project_slug
from anonpi_helpers.launch.menu_entries import annotation
from anonpi_helpers.launch.session_files import session_files


def _line(cli, *argv: str) -> str:
    res = cli.run("--dry-run", *argv)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def _sessions(cli):
    return session_files(cli.ws / "machines" / "default" / "home")


def test_seeded_home_lists_the_seeded_models(cli, tmp_path):
    port = free_port()
    seed_workspace(cli, port)
    out = run_in_jail(tmp_path, _line(cli, "--list-models"), port)
    assert out["rc"] == 0, out
    listed = out["stdout"] + out["stderr"]
    for model in MODELS:
        assert model in listed, listed
    assert "local" in listed
    agent = cli.ws / "machines/default/home/.pi/agent"
    assert (agent / ".anon-pi-seed").read_text() == "1\n"
    settings = json.loads((agent / "settings.json").read_text())
    assert settings["defaultModel"] == MODELS[0] and settings["enableInstallTelemetry"] is False


def test_prompt_posts_the_default_model_then_session_prefix_resumes_the_same_file(cli, tmp_path):
    port = free_port()
    seed_workspace(cli, port)
    out = run_in_jail(tmp_path, _line(cli, "recon", "-p", "hi"), port)
    assert out["rc"] == 0, out
    assert "FAKE-LLM-ANSWER-42" in out["stdout"]
    posts = [r for r in out["requests"] if r["method"] == "POST"]
    assert [r["path"] for r in posts] == ["/v1/chat/completions"]
    assert posts[0]["body"]["model"] == MODELS[0]

    # the folder and header pi wrote are the ones the menu marks and --session reads
    (found,) = _sessions(cli)
    assert found.path.parent.name == project_slug("recon")
    assert annotation(project_slug("recon"), {"default": frozenset([found.path.parent.name])},
                      "default") == "  (used on: default)"
    header = json.loads(found.path.read_text().splitlines()[0])
    assert header["type"] == "session" and header["id"] == found.session_id
    assert header["cwd"] == "/projects/recon"
    lines = len(found.path.read_text().splitlines())

    line = _line(cli, "--session", found.session_id[:8], "-p", "again")
    argv = shlex.split(line)
    assert argv[argv.index("-w") + 1] == "/projects/recon"
    assert argv[-4:] == ["--session", found.session_id, "-p", "again"]
    out = run_in_jail(tmp_path, line, port)
    assert out["rc"] == 0, out
    assert _sessions(cli) == [found]  # no new file: pi resumed exactly that one
    assert len(found.path.read_text().splitlines()) > lines
    (post,) = [r for r in out["requests"] if r["method"] == "POST"]
    said = [m for m in post["body"]["messages"] if m["role"] == "user"]
    assert len(said) == 2  # the resumed conversation went to the model with its history


def test_resume_opens_pis_own_picker_at_the_root(cli, tmp_path):
    """`anon-pi -r`: pi's picker at /projects (no conversations of its own there, Tab shows
    every project's); the pick opens that very file, in its own folder: no new file."""
    port = free_port()
    seed_workspace(cli, port)
    assert run_in_jail(tmp_path, _line(cli, "recon", "-p", "hello-from-recon"), port)["rc"] == 0
    (found,) = _sessions(cli)
    line = _line(cli, "-r")
    argv = shlex.split(line)
    assert "-it" in argv and argv[argv.index("-w") + 1] == "/projects" and argv[-1] == "-r"
    out = run_in_jail(tmp_path, line, port, timeout=40, pty=[
        ("Resume Session", ""), ("No sessions in current folder", "\t"),
        ("hello-from-recon", "\r"), ("/projects/recon", "")])
    assert out["ui"], out["stdout"][-3000:]
    assert _sessions(cli) == [found]


def test_the_resume_line_names_the_file_real_pi_wrote_and_its_form_resumes_it(cli, tmp_path):
    """What anon-pi prints after a session (instead of pi's `pi --session <uuid>`, which does
    not exist on the host) is found from the file real pi wrote, and opens it again."""
    import time

    from anonpi_helpers.launch.resume import resume_line

    port = free_port()
    seed_workspace(cli, port)
    assert run_in_jail(tmp_path, _line(cli, "recon", "-p", "first"), port)["rc"] == 0
    started = time.time()
    assert run_in_jail(tmp_path, _line(cli, "recon", "-p", "second"), port)["rc"] == 0
    second = max(_sessions(cli), key=lambda s: s.path.stat().st_mtime)
    line = resume_line(cli.ws / "machines" / "default" / "home", "/projects/recon", started,
                       None, [])
    form = line.split("--session ")[1].rstrip("`\n")
    assert len(form) == 6 and form in second.session_id, line
    argv = shlex.split(_line(cli, "--session", form, "-p", "third"))
    assert argv[-4:] == ["--session", second.session_id, "-p", "third"]
