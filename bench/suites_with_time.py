"""The peers' suites scored exactly as `../shared/tools/suites/score.py` scores them, except that zhnews is
given each case's reference date *and time* (`published="2013-02-12T04:30:00"`) instead of the date alone.

    TZ=Asia/Shanghai python bench/suites_with_time.py --results /tmp/suites-time
    python ../shared/tools/suites/pool.py /tmp/suites-time/summary.json

The shared scorer passes `published=<date>`, so every case whose answer counts from the reference time
(两小时前, 半小时后, 过去5分钟, 未来7天 from 01:06:40) cannot pass there, whatever zhnews does. The difference
between the two pooled figures is what the date-only reference costs; the official figure is the shared
scorer's. Everything else (cases, matching, pooling) is the shared code, loaded from its file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "tools" / "suites" / "score.py"


def main() -> int:
    if not SCORE.is_file():
        print(f"{SCORE} not found: this needs ../shared beside the repository", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("shared_suite_score", SCORE)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)

    def rec_with_time(self, case):
        r = self.extract(case["input"], published=score.ref_dt(case).isoformat())
        return r.model_dump(mode="json") if hasattr(r, "model_dump") else r

    score.ZhnewsPeer._rec = rec_with_time
    sys.argv = [str(SCORE), "--peers", "zhnews", *sys.argv[1:]]
    return score.main() or 0


if __name__ == "__main__":
    raise SystemExit(main())
