"""Typing in the bare menu, in a real pty: it filters the rows by name, a first letter jumps,
Backspace widens, `/` lets a filter start with j, k or q, and the pick is still the typed
command's exact netcage argv."""

from menu_support import (
    active_label,
    finish,
    held,
    last_frame,
    layout,
    let_go,
    menu,
    spawn,
    typed,
)
from tree_digest import tree_digest

BETA = "beta  (used on: box; not yet on this machine)"
GAMMA = "Gamma  (no conversations yet)"
FILTER_HELP = "(j, k and q type too; Backspace widens, Esc clears)"


def _w(calls):
    [argv] = calls
    return argv[argv.index("-w") + 1]


def _more(cli, *names):
    for name in names:
        (cli.ws / "projects" / name).mkdir(parents=True)


def test_typing_keeps_the_rows_whose_name_holds_it_and_enter_launches_like_typed(cli):
    layout(cli)
    label, out, code = menu(cli, keys="ET\r")
    assert (label, code) == (BETA, 0)
    assert last_frame(out)[1:] == [f"filter: ET  {FILTER_HELP}", f"> {BETA}"]
    picked = cli.run_calls()
    assert _w(picked) == "/projects/beta"
    assert typed(cli, "beta") == picked


def test_a_first_letter_jumps_to_the_first_name_starting_with_it(cli):
    layout(cli)
    _more(cli, "ago")
    label, out, code = menu(cli, keys="g\r")  # "ago" comes first but holds g inside
    assert (label, code) == (GAMMA, 0)
    assert [row.strip("> ") for row in last_frame(out)[2:]] == [
        "ago  (no conversations yet)", GAMMA]
    assert _w(cli.run_calls()) == "/projects/Gamma"


def test_notes_in_parentheses_never_match(cli):
    """Every project row notes machines ("used on: box"); only names are searched."""
    layout(cli)
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("box")
    p.expect_exact("(no row matches; Backspace widens, Esc clears)")
    p.send("\r")  # nothing to pick: Enter does nothing
    p.send("\x1b")  # clears the filter ...
    p.expect_exact("shell (a jailed bash")
    p.send("\x1b")  # ... and a second Esc leaves
    out, code = finish(p)
    assert code == 0 and out.rstrip().endswith("anon-pi: nothing launched")
    assert cli.run_calls() == []


def test_backspace_widens_and_the_cursor_keeps_its_row(cli):
    layout(cli)
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("gx")
    p.expect_exact("(no row matches")
    p.send("\x7f")
    p.expect_exact("filter: g ")
    p.send("\x7f")  # the filter is empty, every row is back, still on Gamma
    p.expect_exact("_under  (no conversations yet)")
    p.send("\r")
    out, code = finish(p)
    assert (active_label(out), code) == (GAMMA, 0)
    assert _w(cli.run_calls()) == "/projects/Gamma"


def test_slash_starts_a_filter_so_j_k_q_can_be_typed(cli):
    layout(cli)
    _more(cli, "jobs", "kafka", "quotes")
    for keys, name in (("/q\r", "quotes"), ("/jo\r", "jobs"), ("/kaf\r", "kafka")):
        cli.log.unlink(missing_ok=True)
        label, _out, code = menu(cli, keys=keys)
        assert (label, code) == (f"{name}  (no conversations yet)", 0)
        assert _w(cli.run_calls()) == f"/projects/{name}"


def test_once_filtering_q_is_text_and_arrows_still_move(cli):
    layout(cli)
    _more(cli, "faq", "faqs")
    label, out, code = menu(cli, keys="faq\x1b[B\r")
    assert (label, code) == ("faqs  (no conversations yet)", 0)
    assert f"filter: faq  {FILTER_HELP}" in last_frame(out)


def test_leaving_from_a_cleared_filter_is_status_0_and_ctrl_c_mid_filter_is_130(cli):
    layout(cli)
    before = tree_digest(cli.ws)
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("a\x7f\x7fq")  # type, erase, Backspace on an empty filter ends it, q leaves
    out, code = finish(p)
    assert code == 0 and out.rstrip().endswith("anon-pi: nothing launched")
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("alp")
    p.expect_exact("filter: alp")
    p.send("\x03")
    out, code = finish(p)
    assert code == 130 and out.rstrip().endswith("anon-pi: cancelled; nothing launched")
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_a_utf8_name_is_typed_and_found(cli):
    layout(cli)
    _more(cli, "café", "cafe")
    label, _out, code = menu(cli, keys="é\r")
    assert (label, code) == ("café  (no conversations yet)", 0)
    assert _w(cli.run_calls()) == "/projects/café"


def test_rows_joining_later_are_filtered_too(cli):
    """The boxes join once `netcage ps` answers; a filter typed before keeps applying."""
    from containers_support import BOX_REF, box_entry, ps_json, record_boxes

    layout(cli)
    record_boxes(cli.ws, "dev")
    cli.can("ps", ps_json(box_entry(BOX_REF, "dev")))
    hold, gate = held(cli, "ps")
    p = spawn(cli, **hold)
    p.expect('machine "default"')
    p.send("dev")
    p.expect_exact("(no row matches")  # typed while ps is still held
    let_go(cli, p, gate, "ps")
    p.expect_exact("> enter box dev")
    p.send("\r")
    out, code = finish(p)
    assert code == 0, out
    assert [c[0] for c in cli.run_calls()] == ["start"]
