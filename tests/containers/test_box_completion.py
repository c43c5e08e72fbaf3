"""The box names a TAB offers after `container enter` / `container rm`: written by every box
verb and the menu from the `netcage ps` they already make, read by a real bash (the TAB itself
asks nobody)."""

from completions_support import bash_candidates
from containers_support import BOX_REF as REF
from containers_support import box_entry, ps_json, record_boxes
from menu_support import finish, menu, spawn

WEB = "b" * 64


def _tab(cli, line: str) -> list[str]:
    return sorted(bash_candidates(line, cli.env(), cli.tmp))


def _names(cli) -> list[str]:
    head, *names = (cli.home / ".cache" / "anon-pi" / "boxes").read_text().splitlines()
    assert head.startswith("#anon-pi-names ") and len(head.split(" ")) == 2  # no store file
    return names


def test_list_and_rm_leave_the_names_a_tab_offers(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    assert _tab(cli, "anon-pi container enter ") == []  # nothing listed yet
    cli.can("ps", ps_json(box_entry(REF, "dev"), box_entry(WEB, "web", state="running")))
    assert cli.run("container", "list").returncode == 0
    assert _tab(cli, "anon-pi container enter ") == ["dev", "web"]
    assert _tab(cli, "anon-pi container rm w") == ["web"]
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 0, res.stderr
    assert _names(cli) == ["web"]
    assert _tab(cli, "anon-pi container rm ") == ["web"]
    record_boxes(cli.ws, "dev")  # as if made again; ps still shows it
    cli.can(f"rm-{WEB}", "", rc=3, err="netcage: rm: boom\n")
    assert cli.run("container", "rm", "web", "--yes").returncode == 3
    assert _names(cli) == ["dev", "web"]  # a failed rm leaves what ps said


def test_create_adds_its_name_and_enter_refreshes(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(WEB, "web")))
    (cli.ws / "projects" / "recon").mkdir(parents=True)  # no new-project question
    out, code = finish(spawn(cli, "container", "create", "dev", "recon"))
    assert code == 0, out
    assert _names(cli) == ["dev", "web"]
    record_boxes(cli.ws, "dev")  # the token this test's listing carries
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    out, code = finish(spawn(cli, "container", "enter", "dev"))
    assert code == 0, out
    assert _tab(cli, "anon-pi container enter ") == ["dev"]


def test_the_menus_box_listing_refreshes_the_names(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev"), box_entry(WEB, "other", machine="m2")))
    picked, out, code = menu(cli, keys="k\r", after="enter box dev")
    assert code == 0 and picked == "enter box dev", out
    assert _names(cli) == ["dev", "other"]  # every box, whichever machine the menu shows
