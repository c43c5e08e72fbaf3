"""init run inside the test process (tests/in_process.py) with a terminal it is told it has:
every answer comes from the run's stdin, every probe list and path from the run's own
environment, so what it finds and writes can only come from the context it was given."""

import json

from in_process import run_in_process
from init_support import lab_fixture  # noqa: F401  the `lab` fixture


def test_init_in_process_finds_what_the_runs_environment_names(cli, lab):
    """The SOCKS stub and the model server exist only in the run's ANON_PI_SOCKS_PROBE and
    the answer typed: the test process's own environment names neither."""
    answers = ["1", "y", "", "", lab.llm, "", "2", "4", ""]
    res = run_in_process(["init"], cli.env(**lab.env), str(cli.tmp),
                         "".join(f"{a}\n" for a in answers), tty=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"[1] 127.0.0.1:{lab.socks.port}" in res.stdout
    assert "Exit IP (via the proxy, NOT your host): 185.220.101.7" in res.stdout
    config = json.loads((cli.ws / "config.json").read_text())
    assert config["proxy"] == f"socks5h://127.0.0.1:{lab.socks.port}"
    assert config["llm"] == lab.llm
    seed = json.loads((cli.ws / "settings-seed.json").read_text())
    assert seed["defaultModel"] == "qwen3-coder"
    assert "Import which?" in res.stderr and "Choose [1-4]" in res.stderr
    assert res.stdout.rstrip().splitlines()[-1].startswith("    fix: `anon-pi machine set-image")
