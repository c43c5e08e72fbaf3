"""The in-process harness agrees with the real program: every command line the Invoke parity
cases name (every verb and sub-verb there is) runs once as its own process (bin/anon-pi, the
real context, the flush and exit) and once inside the test process (tests/in_process.py, the
way most tests run verbs), each in a fresh copy of the same workspace. Both must give the
same exit code, output, netcage argv and files: a verb that read the process's own streams,
environment or folder instead of its context would differ here.
"""

import pytest
from test_parity_tasks import CASES, NOW, _egress_log_named, _fresh, _without_expiry
from tree_digest import tree_digest
from workspace_env import relay_port_hidden

LINES = sorted({(tuple(args), setup.__name__): (args, setup)
                for cases in CASES.values() for _inv, args, setup in cases}.values(),
               key=lambda case: (case[0], case[1].__name__))


def _observe(env, res) -> dict:
    _without_expiry(env.home)
    return {"code": res.returncode, "out": res.stdout, "err": res.stderr,
            "netcage": [[NOW.sub("<now>", a) for a in relay_port_hidden(call, env.proxy)]
                        for call in env.calls()],
            "workspace": _egress_log_named(tree_digest(env.ws)), "home": tree_digest(env.home)}


@pytest.mark.parametrize("args,setup", LINES, ids=[" ".join(a) or "(none)" for a, _ in LINES])
def test_in_process_and_as_a_process_agree(cli, args, setup):
    _fresh(cli, setup)
    as_process = _observe(cli, cli.run_process(*args))
    _fresh(cli, setup)
    in_process = _observe(cli, cli.run(*args))
    assert "Traceback" not in as_process["err"] + in_process["err"]
    assert in_process == as_process


def test_every_verb_of_the_table_runs_as_a_process_here_or_in_the_exit_tests():
    """`help` and `version` print and exit: tests/quality/test_exit_flush.py runs them as
    processes; every other first word runs here."""
    from anonpi_helpers.core.command_line import first_words

    here = {args[0] if args and args[0] in first_words() else "(launch)" for args, _ in LINES}
    assert sorted(set(first_words()) - here) == ["help", "version"]
