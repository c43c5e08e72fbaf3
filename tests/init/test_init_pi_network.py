"""init asks whether pi may reach its own services: default no, pi silent."""

import json

from init_support import NEW_RECON, PI_NETWORK, lab_fixture  # noqa: F401  (the `lab` fixture)

from anonpi_helpers.init.grammar import parse_confirm

SILENT = "export PI_OFFLINE=1 PI_TELEMETRY=0; exec pi"


def _config(cli) -> dict:
    return json.loads((cli.ws / "config.json").read_text())


def _answering(lab, reply: str) -> list:
    return [(a, reply) if a == PI_NETWORK else (a, r) for a, r in lab.happy_steps()]


def _launch_script(cli) -> str:
    run = [c for c in cli.calls() if c[:1] == ["run"]]
    assert len(run) == 1, run
    return run[0][-4]  # netcage run ... sh -c SCRIPT sh pi -p x: the script pi is exec'd from


def test_enter_keeps_pi_silent_and_the_first_launch_says_so(cli, lab):
    code, out = lab.run([*lab.happy_steps(), NEW_RECON], "recon", "-p", "x")
    assert code == 0, out
    assert (f"{PI_NETWORK} through the proxy (update notice, pi install/update, model "
            "catalogs)? [y/N]") in out
    assert out.index("Exit IP (via the proxy") < out.index(PI_NETWORK) < out.index("Step 2/4")
    assert "pi's own network: off (pi stays silent)" in out
    assert "piNetwork" not in _config(cli)
    assert SILENT in _launch_script(cli)


def test_yes_stores_the_opt_out_and_the_first_launch_lets_pi_out(cli, lab):
    code, out = lab.run([*_answering(lab, "y"), NEW_RECON], "recon", "-p", "x")
    assert code == 0, out
    assert "pi's own network: on (through the proxy)" in out
    assert _config(cli)["piNetwork"] is True
    script = _launch_script(cli)
    assert "PI_OFFLINE" not in script and "PI_TELEMETRY" not in script


def test_a_rerun_offers_the_stored_choice_and_no_drops_it(cli, lab):
    cli.write_json(cli.ws / "config.json", {"piNetwork": True, "keep": 1})
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert "model catalogs)? [Y/n]" in out
    assert _config(cli)["piNetwork"] is True and _config(cli)["keep"] == 1
    code, out = lab.run(_answering(lab, "n"))
    assert code == 0, out
    assert "piNetwork" not in _config(cli) and _config(cli)["keep"] == 1


def test_nonsense_is_asked_again(cli, lab):
    steps = _answering(lab, "maybe")
    at = [a for a, _ in steps].index(PI_NETWORK)
    steps.insert(at + 1, ("answer y or n (or Enter)", "yes"))
    code, out = lab.run(steps)
    assert code == 0, out
    assert _config(cli)["piNetwork"] is True


def test_answer_grammar_with_either_default():
    assert [parse_confirm(a, default=False) for a in ("", "y", "YES", " n ", "no")] == [
        False, True, True, False, False]
    assert parse_confirm("", default=True) is True and parse_confirm("maybe") is None
