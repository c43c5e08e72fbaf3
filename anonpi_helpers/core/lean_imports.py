"""Import plumbum without the start-up work it never needs on anon-pi's path.

plumbum is THE runner library, but importing it cost about 2-3x a bare Python start:
- `plumbum.path.local` imports `urllib.request` (pulling in http.client, email, ssl) only
  for `LocalPath.as_uri()`; `pickle` (daemons) and `socket` (ssh tunnels) are likewise used
  only inside functions anon-pi never calls; `shutil` (with bz2, lzma) and `traceback` (with
  tokenize, linecache), which plumbum and logging import, serve only calls anon-pi's queries
  never make;
- `plumbum.machines.local` reads `platform.uname()[0]`, and indexing a uname result computes
  every field, including `processor`, which spawns `uname -p`.
`deferred_stdlib()` makes these lazy while plumbum imports: each module in DEFERRED is a
stand-in that becomes the real module on first attribute access, and the uname `processor`
field is left uncomputed afterwards. Nothing changes for code that really uses them.
Measured by `make bench` (README "Speed").
"""

import _thread
import sys
import types

DEFERRED = ("urllib.request", "pickle", "socket", "shutil", "traceback")
# one swap at a time (a picker's fill-in thread may touch a stand-in too); re-entrant, as a
# real module's import may read another stand-in
_SWAP = _thread.RLock()


class _Deferred(types.ModuleType):
    """A stand-in module: the first attribute read imports the real one and answers from it.
    Only attribute reads are forwarded: `dir()` and `vars()` of a stand-in are empty."""

    def __getattr__(self, attr):
        name = self.__name__
        with _SWAP:
            if sys.modules.get(name) is self:
                del sys.modules[name]
                real = _imported(name)
                parent, _, child = name.rpartition(".")
                if parent:
                    setattr(sys.modules[parent], child, real)
        return getattr(sys.modules[name], attr)


def _imported(name: str) -> types.ModuleType:
    """The module `name`, imported by the builtin `__import__` (importlib itself costs a
    module load on every verb that defers something)."""
    __import__(name)
    return sys.modules[name]


def defer(*names: str) -> None:
    """Stand-ins for modules not imported yet; each loads for real on first use."""
    for name in names:
        _defer(name)


def _defer(name: str) -> None:
    if name in sys.modules:
        return
    parent, _, child = name.rpartition(".")
    stand_in = _Deferred(name)
    sys.modules[name] = stand_in
    if parent:
        setattr(_imported(parent), child, stand_in)


class deferred_stdlib:
    """Wrap the first `import plumbum`; a no-op once plumbum is loaded. A plain class, not
    contextlib.contextmanager: every verb imports this module, and contextlib is not free."""

    def __enter__(self):
        self.fields = None
        if "plumbum" in sys.modules:
            return
        import platform

        defer(*DEFERRED)
        fields = vars(platform.uname())  # os.uname() only; `processor` is a lazy property
        if "processor" not in fields:
            fields["processor"] = ""  # plumbum reads only the system name
            self.fields = fields

    def __exit__(self, *_exc) -> None:
        if self.fields is not None:
            self.fields.pop("processor", None)  # a later real reader still gets `uname -p`
