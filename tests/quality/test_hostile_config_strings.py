"""Any string in config.json or machine.json, through every verb that reads them: a lone
surrogate, a NUL, an escape sequence, or a newline followed by what reads as a line of
anon-pi's own. Each verb ends in its normal output or one `anon-pi:` refusal (and its hint),
never a traceback; no raw control reaches the output; and the value's newline never starts
a line (it shows as `\\x0a`, so nothing after it can pass for a line of anon-pi's).
"""

import json

import pytest

VALUES = {
    "lone surrogate": "/srv/a\ud800b",
    "NUL": "/srv/a\x00b",
    "escape": "/srv/a\x1b]0;title\x07b",
    "newline": "/srv/a\nFORGED anon-pi: line",
}
# (file, key): every key anon-pi reads, and one it does not know (kept as it is on rewrite)
KEYS = [("config", k) for k in ("proxy", "llm", "defaultMachine", "projects", "isolation",
                                "piNetwork", "someoneElses")] + [
    ("machine", "image"), ("machine", "projects")]
VERBS = [
    ["--dry-run", "p", "-p", "x"],
    ["doctor"],
    ["doctor", "--json"],
    ["machine", "list"],
    ["machine", "set-image", "default", "localhost/anon-pi/other:1", "--force"],
    ["--delete-project", "p", "--yes"],
    ["container", "create", "dev"],
    ["--delete-home", "default", "--yes"],  # its result line names the machine.json pin
]


def write(cli, where: str, key: str, value: str) -> None:
    config = {"proxy": "socks5h://127.0.0.1:9050", "llm": "192.168.1.50:8080"}
    machine = {"image": "localhost/anon-pi/pi:latest"}
    (config if where == "config" else machine)[key] = value
    for path, doc in ((cli.ws / "config.json", config),
                      (cli.ws / "machines" / "default" / "machine.json", machine)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc), encoding="utf-8")  # `\ud800`, `\u0000` as JSON escapes
    (cli.ws / "machines" / "default" / "home").mkdir(exist_ok=True)


@pytest.mark.parametrize("where, key", KEYS, ids=[f"{w}.{k}" for w, k in KEYS])
@pytest.mark.parametrize("value", list(VALUES))
def test_every_verb_survives_any_config_string(cli, where, key, value):
    for argv in VERBS:
        write(cli, where, key, VALUES[value])
        res = cli.run(*argv)
        said = res.stdout + res.stderr
        what = f"{' '.join(argv)}: {said!r}"
        assert "Traceback" not in said and "unexpected error" not in said, what
        if res.returncode != 0 and argv[0] != "doctor":  # doctor's failures are its rows
            assert res.stderr.startswith("anon-pi: "), what
        assert "\x1b" not in said and "\x00" not in said, what
        assert not any(line.lstrip().startswith("FORGED") for line in said.splitlines()), what


def test_a_projects_root_inside_the_workspace_is_named_on_one_line(cli):
    """The refusal to mount a root that would expose the workspace names both paths."""
    cli.configure()
    write(cli, "config", "projects", f"{cli.ws}/inside\nFORGED anon-pi: line")
    for argv in (["--dry-run", "p", "-p", "x"], ["--delete-project", "p", "--yes"], ["doctor"]):
        res = cli.run(*argv)
        assert f"{cli.ws}/inside\\x0aFORGED anon-pi: line is inside the workspace" in (
            res.stdout + res.stderr), res
        assert not any(line.lstrip().startswith("FORGED")
                       for line in (res.stdout + res.stderr).splitlines()), res


def test_delete_prompts_name_config_paths_on_one_line():
    from anonpi_helpers.machines.delete_plan import folder_phrase, home_prompt, rm_prompt

    for text in (folder_phrase("/srv/a\nb/p", state, "t") for state in ("dir", "link", "absent")):
        assert "\n" not in text and "/srv/a\\x0ab/p" in text
    assert "\n" not in home_prompt("m", "/ws/a\nb") + rm_prompt("m", "/ws/a\nb")
