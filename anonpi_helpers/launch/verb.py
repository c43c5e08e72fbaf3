"""The launch verb: parse, resolve, check in a fixed order, then hand the jail to netcage."""

from ..core.errors import AnonPiError, Cancelled
from ..core.identity import key_project
from ..core.names import quoted
from ..core.resolve import env_value
from ..core.run_plan import RunPlan, container_cwd, run_argv
from ..edges import jail_paths, netcage, netcage_child, terminal
from ..edges.launch_prep import (
    LaunchContext,
    check_host_paths,
    confirm_new_project,
    create_folders,
    make_plan,
    new_project_folder,
    resolve_context,
)
from ..edges.workspace import Workspace
from .grammar import TEXT_STREAM, LaunchArgs, needs_tty
from .guesses import refuse_guesses

NO_TTY_HINT = 'forward a one-shot prompt instead, e.g. `anon-pi <project> -p "..."`'


def main(args: LaunchArgs, io) -> int:
    """A parsed launch command line (cli.py found no verb word in it), run in `io`."""
    if any(TEXT_STREAM in a for a in args.pi_args):  # only then load its renderer
        from .text_stream import with_text_stream

        args = with_text_stream(args)
    if args.mode == "help":
        from ..core.command_table import LAUNCH
        from ..core.help_pages import page

        io.stdout.write(page(LAUNCH))
        return 0
    if args.mode == "version":
        from .. import __version__

        io.stdout.write(f"anon-pi {__version__}\n")
        return 0
    try:
        refuse_guesses(io, args)
        return launch(io, args)
    except KeyboardInterrupt:  # before netcage runs (it takes Ctrl-C itself once started)
        raise Cancelled("launched") from None


def _first_run_due(io, args: LaunchArgs, ws: Workspace) -> bool:
    """A person at a terminal with nothing configured gets onboarding, not an error; a script
    (no terminal) or a proxy from the environment goes on and fails closed as usual."""
    return (not args.dry_run and io.tty and not ws.config_path.exists()
            and env_value(io.env, "ANON_PI_PROXY") is None)


def launch_cwd(io, args: LaunchArgs, ctx: LaunchContext) -> tuple[str, tuple[str, ...]]:
    """The -w value and pi's args: a resumed conversation runs in its own recorded cwd, and
    pi gets its FULL id, so pi opens exactly that file: anon-pi also finds a part from the
    middle of an id, which pi would not, and pi 1.6.0's --session-id takes only a full id."""
    if ctx.here is not None:
        from .here_sessions import here_cwd

        return here_cwd(args, ctx)
    mounted = ctx.mount_parent is not None
    if not args.session_id:
        return container_cwd(args.project, mounted), args.pi_args
    from .session_files import find_one, recorded_cwd, symlinked_part

    home = ctx.ws.home(ctx.machine)
    link = symlinked_part(home)
    if link is not None:
        io.stderr.write(f"anon-pi: warning: {link} is a symlink; the session store is not "
                        "searched.\n")
    found = find_one(home, args.session_id, ctx.machine, mounted)
    pi_args = (args.pi_args[0], found.session_id, *args.pi_args[2:])
    return recorded_cwd(found, mounted) or container_cwd(None, mounted), pi_args


def plan_for(io, args: LaunchArgs, ctx: LaunchContext) -> RunPlan:
    check_host_paths(ctx)
    cwd, pi_args = launch_cwd(io, args, ctx)
    return make_plan(ctx, cwd=cwd, interactive=needs_tty(args),
                     mode="shell" if args.mode == "shell" else "pi", pi_args=pi_args)


def launch(io, args: LaunchArgs) -> int:
    """Every refusal comes before anything is created or spawned (docs/design.md, rule 11)."""
    if _first_run_due(io, args, Workspace.from_env(io.env)):
        from ..init.verb import first_run

        code = first_run(io)
        if code != 0:
            return code
    ctx = resolve_context(io, args)
    if needs_tty(args) and not args.dry_run and not io.tty:
        if args.mode == "menu":
            raise AnonPiError("no TTY; the menu needs an interactive terminal.",
                              "name a project directly (`anon-pi <project>`)")
        raise AnonPiError("no TTY.", NO_TTY_HINT)
    if not args.dry_run:
        netcage.require(io)
        _refuse_unusable_host(io, ctx)
    if args.mode == "menu":
        from .menu import choose

        picked = choose(io, args, ctx)
        if picked is None:
            terminal.note(io, "nothing launched")
            return 0
        args = args._replace(**picked)
        if args.mode == "box":
            return _enter_picked_box(io, args.box, ctx)
    plan = plan_for(io, args, ctx)
    if ctx.here is not None:
        from .here_sessions import say_what_jail_sees

        say_what_jail_sees(io, ctx, plan, always=args.dry_run)
    if args.dry_run:
        from ..core.dry_run import command_text
        from ..core.web_policy import RELAY_PLACEHOLDER, dry_run_note

        folder = new_project_folder(ctx, plan)
        if folder is not None:
            terminal.note(io, f"would create project {quoted(folder.name)} at {folder}")
        argv = run_argv(plan._replace(proxy=RELAY_PLACEHOLDER))
        io.stdout.write(command_text(argv, terminal.is_terminal(io.stdout)) + "\n")
        if not io.quiet:  # a note like any: -q leaves stderr without it
            io.stderr.write(dry_run_note(ctx.web, plan.proxy))
        return 0
    from ..edges import egress_session  # the relay: threads and sockets, a real launch only

    upstream = egress_session.upstream_for(ctx.web, plan.proxy)
    egress_session.check_upstream(upstream, plan.proxy)
    confirm_new_project(io, ctx, plan, asked=args.new_project_ok)
    create_folders(io, ctx, plan)
    with egress_session.EgressSession(io, ctx.ws.root, ctx.machine, key_project(plan.cwd),
                                      ctx.web, upstream, plan.proxy, start=False) as egress:
        egress.code = run_jail(io, args, ctx, plan._replace(proxy=egress.url), egress.start)
    return egress.code


