#!/usr/bin/env python3
"""Makes the hard scanned sign-in sheets of tests/ocr_hard_scans.rs and their truth (truth.json).

What real archives hold and the first scan fixtures (tests/data/scans) did not: 150-200 dpi grey
scans of sheets signed with a faint, thin blue ballpoint (light grey once scanned in grey), small
initials instead of signatures, skew of 2-3 degrees, punched holes and a dark shadow in the margin,
JPEG quality 40-60, copier scans stored bitonal as CCITT G4 (in a PDF and in a TIFF), and a sheet
whose grid runs over two pages (the header row repeated on page 2).

How: the sheet is written as HTML and printed by headless Chromium, rasterised by pdftoppm (grey),
handwriting is drawn where people signed (cursive strokes from make_scans.py, or names and initials
in handwriting fonts: Dancing Script, Kaushan Script, DkgHandwriting, Femke Klaver), then the page is
degraded (paper, light, noise, rotation, blur, holes, shadow) and saved (JPEG in a PDF via img2pdf,
or 1-bit CCITT G4 TIFF via Pillow/libtiff, wrapped as a PDF by img2pdf which keeps the G4 stream).

Needs: python3 with pillow (libtiff) and numpy; chromium, pdftoppm, img2pdf; fonts-dancingscript,
fonts-kaushanscript, fonts-dkg-handwriting, fonts-femkeklaver. Deterministic (fixed seeds).
Run: `python3 tests/data/hard_scans/make_hard_scans.py`.
"""

import datetime as dt
import html
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scans"))
import make_scans as ms  # noqa: E402

TRUTH: dict = {"files": {}}
FONTS = [
    "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
    "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf",
    "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
]


def sheet_html(days, people, course, place, trainer, absents, row_mm, page_rows=None) -> str:
    d_fmt = lambda d: d.strftime("%d/%m/%Y")
    head1 = "".join(f"<th colspan=2>{d_fmt(d)}</th>" for d in days)
    head2 = "".join("<th>Matin</th><th>Après-midi</th>" for _ in days)
    rows = []
    for t in people:
        cells = "".join(
            f"<td class=cell>{'Absent' if absents.get((t, di, half)) else ''}</td>"
            for di in range(len(days)) for half in range(2))
        rows.append(f"<tr style='height:{row_mm}mm'><td class=name>{html.escape(t)}</td>{cells}</tr>")
    period = f"du {d_fmt(days[0])} au {d_fmt(days[-1])}" if len(days) > 1 else f"le {d_fmt(days[0])}"
    return (
        "<style>tr { break-inside: avoid; }</style>"
        + ms.org_header() + "<h1>Feuille d'émargement</h1>"
        + f"<p><b>Formation :</b> {html.escape(course)}<br><b>Dates :</b> {period} — 9h00-12h30 / 13h30-17h00"
        + f"<br><b>Lieu :</b> {html.escape(place)} &nbsp;&nbsp; <b>Formateur :</b> {html.escape(trainer)}</p>"
        + "<table class=grid><thead><tr><th rowspan=2 style='width:30%'>Nom et prénom</th>" + head1 + "</tr>"
        + "<tr>" + head2 + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        + "<p class=small>Chaque stagiaire signe pour chaque demi-journée de présence.</p>")


