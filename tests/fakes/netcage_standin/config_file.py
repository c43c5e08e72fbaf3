"""netcage's own config file: a default proxy and allow list, read on every `run`/`start`/`verify`.

It lives at `$XDG_CONFIG_HOME/netcage/config.json`, else `$HOME/.config/netcage/config.json`; a
missing file is fine. Anything else wrong with it is fatal (exit 2), even when the command line
gives `--proxy` and a hole: a broken or empty file, a key netcage does not know (including the
other generation's allow key: `allowDirect` in 0.11, `allow` in 0.12+), an allow entry that
fails the hole rules. netcage decodes it with Go's encoding/json (unknown fields refused, keys
matched case-insensitively, only the first JSON value read); the stand-in reproduces the
recorded messages of that decoder (`EOF`, `unexpected EOF`, `json: unknown field "k"`) and words
the rarer ones the same way.
"""
import json
import os
from dataclasses import dataclass, field

from .gostr import quote
from .holes import HoleError, parse_hole


@dataclass
class NetcageConfig:
    present: bool = False
    proxy: str = ""
    holes: list = field(default_factory=list)


class ConfigError(Exception):
    """The config file is unusable; the message is netcage's reason."""


class _Undecodable(Exception):
    """What Go's JSON decoder said about the file."""


def config_path(env) -> str | None:
    if env.get("XDG_CONFIG_HOME"):
        return os.path.join(env["XDG_CONFIG_HOME"], "netcage", "config.json")
    if env.get("HOME"):
        return os.path.join(env["HOME"], ".config", "netcage", "config.json")
    return None


def load_config(env, gen) -> NetcageConfig:
    path = config_path(env)
    if path is None:
        return NetcageConfig()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return NetcageConfig()
    except IsADirectoryError:
        raise ConfigError(f"reading netcage config {path}: read {path}: is a directory") from None
    except PermissionError:
        raise ConfigError(f"reading netcage config {path}: open {path}: permission denied") \
            from None
    expected = ('{"proxy":"socks5h://host:port","allowDirect":[...]}' if gen.allow_direct
                else '{"proxy":"socks5h://host:port","allow":["192.168.1.150:8080"]}')
    try:
        proxy, allow = _decode(data.decode("utf-8", "replace"), gen.config_allow_key)
    except _Undecodable as exc:
        raise ConfigError(f"parsing netcage config {path}: {exc} (expected {expected})") from None
    conf = NetcageConfig(present=True, proxy=proxy)
    for raw in allow:
        try:
            conf.holes.append(parse_hole(raw, gen))
        except HoleError as exc:
            raise ConfigError(f"in netcage config {path}: {exc}") from None
    return conf


def _decode(text: str, allow_key: str) -> tuple[str, list]:
    """(proxy, allow entries) as Go's json.Decoder with DisallowUnknownFields reads them."""
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if start == len(text):
        raise _Undecodable("EOF")
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip(" \t\r\n")):
            raise _Undecodable("unexpected EOF") from None
        char = text[exc.pos] if exc.pos < len(text) else ""
        raise _Undecodable(f"invalid character {_go_char(char)} looking for beginning of value") \
            from None
    if not isinstance(value, dict):
        raise _Undecodable(f"json: cannot unmarshal {_kind(value)} into Go value of type "
                         "cli.fileConfig")
    fields = {"proxy": "proxy", allow_key.lower(): allow_key}
    proxy, allow = "", []
    for key, item in value.items():
        name = fields.get(key.lower())
        if name is None:
            raise _Undecodable(f"json: unknown field {quote(key)}")
        if name == "proxy" and item is not None:
            if not isinstance(item, str):
                raise _Undecodable(f"json: cannot unmarshal {_kind(item)} into Go struct field "
                                 "fileConfig.proxy of type string")
            proxy = item
        elif name == allow_key and item is not None:
            if not isinstance(item, list) or not all(isinstance(e, str) for e in item):
                raise _Undecodable(f"json: cannot unmarshal {_kind(item)} into Go struct field "
                                 f"fileConfig.{allow_key} of type []string")
            allow = item
    return proxy, allow


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "bool"}.get(type(value), "number")


def _go_char(char: str) -> str:
    return "'\\''" if char == "'" else f"'{char}'"
