#!/usr/bin/env python3
"""Makes the phone photos of sign-in sheets of tests/ocr_hard_scans.rs (failure class: a phone
photo of a paper sign-in sheet, ~110 dpi, perspective, uneven light, JPEG 62).

Each photo is `phone_photo` of fixtures/generate/common.py (the generator of the training archive)
taken of a born-digital sign-in sheet of the training archive (fixtures/archive) whose signature
images stand for the ink; its truth (signed cells, dates) is that sheet's entry in
fixtures/archive.truth.json, copied into truth.json here under the photo's name.

Needs: python3 with pillow and numpy; pdftoppm. Deterministic (fixed seeds).
Run: `python3 tests/data/hard_scans/make_phone_photos.py` (after make_hard_scans.py, which
rewrites truth.json).
"""

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT / "fixtures" / "generate"))
from common import phone_photo  # noqa: E402

PHOTOS = [
    # (photo, source sheet in fixtures/archive, seed, EXIF time)
    ("photo_emargement_garage.jpg",
     "Atelier Nord Formation/Clients/Garage Vasseur/2024-12 Gestion du temps et des priorités/"
     "Feuille d'émargement Garage Vasseur.pdf", 701, dt.datetime(2024, 12, 12, 17, 40, 3)),
    ("photo_emargement_individuelle.jpg",
     "Formacoeur Lyon/2025/2025-09 Prise de parole en public - Camille Perrin/"
     "Feuille d'émargement individuelle.pdf", 702, dt.datetime(2025, 9, 26, 18, 2, 41)),
    # A 30-cell sheet whose grid OCR does not find on the photo: its signatures must be
    # `unknown`, never `unsigned` (tests/ocr_hard_scans.rs).
    ("photo_emargement_gestes.jpg",
     "Formacoeur Lyon/2025/2025-03 Gestes et postures - Boulangerie Martin/Émargements/"
     "Feuille d'émargement - Gestes et postures.pdf", 907, dt.datetime(2025, 3, 12, 17, 55, 9)),
]


def main() -> None:
    archive = json.loads((ROOT / "fixtures" / "archive.truth.json").read_text(encoding="utf-8"))["files"]
    truth_path = HERE / "truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    for name, src, seed, when in PHOTOS:
        out = HERE / name
        phone_photo(ROOT / "fixtures" / "archive" / src, out, seed=seed, when=when)
        t = archive[src]
        truth["files"][name] = {
            "kind": t["kind"], "dates": t.get("dates"), "signature": t["signature"]["status"],
            "expected": t["signature"]["expected"], "found": t["signature"]["found"],
            "source": f"fixtures/archive/{src}", "producer": f"phone_photo(seed={seed})",
        }
        print(f"{out.stat().st_size // 1024:5d} KB  {name}")
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
