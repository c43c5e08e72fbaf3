"""`anon-pi ports` and `anon-pi forward`: look into, and reach into, a running jail.

A forward is one line: anon-pi's, printed when netcage confirms it listens, naming the box or
the project (netcage's own names the container by its id)."""

from ..core.errors import AnonPiError, Cancelled
from ..core.names import quoted
from ..core.shown import shown
from ..edges import netcage, netcage_live, terminal
from . import running
from .ports_parse import (
    Listener,
    confirmed_url,
    forwardable,
    join_token,
    listener_lines,
    listeners_json,
    loopback_only,
    open_hint,
    port_number,
    port_token,
)
from .ps_parse import Container, place


def _ports_answer(io, chosen: Container,
                  answers: dict[str, netcage.Result]) -> netcage.Result:
    """The picker already asked about every row; otherwise ask now (once)."""
    return answers.get(chosen.ref) or netcage.query(io, running.ports_args(chosen.ref))


def ports_main(args, io) -> int:
    """`args`: the parsed `ports [<project>] [-m <machine>] [--json]` line."""
    netcage.require(io)
    chosen, answers = running.pick(io, running.PORTS, args.machine, args.project)
    res = _ports_answer(io, chosen, answers)
    if res.code != 0:
        raise AnonPiError(
            f"`netcage ports` failed for {chosen.name} (exit {res.code})"
            f"{netcage.failure_detail(res)}.",
            "`anon-pi ports` needs netcage >= 0.10.0 (`netcage --version`)")
    found = running.listeners(res)
    if found is None:
        raise AnonPiError(f"`netcage ports` printed something that is not a JSON list for "
                          f"{chosen.name}.", "check `netcage ports <container> --json`")
    if args.json:
        io.stdout.write(listeners_json(chosen.machine, chosen.project, chosen.name, found))
        return 0
    io.stdout.write("".join(line + "\n" for line in listener_lines(place(chosen), found)))
    return 0


def _answer(io, text: str) -> str:
    """A value prompt: EOF cancels (as at every value prompt), nothing is forwarded."""
    answer = terminal.prompt_line(io, text, nothing="forwarded")
    if answer is None:
        raise AnonPiError("no answer (end of input); nothing forwarded.")
    return answer.strip()


def _ask_port(io, found: list[Listener] | None) -> str:
    """Offer the listeners, ask jail then host port; each answer is checked as it is typed."""
    if not io.tty:
        raise AnonPiError("no TTY to ask which port to forward.",
                          "pass it explicitly, e.g. `anon-pi forward --port 3001`")
    io.stderr.write(f"  in-jail listeners: {open_hint(found)}\n")
    offered = forwardable(found or [])
    default = offered[0] if len(offered) == 1 else None
    typed = _answer(io, f"  jail port to forward{f' [{default}]' if default else ''}: ")
    if typed:
        jail = port_number(typed, "jail port")
    elif default is not None:
        jail = default
    else:
        raise AnonPiError("no port given; nothing forwarded.",
                          "type the jail port, or pass --port <port>")
    typed = _answer(io, "  host port (Enter for same as jail, or type a different one): ")
    host = port_number(typed, "host port") if typed else jail
    return join_token(host, jail)


def forward_main(args, io) -> int:
    """`args`: the parsed `forward [<project>] [--port ...] [--bind ...] [-m ...]` line; the
    port is checked before netcage is asked anything (`--bind`'s two values by the table)."""
    port = port_token(args.port) if args.port is not None else None
    netcage.require(io)
    try:
        chosen, answers = running.pick(io, running.FORWARD, args.machine, args.project)
        if port is None and not io.tty:
            _ask_port(io, None)  # refuses before asking netcage anything more
        found = running.listeners(_ports_answer(io, chosen, answers))
        token = port or _ask_port(io, found)
    except KeyboardInterrupt:  # Ctrl-C at a port prompt: one line, exit 130 like every cancel
        io.stderr.write("\n")
        raise Cancelled("forwarded") from None
    jail = int(token.split(":")[-1])
    if loopback_only(found, jail):
        io.stderr.write(f"anon-pi: warning: in the jail, port {jail} listens on loopback only; "
                        "the forward may not reach it: start the server on 0.0.0.0 "
                        "(e.g. `--host 0.0.0.0`).\n")
    io.stderr.flush()
    bind = ["--bind", args.bind] if args.bind else []
    target = f"box {quoted(chosen.box)} ({place(chosen)})" if chosen.box else place(chosen)

    def said(line: str) -> None:
        """netcage's confirmation names the container by its 64-character id: it becomes
        anon-pi's one line, naming the box or project; anything else it prints is shown."""
        url = confirmed_url(line)
        if url is None:
            io.stdout.write(shown(line.rstrip("\n")) + "\n")
        else:
            io.stdout.write(f"anon-pi: forwarding {url} -> {target}, jail port {jail} "
                            "(Ctrl-C to stop)\n")
        io.stdout.flush()

    return netcage_live.run_reading_lines(io, ["forward", *bind, chosen.ref, token], said,
                                          interrupted_code=130)
