"""Starts and stops `grafana-invites serve-fake` for the Python checks: on a free port of
127.0.0.1, with `--json` (one line of settings on stdout), stopped by its PID."""

import json
import os
import signal
import subprocess
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent.parent / "conformance" / "seed.json"


def start(*extra):
    """Starts serve-fake with the extra flags; returns (process, settings), settings being
    the JSON line it prints: url, token, user, password, orgId, grafanaVersion."""
    binary = os.environ.get("GRAFANA_INVITES_BIN")
    if not binary:
        raise RuntimeError("set GRAFANA_INVITES_BIN to the grafana-invites binary (the Makefile does)")
    proc = subprocess.Popen(
        [binary, "serve-fake", "--addr", "127.0.0.1:0", "--json", *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        raise RuntimeError(f"serve-fake printed no settings line (exit {proc.returncode})")
    return proc, json.loads(line)


def stop(proc):
    """Stops serve-fake by its PID; returns its exit status (0 when it stopped cleanly)."""
    os.kill(proc.pid, signal.SIGTERM)
    status = proc.wait(timeout=10)
    proc.stdout.close()
    return status