def table_lines(img: Image.Image, first_page: bool):
    """Horizontal and vertical ruling lines of the grid on a clean raster."""
    a = np.asarray(img) < 110
    h, w = a.shape

    def centres(profile, thresh):
        idx = np.where(profile > thresh)[0]
        out, start = [], None
        for k, i in enumerate(idx):
            if start is None:
                start = i
            if k + 1 == len(idx) or idx[k + 1] != i + 1:
                out.append((start + i) // 2)
                start = None
        return out

    ys = centres(a.sum(axis=1), 0.5 * w)
    if first_page:
        ys = ys[1:]  # the letterhead's rule
    xs = centres(a[ys[0]:ys[-1]].sum(axis=0), 0.8 * (ys[-1] - ys[0]))
    # A row cut by the page break has no bottom rule: the vertical rules end lower.
    col = a[:, xs[0] - 1:xs[0] + 2].any(axis=1)
    bottom = ys[0]
    while bottom + 1 < h and col[bottom + 1]:
        bottom += 1
    if bottom - ys[-1] > 0.5 * (ys[-1] - ys[-2]):
        ys.append(bottom)
    return ys, xs


def font_mark(text: str, font_path: str, w: int, h: int, seed: str) -> Image.Image:
    """A name or initials written in a handwriting font, as an alpha mask of w x h pixels."""
    r = random.Random(seed)
    S = 3
    size = int(h * S * 0.8)
    font = ImageFont.truetype(font_path, size)
    box = font.getbbox(text)
    tw, th = box[2] - box[0], box[3] - box[1]
    img = Image.new("L", (tw + 8, th + 8), 0)
    ImageDraw.Draw(img).text((4 - box[0], 4 - box[1]), text, fill=255, font=font)
    img = img.rotate(r.uniform(-8, 8), expand=True, resample=Image.BICUBIC)
    k = min(w / img.width, h / img.height)
    return img.resize((max(1, int(img.width * k)), max(1, int(img.height * k))), Image.LANCZOS)


def initials_of(name: str) -> str:
    parts = [p for p in name.replace("Formateur : ", "").split() if p[:1].isalpha()]
    return ".".join(p[0] for p in parts[:2]) + "."


def holes_and_shadow(img: Image.Image, dpi: int, seed: int) -> Image.Image:
    """Two punched holes (dark, the scanner lid seen through) and a shadow along the left edge."""
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=np.float32).copy()
    h, w = a.shape
    shadow_w = int(0.22 * dpi)
    ramp = np.linspace(1.0, 0.0, shadow_w) ** 1.6
    a[:, :shadow_w] *= 1.0 - 0.6 * ramp[None, :]
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    dr = ImageDraw.Draw(out)
    r = int(0.12 * dpi)
    cx = int(0.3 * dpi) + int(rng.integers(-5, 5))
    for fy in (0.35, 0.65):
        cy = int(fy * h)
        dr.ellipse([cx - r, cy - r, cx + r, cy + r], fill=int(rng.integers(40, 70)))
    return out


def degrade(img, dpi, seed, angle, noise, holes=True):
    out = ms.degrade(img, seed, angle, noise=noise, blur=0.5)
    return holes_and_shadow(out, dpi, seed) if holes else out


def draw_cells(page, name, people, trainees_all, days, ys, xs, absents, empty, stray, dpi, style, row_offset=0):
    """Signs the grid on one page; returns the truth cells of that page."""
    cells = []
    scale = dpi / 100
    for ri, person in enumerate(people):
        y0, y1 = ys[2 + ri], ys[3 + ri]
        for di, day in enumerate(days):
            for half in range(2):
                ci = 1 + 2 * di + half
                x0, x1 = xs[ci], xs[ci + 1]
                key = (person, di, half)
                absent = bool(absents.get(key))
                signed = not absent and key not in empty
                r = random.Random(f"{name}|{person}|{ci}")
                if signed:
                    how = style(person, r)
                    ink = how["ink"]
                    if how["kind"] == "initials":
                        w = int((x1 - x0) * r.uniform(0.3, 0.45))
                        h = int((y1 - y0) * r.uniform(0.5, 0.75))
                        mask = font_mark(initials_of(person), how["font"], w, h, f"{name}|{person}|{ci}")
                    elif how["kind"] == "font":
                        w = int((x1 - x0) * r.uniform(0.55, 0.8))
                        h = int((y1 - y0) * r.uniform(0.45, 0.7))
                        surname = person.replace("Formateur : ", "").split()[-1]
                        mask = font_mark(surname, how["font"], w, h, f"{name}|{person}|{ci}")
                    else:
                        w = int((x1 - x0) * r.uniform(0.55, 0.8))
                        h = int((y1 - y0) * r.uniform(0.6, 0.9))
                        mask = ms.signature(person, di * 2 + half, w, h, scale * how["width"])
                    if how.get("faint"):
                        m = np.asarray(mask, dtype=np.float32) * r.uniform(0.55, 0.8)
                        mask = Image.fromarray(m.astype(np.uint8))
                    mw, mh = mask.size
                    dx = int(x0 + max(2, (x1 - x0 - mw)) * r.uniform(0.1, 0.9))
                    dy = int(y0 + max(2, (y1 - y0 - mh)) * r.uniform(0.2, 0.8))
                    ms.ink_onto(page, mask, dx, dy, ink)
                elif key in stray:
                    mask = ms.stroke_mark(x1 - x0, y1 - y0, f"{name}|stray|{ri}|{ci}", scale * 0.6)
                    ms.ink_onto(page, mask, x0, y0, 150)
                cells.append({"trainee": person.replace("Formateur : ", ""), "row_text": person,
                              "date": day.isoformat(), "half": "Matin" if half == 0 else "Après-midi",
                              "signed": signed, "absent": absent})
    return cells


