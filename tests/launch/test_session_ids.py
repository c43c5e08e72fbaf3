"""Conversation ids people can type: pi's ids are UUIDv7 (a millisecond clock first), so the
start of an id is shared by every conversation of the same minute. anon-pi takes any part of 6
characters or more, lists each id as its shortest part that is unique on the machine, and every
such part opens exactly that conversation. The ambiguity list shows jail-made names escaped."""

import json

from harness_paths import NETCAGE
from hypothesis import given
from hypothesis import strategies as st
from in_process import program

from anonpi_helpers.launch.session_files import SessionFile, matching
from anonpi_helpers.launch.session_ids import MIN_PART, fits, short_forms, typeable

# six conversations started within the same minute, as pi 1.6.0 names them
SAME_MINUTE = [f"019ae5b1-{n:x}c2d-7{n:x}3a-9d4b-8e1f2a3b{n:x}c5d" for n in range(6)]


def _files(ids):
    return [SessionFile(path=f"/s/{i}", session_id=sid, stamp="t") for i, sid in enumerate(ids)]


def test_fits_a_start_of_any_length_or_any_part_of_six():
    sid = SAME_MINUTE[0]
    assert fits(sid, "0") and fits(sid, "019ae5b1") and fits(sid, "3b0c5d")  # start, end
    assert fits(sid, "9d4b-8e1f") and fits(sid, sid)  # middle
    assert not fits(sid, "b0c5d")  # five characters only match at the start
    assert not fits(sid, "3b0c5e")


def test_the_shared_start_is_ambiguous_and_each_short_form_is_not():
    files = _files(SAME_MINUTE)
    assert len(matching(files, "019ae5b1")) == 6
    form = short_forms(SAME_MINUTE)
    forms = [form(sid) for sid in SAME_MINUTE]
    assert all(len(f) == MIN_PART and "-" not in f for f in forms), forms
    assert forms[0] == "3b0c5d"  # the random end of the id, not its clock
    for sid, f in zip(SAME_MINUTE, forms):
        assert [m.session_id for m in matching(files, f)] == [sid]


def test_short_twin_and_untypeable_ids_are_shown_whole():
    ids = ["abc", "abcdef", "twin-0123456789", "twin-0123456789", "odd id 0123456789",
           "0123-----_____.....-"]
    form = short_forms(ids)
    assert form("abc") == "abc" and form("abcdef") == "abcdef"
    assert form("twin-0123456789") == "twin-0123456789"
    assert form("odd id 0123456789") == "odd id 0123456789"
    assert form("0123-----_____.....-") == "3-----"  # a part `--session` takes: alnum first


@given(st.lists(st.text("0123456789abcdef-", min_size=1, max_size=14), min_size=1, max_size=8,
                unique=True))
def test_every_printed_form_opens_exactly_its_conversation(ids):
    form = short_forms(ids)
    files = _files(ids)
    for sid in ids:
        assert [m.session_id for m in matching(files, form(sid))] == [sid], (sid, form(sid))
        assert typeable(form(sid)) == typeable(sid)  # what --session takes, when it can


def _conversation(home, sid, stamp="2026-12-01T09-17-37-123Z", cwd="/projects/recon"):
    folder = home / ".pi/agent/sessions" / "--projects-recon--"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}_{sid}.jsonl"
    path.write_text(json.dumps({"type": "session", "id": sid, "cwd": cwd}) + "\n")
    return path


def _configured(tmp_path):
    ws = tmp_path / "ws"
    (ws / "machines" / "default").mkdir(parents=True)
    (ws / "config.json").write_text(json.dumps({"proxy": "socks5h://127.0.0.1:9050",
                                                "llm": "192.168.1.50:8080"}))
    (ws / "machines" / "default" / "machine.json").write_text('{"image": "img:1"}\n')
    return ws / "machines" / "default" / "home"


def test_the_readme_example_lists_then_the_listed_id_opens_it(nc, tmp_path, capsys):
    home = _configured(tmp_path)
    for n, sid in enumerate(SAME_MINUTE[:3]):
        _conversation(home, sid, stamp=f"2026-12-01T09-17-3{n}-000Z")
    # each of the two runs asks once (the answer is remembered per run, io.memo)
    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n", occurrences=2)
    assert program(["--dry-run", "--session", "019ae5b1", "-p", "go on"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == 'anon-pi: 3 conversations on machine "default" match "019ae5b1":'
    assert [row.split()[0] for row in err[1:4]] == ["3b2c5d", "3b1c5d", "3b0c5d"]  # newest 1st
    assert program(["--dry-run", "--session", "3b1c5d", "-p", "go on"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"--session {SAME_MINUTE[1]} -p 'go on'")
