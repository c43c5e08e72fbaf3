"""Resolution precedence, llm/proxy rules, netcage generations and the identity record:
pure units."""

import base64

import pytest

from anonpi_helpers.core.addresses import (
    check_llm_generation,
    check_proxy,
    jail_llm_base_url,
    normalise_llm,
)
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.identity import Identity, decode, encode, key_project
from anonpi_helpers.core.netcage_version import hole_flag, loopback_allowed, parse_version
from anonpi_helpers.core.resolve import (
    check_image_ref,
    check_mountable,
    expand_path,
    resolve_image,
    resolve_llm,
    resolve_machine,
    resolve_projects_root,
    resolve_proxy,
)
from anonpi_helpers.edges.workspace import workspace_root

H = "/home/u"


def test_proxy_and_llm_env_over_config_blank_falls_through():
    cfg = {"proxy": " socks5h://10.0.0.1:1080 ", "llm": "10.0.0.2:80"}
    assert resolve_proxy({"ANON_PI_PROXY": "socks5h://e:1"}, cfg) == "socks5h://e:1"
    assert resolve_proxy({"ANON_PI_PROXY": "  "}, cfg) == "socks5h://10.0.0.1:1080"
    assert resolve_proxy({}, {"proxy": 5}) is None
    assert resolve_llm({"ANON_PI_LLM": ""}, cfg) == "10.0.0.2:80"
    assert resolve_llm({}, None) is None


def test_image_precedence_env_is_lowest():
    env = {"ANON_PI_IMAGE": "env:1"}
    assert resolve_image("cli:1", {"image": "m:1"}, env) == "cli:1"
    assert resolve_image(None, {"image": "m:1"}, env) == "m:1"
    assert resolve_image(None, {"image": " "}, env) == "env:1"
    assert resolve_image(None, None, {}) is None


@pytest.mark.parametrize("ref", ["--privileged", "-it", "a b", "a\tb", "a\nb", "x\x7f"])
def test_image_ref_that_would_read_as_an_option_is_refused(ref):
    with pytest.raises(AnonPiError, match="invalid image ref"):
        check_image_ref(ref)


def test_machine_precedence_and_validation():
    assert resolve_machine("box", {"defaultMachine": "other"}) == "box"
    assert resolve_machine(None, {"defaultMachine": " other "}) == "other"
    assert resolve_machine(None, {"defaultMachine": "  "}) == "default"
    assert resolve_machine(None, {"defaultMachine": 3}) == "default"
    assert resolve_machine(None, None) == "default"
    with pytest.raises(AnonPiError, match='invalid machine name "../x"'):
        resolve_machine(None, {"defaultMachine": "../x"})


def _root(mount=None, env=None, machine_cfg=None, config=None):
    return resolve_projects_root(mount=mount, env=env or {}, machine_cfg=machine_cfg,
                                 config=config, workspace="/ws", home=H, cwd="/cwd")


def test_projects_root_precedence():
    full = {"env": {"ANON_PI_PROJECTS": "~/p-env"}, "machine_cfg": {"projects": "/p-m"},
            "config": {"projects": "/p-c"}}
    assert _root(mount="sub/../src", **full) == "/cwd/src"
    assert _root(mount="~/m", **full) == f"{H}/m"
    assert _root(**full) == f"{H}/p-env"
    assert _root(machine_cfg={"projects": "~"}, config={"projects": "/p-c"}) == H
    assert _root(config={"projects": "rel"}) == "/cwd/rel"
    assert _root(config={"projects": " "}) == "/ws/projects"


def test_relative_env_paths_are_errors():
    with pytest.raises(AnonPiError, match="ANON_PI_PROJECTS must be an absolute path"):
        _root(env={"ANON_PI_PROJECTS": "rel"})
    with pytest.raises(AnonPiError, match="ANON_PI_HOME must be an absolute path"):
        workspace_root({"ANON_PI_HOME": "rel/ws"}, H)
    assert workspace_root({"ANON_PI_HOME": "~/w"}, H) == f"{H}/w"
    assert workspace_root({"ANON_PI_HOME": " "}, H) == f"{H}/.anon-pi"
    assert expand_path("~x", H, "/c") == "/c/~x"


@pytest.mark.parametrize("path", ["/a:b", "/a,b"])
def test_unmountable_paths(path):
    with pytest.raises(AnonPiError, match="':' or ','"):
        check_mountable(path, "the projects root")


@pytest.mark.parametrize("value", ["socks5h://127.0.0.1:9050", "SOCKS5H://h.onion:1080",
                                   "socks5h://u:p@10.0.0.1:1080"])
def test_proxy_accepted(value):
    assert check_proxy(value).startswith("socks5h://")


@pytest.mark.parametrize("value, words", [
    (None, "no proxy configured"), ("socks5://127.0.0.1:9050", "not a socks5h:// URL"),
    ("http://127.0.0.1:8080", "not a socks5h:// URL"), ("127.0.0.1:9050", "not a socks5h"),
    ("socks5h://127.0.0.1", "numeric port"), ("socks5h://:9050", "needs a host"),
    ("socks5h://h:99999", "numeric port"),
    ("socks5h://h --network=host:1", "whitespace"), ("socks5h://h\x01:1", "control"),
])
def test_proxy_refused(value, words):
    with pytest.raises(AnonPiError) as exc:
        check_proxy(value)
    assert words in exc.value.message
    for example in ("ANON_PI_PROXY", "anon-pi init", "socks5h://127.0.0.1:9050", "ssh -D",
                    "wireproxy"):
        assert example in exc.value.hint