def make_sheet(name, *, days, trainees, trainer, course, place, absents, empty, stray, dpi, angle, seed,
               style, out_kind="jpeg_pdf", quality=50, noise=5.0, row_mm=11.0, landscape=False, fs=10.0,
               holes=True, pages_expected=1):
    people = trainees + [f"Formateur : {trainer}"]
    src = ms.chromium(sheet_html(days, people, course, place, trainer, absents, row_mm),
                      ms.WORK / f"{Path(name).stem}_src.pdf", landscape=landscape, fs=fs)
    pages = ms.rasterize(src, dpi)
    assert len(pages) == pages_expected, (name, len(pages))
    cells, done, out_pages = [], 0, []
    for pi, page in enumerate(pages):
        ys, xs = table_lines(page, pi == 0)
        n_rows = len(ys) - 3
        assert len(xs) == 2 + 2 * len(days), (name, pi, xs)
        on_page = people[done:done + n_rows]
        assert len(on_page) == n_rows, (name, pi, n_rows)
        cells += draw_cells(page, name, on_page, people, days, ys, xs, absents, empty, stray, dpi, style)
        done += n_rows
        out_pages.append(degrade(page, dpi, seed + pi, angle if pi == 0 else -angle * 0.6, noise, holes))
    assert done == len(people), (name, done, len(people))
    out = HERE / name
    if out_kind == "jpeg_pdf":
        ms.save_jpeg_pdf(out_pages, out, dpi, quality)
    elif out_kind in ("g4_pdf", "g4_tiff"):
        # a copier set to "darker": pale ballpoint still comes out black
        bw = [p.point(lambda v: 255 if v > 200 else 0).convert("1", dither=Image.Dither.NONE) for p in out_pages]
        tif = out if out_kind == "g4_tiff" else ms.WORK / (Path(name).stem + ".tif")
        bw[0].save(tif, compression="group4", dpi=(dpi, dpi), save_all=True, append_images=bw[1:])
        if out_kind == "g4_pdf":
            subprocess.run(["img2pdf", str(tif), "-o", str(out)], check=True)
    any_empty = any(not c["signed"] and not c["absent"] for c in cells)
    TRUTH["files"][name] = {
        "kind": "attendance_sheet", "dates": sorted({d.isoformat() for d in days}),
        "signature": "partial" if any_empty else "signed", "cells": cells, "dpi": dpi, "angle": angle,
        "pages": len(pages), "producer": f"chromium + pdftoppm + {out_kind}",
        "expected": sum(1 for c in cells if not c["absent"]), "found": sum(1 for c in cells if c["signed"]),
    }


def ballpoint(faint_share: float, initials_share: float, seed: str):
    """A signing style: each person keeps a hand; faint blue ballpoint for some, initials for some."""

    def style(person, r):
        pr = random.Random(f"{seed}|{person}")
        kind_roll, faint_roll = pr.random(), pr.random()
        font = FONTS[pr.randrange(len(FONTS))]
        faint = faint_roll < faint_share
        if kind_roll < initials_share:
            kind = "initials"
        elif kind_roll < initials_share + 0.35:
            kind = "font"
        else:
            kind = "strokes"
        # faint blue ballpoint: luma of blue ink ~ 110-165 once scanned grey; felt pen ~ 30-60
        ink = pr.randint(110, 145) if faint else pr.randint(30, 70)
        return {"kind": kind, "font": font, "ink": ink, "faint": faint,
                "width": pr.uniform(0.45, 0.7) if faint else pr.uniform(0.8, 1.2)}

    return style


