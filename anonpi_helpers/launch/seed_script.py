"""The seed-if-fresh script run by `sh` inside the jail before pi or bash (launch §6.2).

Paths are parameters only so tests can execute the very same text against temp folders.
"""

# Sets exactly the three selection keys to the seed's (absent there = removed), keeping every
# other key of settings.json.
_MERGE_JS = (
    'const fs=require("fs");const[d,s]=process.argv.slice(-2);let o={};'
    'try{o=JSON.parse(fs.readFileSync(d,"utf8"))}catch(e){}'
    'if(o===null||typeof o!=="object"||Array.isArray(o))o={};'
    'const n=JSON.parse(fs.readFileSync(s,"utf8"));'
    'if(n===null||typeof n!=="object"||Array.isArray(n))process.exit(0);'
    'for(const k of["defaultProvider","defaultModel","enabledModels"])'
    '{if(k in n)o[k]=n[k];else delete o[k]}'
    'fs.writeFileSync(d,JSON.stringify(o,null,2)+"\\n")'
)


def seed_script(
    agent: str = "/root/.pi/agent",
    stage: str = "/opt/anon-pi-seed/agent",
    seed: str = "/anon-pi-seed",
) -> str:
    """POSIX sh: on a home without the marker, promote staging, models and settings, stamp."""
    return (
        f'A="{agent}"; if [ ! -e "$A/.anon-pi-seed" ]; then '
        'mkdir -p "$A"; '
        f'if [ -d "{stage}" ]; then cp -a "{stage}/." "$A/" || true; fi; '
        f'if [ -f "{seed}/models.json" ]; then cp "{seed}/models.json" "$A/models.json" || true; fi; '
        f'if [ -f "{seed}/settings.json" ] && command -v node >/dev/null 2>&1; then '
        f"node -e '{_MERGE_JS}' \"$A/settings.json\" \"{seed}/settings.json\" || true; fi; "
        "printf '1\\n' > \"$A/.anon-pi-seed\"; fi"
    )


def container_command(mode: str, pi_args: tuple[str, ...], script: str | None = None) -> list[str]:
    """`sh -c '<seed>; exec pi|bash'`, with pi's own args passed as "$@" (never re-parsed)."""
    script = script or seed_script()
    if mode == "shell":
        return ["sh", "-c", f"{script}; exec bash"]
    if not pi_args:
        return ["sh", "-c", f"{script}; exec pi"]
    return ["sh", "-c", f'{script}; exec pi "$@"', "pi", *pi_args]
