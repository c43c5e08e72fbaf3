"""`forward` on a live jail is one line: anon-pi's, once netcage confirms it listens, naming
the box or the project; netcage's own confirmation (which names the container by its
64-character id) is not printed. netcage's answers are the ones real netcage prints."""

from containers_support import BOX_REF, box_entry, forwarding, ps_json, record_boxes

from anonpi_helpers.containers.ports_parse import confirmed_url


def _box_running(cli):
    cli.configure()
    record_boxes(cli.ws, "dev")
    cli.can("ps", ps_json(box_entry(BOX_REF, "dev", state="running", cwd="/projects/alpha")))


def test_one_line_naming_the_box(cli):
    _box_running(cli)
    cli.can("forward", forwarding(BOX_REF, "8080:3001"))
    res = cli.run("forward", "-p", "8080:3001")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ('anon-pi: forwarding http://127.0.0.1:8080 -> box "dev" (default / '
                          "alpha), jail port 3001 (Ctrl-C to stop)\n")
    assert res.stderr == "" and BOX_REF not in res.stdout


def test_nothing_is_said_to_forward_when_netcage_refuses(cli):
    _box_running(cli)
    refusal = (f'netcage: forward: cannot forward into "{BOX_REF}": its forced-egress jail is '
               "not running (the tool is stopped)\n")
    cli.can("forward", "", rc=1, err=refusal)
    res = cli.run("forward", "-p", "3001")
    assert res.returncode == 1 and res.stdout == "" and res.stderr == refusal


def test_anything_else_netcage_prints_is_shown_escaped(cli):
    _box_running(cli)
    cli.can("forward", "note \x1b]52;c;aGk=\x07\n" + forwarding(BOX_REF, "3001"))
    res = cli.run("forward", "-p", "3001")
    assert res.returncode == 0
    assert res.stdout.splitlines() == [
        "note \\x1b]52;c;aGk=\\x07",
        ('anon-pi: forwarding http://127.0.0.1:3001 -> box "dev" (default / alpha), jail port '
         "3001 (Ctrl-C to stop)")]


def test_confirmed_url_reads_only_netcages_confirmation():
    assert confirmed_url(forwarding(BOX_REF, "18001:3001")) == "http://127.0.0.1:18001"
    assert confirmed_url(forwarding("x", "3001", bind="0.0.0.0")) == "http://0.0.0.0:3001"
    for other in ("forwarding http://evil.example:80 -> x:1 (Ctrl-C to stop)",
                  "forwarding http://127.0.0.1:80 -> x:1", "WARNING: exposing x:1", ""):
        assert confirmed_url(other) is None, other