def main() -> None:
    for old in HERE.glob("*"):
        if old.suffix in (".pdf", ".jpg", ".png", ".tif") or old.name == "truth.json":
            old.unlink()
    D = dt.date
    names8 = ["Amandine Petit", "Bastien Lemoine", "Coralie Fabre", "Damien Royer", "Estelle Nicolas",
              "Fabien Marchal", "Gaëlle Brunet", "Hervé Collet"]
    make_sheet(
        "emargement_bille_bleue_150dpi.pdf", days=[D(2025, 9, 15), D(2025, 9, 16)], trainees=names8,
        trainer="Isabelle Noël", course="Excel – perfectionnement", place="Annecy",
        absents={("Damien Royer", 1, 0): True, ("Damien Royer", 1, 1): True},
        empty={("Coralie Fabre", 0, 1), ("Hervé Collet", 1, 1), ("Estelle Nicolas", 0, 0)},
        stray=set(), dpi=150, angle=2.3, seed=31, style=ballpoint(0.7, 0.3, "a"), quality=45, noise=5.0)
    names9 = ["Jérémy Vasseur", "Karine Leclerc", "Laurent Gilles", "Mélanie Barbier", "Nathan Aubert",
              "Océane Renard", "Pierre Schmitt", "Quentin Hoarau", "Rachida Meunier"]
    make_sheet(
        "emargement_paraphes_200dpi.pdf", days=[D(2025, 10, 6)], trainees=names9, trainer="Sylvain Perrot",
        course="Prévention des risques psychosociaux", place="Grenoble", absents={},
        empty={("Laurent Gilles", 0, 0), ("Océane Renard", 0, 1)}, stray={("Laurent Gilles", 0, 0)},
        dpi=200, angle=-2.8, seed=32, style=ballpoint(0.5, 0.75, "b"), quality=55, noise=6.0, row_mm=10.0)
    names7 = ["Thierry Lacroix", "Ursula Benoît", "Valérie Carré", "William Jacob", "Xavier Huet",
              "Yasmine Poulain", "Zoé Tessier"]
    make_sheet(
        "emargement_copieur_g4.pdf", days=[D(2025, 11, 3), D(2025, 11, 4)], trainees=names7,
        trainer="Olivier Marty", course="Habilitation électrique BS", place="Chambéry", absents={},
        empty={("Valérie Carré", 1, 1), ("Zoé Tessier", 0, 0)}, stray=set(), dpi=200, angle=1.6, seed=33,
        style=ballpoint(0.3, 0.3, "c"), out_kind="g4_pdf", noise=4.0)
    names6 = ["Adrien Moulin", "Bérénice Lopez", "Cédric Riviere", "Delphine Hamon", "Étienne Roger",
              "Florence Caron"]
    make_sheet(
        "emargement_copieur_g4.tif", days=[D(2025, 11, 17), D(2025, 11, 18)], trainees=names6,
        trainer="Olivier Marty", course="Gestes et postures", place="Valence",
        absents={("Delphine Hamon", 0, 1): True},
        empty={("Bérénice Lopez", 1, 0)}, stray=set(), dpi=200, angle=-1.2, seed=34,
        style=ballpoint(0.3, 0.3, "d"), out_kind="g4_tiff", noise=4.0)
    names24 = ["Agathe Morin", "Benoît Girard", "Capucine André", "Denis Lefort", "Eva Gautier", "Félix Mallet",
               "Gabrielle Roussel", "Henri Dufour", "Iris Lemaire", "Jules Barre", "Kenza Marie", "Loïc Simon",
               "Maëlle Boyer", "Nils Charpentier", "Ophélie Brun", "Pascal Giraud", "Rémi Arnaud", "Solène Roy",
               "Tristan Leroux", "Ulysse Fontaine", "Victoire Perrin", "Wassim Fleury", "Yohan Chauvin",
               "Zélie Guerin"]
    make_sheet(
        "emargement_deux_pages_150dpi.pdf", days=[D(2025, 12, 1)], trainees=names24, trainer="Claire Dubois",
        course="Sauveteur Secouriste du Travail – recyclage", place="Lyon 7e",
        absents={("Iris Lemaire", 0, 1): True},
        empty={("Benoît Girard", 0, 1), ("Loïc Simon", 0, 0), ("Tristan Leroux", 0, 1), ("Zélie Guerin", 0, 0)},
        stray=set(), dpi=150, angle=1.1, seed=35, style=ballpoint(0.6, 0.4, "e"), quality=50, noise=5.0,
        row_mm=11.5, pages_expected=2)
    TRUTH["note"] = ("Made by make_hard_scans.py (see its doc comment). Cells: trainee as printed in the first "
                     "column (row_text), date and half-day of the slot, signed by hand or not; absent cells hold "
                     "a typed 'Absent'. expected = cells not marked absent; found = signed cells.")
    (HERE / "truth.json").write_text(json.dumps(TRUTH, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = 0
    for f in sorted(HERE.iterdir()):
        if f.suffix in (".pdf", ".tif"):
            total += f.stat().st_size
            print(f"{f.stat().st_size // 1024:5d} KB  {f.name}")
    print(f"{total // 1024:5d} KB  in all")
    shutil.rmtree(ms.WORK)


if __name__ == "__main__":
    main()
