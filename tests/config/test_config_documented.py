"""Every setting is documented: a ``SCORING_*`` environment variable read anywhere in the package
appears in the README (as Datasette does for its settings), so an operator never has to read code
to find a switch."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_setting_is_in_the_readme():
    read = set()
    for path in (ROOT / "scoring").rglob("*.py"):
        read |= set(re.findall(r"[\"'](SCORING_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(name for name in read if f"`{name}" not in readme)
    assert read and not undocumented, undocumented
