"""make contract-schemathesis: schemathesis, with every check, against a fresh serve-fake and
openapi.yaml. The seed is printed (set SCHEMATHESIS_SEED to replay one); a failure prints the
curl command that reproduces it. The fake is stopped by its PID whatever happens."""

import os
import random
import subprocess
import sys
from pathlib import Path

import servefake

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent.parent / "openapi.yaml"
# Bounds the whole run: it takes about a minute on the project's 2-core machine.
TIME_LIMIT_SECONDS = 120


def main():
    seed = int(os.environ.get("SCHEMATHESIS_SEED") or random.randrange(1, 2**31))
    print(f"schemathesis seed: {seed} (SCHEMATHESIS_SEED={seed} make contract-schemathesis replays it)", flush=True)
    proc, settings = servefake.start()
    try:
        env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks", PYTHONPATH=str(HERE))
        cmd = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file", str(HERE / "schemathesis.toml"),
            "run", str(SPEC),
            "--url", settings["url"] + "api",
            "--header", "Authorization: Bearer " + settings["token"],
            "--checks", "all",
            "--seed", str(seed),
            "--no-color",
        ]
        try:
            status = subprocess.run(cmd, env=env, cwd=HERE, timeout=TIME_LIMIT_SECONDS, check=False).returncode
        except subprocess.TimeoutExpired:
            print(f"schemathesis took more than {TIME_LIMIT_SECONDS} s", file=sys.stderr)
            status = 1
    finally:
        stopped = servefake.stop(proc)
    if stopped != 0:
        print(f"serve-fake exited {stopped}", file=sys.stderr)
        status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
