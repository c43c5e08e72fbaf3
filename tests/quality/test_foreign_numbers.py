"""Numbers from text anon-pi did not write (config values, netcage's answers, the socks probe
list) are read by core.numbers.ascii_int: a port of thousands of digits is a refusal in one
line, never `unexpected error: ValueError` (int() refuses more than 4,300 digits)."""

from anonpi_helpers.core.addresses import split_host_port
from anonpi_helpers.core.socks_reply import probe_targets

HUGE = "1" * 5000


def test_a_port_of_thousands_of_digits_is_refused_in_one_line(cli):
    cli.configure(llm=f"192.168.1.50:{HUGE}")
    res = cli.run("--dry-run", "p", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: llm 192.168.1.50:111") and "numeric port" in res.stderr
    assert "unexpected error" not in res.stderr


def test_ports_are_ascii_digits_of_a_sane_length():
    assert split_host_port(f"127.0.0.1:{HUGE}") == ("127.0.0.1", None)
    assert split_host_port("127.0.0.1:\uff19\uff10\uff15\uff10") == ("127.0.0.1", None)
    assert split_host_port("127.0.0.1:09050") == ("127.0.0.1", 9050)
    assert probe_targets(f"127.0.0.1:{HUGE},127.0.0.1:9050") == [("127.0.0.1", 9050)]