@pytest.mark.parametrize("value, out", [
    ("192.168.1.150:8080", "192.168.1.150:8080"),
    ("http://192.168.1.150:8080/v1", "192.168.1.150:8080"),
    ("HTTP://user:pw@10.1.2.3:11434/", "10.1.2.3:11434"),
    ("172.16.0.1:80", "172.16.0.1:80"), ("172.31.255.255:1", "172.31.255.255:1"),
    ("169.254.7.7:8080", "169.254.7.7:8080"),
    ("127.0.0.1:11434", "127.0.0.1:11434"), ("127.3.0.1:8080", "127.3.0.1:8080"),
])
def test_llm_accepted(value, out):
    assert normalise_llm(value, loopback_ok=True, proxy="socks5h://127.0.0.1:9050") == out


@pytest.mark.parametrize("value, words", [
    (None, "no local model"), ("192.168.1.5", "explicit numeric port"),
    ("http://192.168.1.5/v1", "explicit numeric port"), ("192.168.1.5:0", "port"),
    ("192.168.1.5:65536", "port"), ("192.168.1.5:a", "port"),
    ("8.8.8.8:8080", "not a private"), ("172.32.0.1:80", "not a private"),
    ("localhost:8080", "not an IPv4"), ("[fe80::1]:8080", "not an IPv4"),
    ("::1:8080", "not an IPv4"), ("192.168.1.5:53", "DNS port"),
    ("10.0.0.1:853", "DNS port"), ("169.254.1.1:5353", "DNS port"),
    ("127.0.0.1:9050", "proxy port"), ("127.0.0.1:9150", "proxy port"),
    ("127.0.0.1:9051", "proxy port"), ("127.0.0.1:1080", "proxy port"),
    ("127.0.0.1:25344", "proxy port"),  # the configured proxy's own port
    ("127.0.0.1:53", "DNS port"),
])
def test_llm_refused(value, words):
    with pytest.raises(AnonPiError) as exc:
        normalise_llm(value, loopback_ok=True, proxy="socks5h://127.0.0.1:25344")
    assert words in exc.value.message
    assert "ANON_PI_LLM" in exc.value.hint


def test_loopback_needs_netcage_012():
    with pytest.raises(AnonPiError, match="needs netcage 0.12 or newer"):
        normalise_llm("127.0.0.1:11434", loopback_ok=False)
    with pytest.raises(AnonPiError, match="needs netcage 0.12 or newer"):
        check_llm_generation("127.0.0.1:11434", loopback_allowed("--allow-direct"))
    assert check_llm_generation("127.0.0.1:11434", loopback_allowed("--allow"))
    assert check_llm_generation("10.0.0.1:80", False) == "10.0.0.1:80"


def test_jail_base_url_maps_loopback_to_169_254_1_1():
    assert jail_llm_base_url("127.0.0.1:11434") == "http://169.254.1.1:11434/v1"
    assert jail_llm_base_url("192.168.1.5:8080") == "http://192.168.1.5:8080/v1"


@pytest.mark.parametrize("text, version, flag", [
    ("netcage 0.12.0\n", (0, 12, 0), "--allow"),
    ("netcage v0.9.1 (abc123)", (0, 9, 1), "--allow-direct"),
    ("netcage 0.11.99", (0, 11, 99), "--allow-direct"),
    ("netcage 1.0.0", (1, 0, 0), "--allow"),
    ("netcage 0.12.0-rc1", (0, 12, 0), "--allow"),
    ("netcage dev", None, "--allow"),
    ("garbage", None, "--allow"),
    ("", None, "--allow"),
    (None, None, "--allow"),
])
def test_netcage_generations(text, version, flag):
    assert parse_version(text or "") == version
    assert hole_flag(text) == flag


def test_identity_round_trip_and_exact_record():
    ident = Identity("box", "/ws/projects", "", "/projects/recon")
    key = encode(ident)
    assert base64.b64decode(key).decode() == (
        "machine=box\nprojectsRoot=/ws/projects\nmountParent=\ncwd=/projects/recon")
    assert decode(key) == ident
    uni = Identity("Ünï", "/p,x", "/m", "/work/日本")
    assert decode(encode(uni)) == uni


def test_identity_tolerant_decode():
    b64 = lambda s: base64.b64encode(s.encode()).decode()
    assert decode(b64("cwd=/projects/a\nfoo=bar")) == Identity("", "", "", "/projects/a")
    assert decode(b64("machine=a=b")).machine == "a=b"
    assert decode(b64("no record here")) is None
    assert decode("!!!not base64") is None
    assert decode(base64.b64encode(b"\xff\xfe").decode()) is None
    assert decode("") is None


@pytest.mark.parametrize("cwd, project", [("/projects", "."), ("/work", "."), ("/root", ""),
                                          ("/projects/x", "x"), ("/work/x", "x")])
def test_key_project(cwd, project):
    assert key_project(cwd) == project
