"""Chinese first: every message the code or a page can show has a Chinese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "scoring" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def test_every_extracted_message_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from babel.messages.frontend import main; main()",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "N_",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f)
    have = {m.id for m in catalog if m.id and m.string}
    missing = sorted(wanted - have)
    assert not missing, f"{len(missing)} messages without Chinese, e.g. {missing[:5]}"
