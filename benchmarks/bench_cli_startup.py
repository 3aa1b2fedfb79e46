"""Start-up time of the ``peakzero`` command vs ``python -c "import pandas"``, same run.

Each command runs as a fresh process (as a user types it) and prints to a pipe; the rounds are
interleaved (every command once per round, ``ROUNDS`` rounds) and medians reported, because other
jobs share the machine. Wall time is what a user waits; the CPU time of the child (user + system,
from ``resource.getrusage(RUSAGE_CHILDREN)``) is steadier on a busy machine. The peer,
``python -c "import pandas"``, is the floor any command that imports pandas cannot go below;
``python -c "pass"`` is the interpreter's own start-up.

The goal of issue 9: ``peakzero --help`` and ``peakzero tariff list`` start faster than the peer.
``peakzero weather stations --province Jiangsu`` reads the bundled station table with pandas, so
it is reported for reference, not held to that goal.

Before issue 9 (main at f8dc7bd, every command module and engine imported at start-up), the same
benchmark on the same shared machine gave medians of 2.81 s wall / 1.67 s CPU for
``peakzero --help``, 2.65 s / 1.78 s for ``peakzero tariff list`` and 2.35 s / 1.67 s for
``weather stations``, against 0.55 s / 0.45 s for ``python -c "import pandas"``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROUNDS = 9
#: Commands timed, by label; ``peakzero`` is replaced by the installed console script.
COMMANDS: dict[str, list[str]] = {
    "peakzero --help": ["peakzero", "--help"],
    "peakzero tariff list": ["peakzero", "tariff", "list"],
    "peakzero weather stations --province Jiangsu": [
        "peakzero",
        "weather",
        "stations",
        "--province",
        "Jiangsu",
    ],
    'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
    'python -c "pass"': [sys.executable, "-c", "pass"],
}
PEER = 'python -c "import pandas"'
GOAL_COMMANDS = ("peakzero --help", "peakzero tariff list")


def _peakzero() -> list[str]:
    script = Path(sys.executable).with_name("peakzero")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "peakzero"]


def _argv(command: list[str]) -> list[str]:
    return [*_peakzero(), *command[1:]] if command[0] == "peakzero" else command


def _time_once(argv: list[str]) -> tuple[float, float]:
    """Wall and child CPU seconds of one run; the command must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env={**os.environ, "COLUMNS": "120"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run() -> dict[str, Any]:
    """Median wall and CPU seconds per command over interleaved rounds, and the ratios."""
    walls: dict[str, list[float]] = {label: [] for label in COMMANDS}
    cpus: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache, untimed
        _time_once(_argv(command))
    for _ in range(ROUNDS):
        for label, command in COMMANDS.items():
            wall, cpu = _time_once(_argv(command))
            walls[label].append(wall)
            cpus[label].append(cpu)
    median_wall = {label: round(statistics.median(v), 3) for label, v in walls.items()}
    median_cpu = {label: round(statistics.median(v), 3) for label, v in cpus.items()}
    return {
        "rounds": ROUNDS,
        "peer": PEER,
        "median_wall_seconds": median_wall,
        "median_cpu_seconds": median_cpu,
        "wall_ratio_to_peer": {
            label: round(median_wall[label] / median_wall[PEER], 3) for label in COMMANDS
        },
        "goal": "peakzero --help and peakzero tariff list faster than the peer (ratio < 1)",
        "goal_met": {
            label: median_wall[label] < median_wall[PEER] and median_cpu[label] < median_cpu[PEER]
            for label in GOAL_COMMANDS
        },
        "round_wall_seconds": {label: [round(v, 3) for v in walls[label]] for label in COMMANDS},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
