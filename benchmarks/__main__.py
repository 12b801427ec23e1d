"""`make bench`: run every benchmark in its own process, one after another, and print their tables."""

import subprocess
import sys
from pathlib import Path

SCRIPTS = ["bank_speed", "feedback_speed", "feedback_quality", "web_speed", "speech_speed", "community_speed",
           "preparation_speed", "plan_quality", "reliability_load", "job_wakeup"]


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    failed = []
    for name in SCRIPTS:
        if not (root / "benchmarks" / f"{name}.py").exists():
            print(f"\n(benchmarks/{name}.py is missing: skipped)")
            continue
        print(f"\n===== {name} =====", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=root).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
