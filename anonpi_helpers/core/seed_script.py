"""The script run by `sh` inside the jail before pi or bash.

Two parts: seed-if-fresh (a home without the marker gets the image's staged defaults, the
models and the model selection), then, unless the user opted into pi's own network features
(`"piNetwork": true` in config.json), `export PI_OFFLINE=1 PI_TELEMETRY=0`: pi 1.6.0 then skips
its install report, its version check, its model-catalog refresh and any `fd` download, and
talks to the model only. Setting them in the script keeps the netcage argv's exact shape.
Paths are parameters only so tests can execute the very same text against temp folders.
"""

SILENT_ENV = "export PI_OFFLINE=1 PI_TELEMETRY=0"

# argv: <home settings> <seed settings> <silent 1|0>. Sets exactly the three selection keys to
# the seed's (absent there = removed) when a seed is readable, keeping every other key; when
# silent, adds `enableInstallTelemetry: false` unless the user's settings already decide it.
_MERGE_JS = (
    'const fs=require("fs");const[d,s,q]=process.argv.slice(-3);let o={};'
    'try{o=JSON.parse(fs.readFileSync(d,"utf8"))}catch(e){}'
    'if(o===null||typeof o!=="object"||Array.isArray(o))o={};'
    'let n=null;try{n=JSON.parse(fs.readFileSync(s,"utf8"))}catch(e){}'
    'const seeded=n!==null&&typeof n==="object"&&!Array.isArray(n);'
    'const quiet=q==="1"&&!("enableInstallTelemetry" in o);'
    'if(!seeded&&!quiet)process.exit(0);'
    'if(seeded)for(const k of["defaultProvider","defaultModel","enabledModels"])'
    '{if(k in n)o[k]=n[k];else delete o[k]}'
    'if(quiet)o.enableInstallTelemetry=false;'
    'fs.writeFileSync(d,JSON.stringify(o,null,2)+"\\n")'
)


def seed_script(
    agent: str = "/root/.pi/agent",
    stage: str = "/opt/anon-pi-seed/agent",
    seed: str = "/anon-pi-seed",
    silent: bool = True,
) -> str:
    """POSIX sh: on a home without the marker, promote staging, models and settings, stamp;
    then (silent) export pi's no-network switches for whatever the script execs."""
    seed_if_fresh = (
        f'A="{agent}"; if [ ! -e "$A/.anon-pi-seed" ]; then '
        'mkdir -p "$A"; '
        f'if [ -d "{stage}" ]; then cp -a "{stage}/." "$A/" || true; fi; '
        f'if [ -f "{seed}/models.json" ]; then '
        f'cp "{seed}/models.json" "$A/models.json" || true; fi; '
        "if command -v node >/dev/null 2>&1; then "
        f"node -e '{_MERGE_JS}' \"$A/settings.json\" \"{seed}/settings.json\" "
        f"{1 if silent else 0} || true; fi; "
        "printf '1\\n' > \"$A/.anon-pi-seed\"; fi"
    )
    return f"{seed_if_fresh}; {SILENT_ENV}" if silent else seed_if_fresh


def container_command(mode: str, pi_args: tuple[str, ...], script: str | None = None) -> list[str]:
    """`sh -c '<script>; exec pi|bash'`, with pi's own args passed as "$@" (never re-parsed)."""
    script = script or seed_script()
    if mode == "shell":
        return ["sh", "-c", f"{script}; exec bash"]
    if not pi_args:
        return ["sh", "-c", f"{script}; exec pi"]
    return ["sh", "-c", f'{script}; exec pi "$@"', "pi", *pi_args]