def run_jail(io, args: LaunchArgs, ctx: LaunchContext, plan: RunPlan, start_relay) -> int:
    """netcage runs as a child of anon-pi (the relay lives here); its status. The relay's
    threads start beside a plain run's netcage, before the others' (they spawn it through
    plumbum)."""
    argv = run_argv(plan)
    terminal.note(io, "entering the netcage jail…")
    io.stderr.flush()
    tmpdir = jail_paths.private_tmp(io.env)
    if args.text_stream:
        start_relay()
        return stream_text(io, argv[1:], tmpdir)
    if plan.mode == "pi" and plan.interactive:  # a conversation the user may want back
        from .resume import run_then_offer_resume

        start_relay()
        return run_then_offer_resume(
            io, argv[1:], tmpdir, home=ctx.ws.home(ctx.machine), cwd=plan.cwd,
            resumed=plan.pi_args[1] if args.session_id else None, flags=_finding_flags(args, ctx))
    return netcage_child.run_beside(io, argv[1:], tmpdir=tmpdir, started=start_relay)


def _refuse_unusable_host(io, ctx: LaunchContext) -> None:
    """What podman or netcage would refuse in their own words, or not at all: a loopback
    proxy nobody serves yet, a netcage store that is not the user's own."""
    from ..edges.image_store import require_own_store
    from ..edges.proxy_owner import SQUATTER_FIX, unserved_problem

    unserved = unserved_problem(ctx.proxy) if ctx.proxy is not None else None  # no web
    if unserved:
        raise AnonPiError(unserved, SQUATTER_FIX)
    require_own_store(io)


def _finding_flags(args: LaunchArgs, ctx: LaunchContext) -> list[str]:
    """Every flag that shaped this launch, for the `anon-pi --session` that resumes it: the
    machine the conversation lives on (when not the default one), the image it ran in (`-i`:
    without it the resume would run the machine's pin), its --web (a conversation kept off
    the web stays off it) and the --mount folder its cwd is under. pi's own flags are not
    repeated: the conversation file keeps its model and settings, and a first message must
    not be sent twice."""
    import shlex

    flags = ["-m", ctx.machine] if args.machine else []
    flags += ["-i", shlex.quote(args.image)] if args.image else []
    flags += ["--web", shlex.quote(args.web)] if args.web else []
    if ctx.here is not None:  # `anon-pi <folder> --session <id>`: runs there from anywhere
        return flags + [shlex.quote(ctx.here.path)]
    return flags + (["--mount", shlex.quote(ctx.mount_parent)] if ctx.mount_parent else [])


def _enter_picked_box(io, name: str, ctx: LaunchContext) -> int:
    """The menu's "enter box <name>": `anon-pi container enter <name>`, asked afresh."""
    from ..edges.box_access import boxes, enter_box

    found = [b for b in boxes(io) if b.name == name and not b.running]
    if len(found) != 1:
        raise AnonPiError(f"box {quoted(name)} is no longer there to enter (or it runs now).",
                          "`anon-pi container list` shows the boxes")
    return enter_box(io, found[0], ctx)


def stream_text(io, args: list[str], tmpdir: str | None) -> int:
    """`--mode text-stream`: pi's JSON events rendered live to stderr, the answer alone to
    stdout. Never an exec: anon-pi reads netcage's output while it runs."""
    from ..edges import netcage_live
    from .text_stream import TextStream, exit_status

    stream = TextStream(colour=terminal.colour_on(io, io.stderr))

    def show(line: str | None) -> None:
        terminal.write_utf8(io.stderr, stream.feed(line))

    code = netcage_live.run_reading_lines(io, args, show, tmpdir=tmpdir)
    terminal.write_utf8(io.stderr, stream.finish())
    if stream.final_text:
        end = "" if stream.final_text.endswith("\n") else "\n"
        terminal.write_utf8(io.stdout, stream.final_text + end)
    return exit_status(code, stream)
