"""Run every ``benchmarks/bench_*.py`` and write its figures to ``benchmarks/results/NAME.json``.

Each benchmark module defines ``run() -> dict`` that times peakzero against a named peer in the
same run and returns plain numbers. Benchmarks are never tests: nothing here asserts a time.
Usage: ``python benchmarks/run.py [NAME ...]`` (default: all).
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(names: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    paths = sorted(HERE.glob("bench_*.py"))
    if names:
        paths = [p for p in paths if p.stem.removeprefix("bench_") in names or p.stem in names]
    for path in paths:
        name = path.stem.removeprefix("bench_")
        print(f"== {name}", flush=True)
        started = time.time()
        figures = _load(path).run()
        figures["_machine"] = {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "wall_seconds": round(time.time() - started, 2),
            "date": time.strftime("%Y-%m-%d"),
        }
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        print(f"-> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
