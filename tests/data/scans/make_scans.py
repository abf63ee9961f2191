#!/usr/bin/env python3
"""Makes the scanned fixtures of tests/ocr_scans.rs and their ground truth (truth.json).

How real scans are made, step by step:
1. a realistic document is written as HTML and printed to PDF by headless Chromium (attendance
   sheets with a names x half-days grid, a convention's signature page, certificates);
2. the PDF is rasterised by pdftoppm at 150-200 dpi (grey), which is what a scanner sees;
3. handwriting is drawn onto the page image where people signed (random cursive strokes and
   flourishes, one "hand" per person, each instance a little different), a stamp on some, stray
   pen marks on a few empty cells; other cells are left empty, some hold a typed "Absent";
4. the page is degraded: paper tone, uneven light, noise, 0.3-1 degree rotation, blur, specks,
   JPEG compression (or bilevel thresholding, as fax-like scanners do);
5. scans are wrapped as image-only PDFs with img2pdf (JPEG kept as DCTDecode; a 1-bit PNG becomes
   FlateDecode); phone photos get perspective, a table around the sheet and uneven lighting.

Needs: python3 with pillow and numpy; chromium, pdftoppm (poppler-utils), img2pdf (Debian).
Run from anywhere: `python3 tests/data/scans/make_scans.py`. Deterministic (fixed seeds).
"""

import datetime as dt
import html
import io
import json
import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
WORK = Path(tempfile.mkdtemp(prefix="make_scans_"))
ORG = "Formations Horizon SARL"
ORG_ADDR = "14 rue de la République, 69002 Lyon — SIRET 812 345 678 00021 — NDA 84 69 12345 69"
TRUTH: dict = {"files": {}}

CSS = """
@page { size: A4 %(orient)s; margin: 12mm 12mm 14mm 12mm; }
body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: %(fs)spt; color: #111; }
h1 { font-size: 17pt; margin: 4mm 0 2mm 0; text-align: center; }
.org { font-size: 9pt; color: #333; border-bottom: 1px solid #555; padding-bottom: 2mm; }
.org b { font-size: 12pt; color: #000; }
table.grid { border-collapse: collapse; width: 100%%; margin-top: 3mm; }
table.grid td, table.grid th { border: 1.3px solid #000; padding: 1mm 2mm; }
table.grid th { font-weight: bold; text-align: center; }
table.grid td.name { text-align: left; }
table.grid td.cell { text-align: center; }
p { margin: 1.5mm 0; line-height: 1.35; }
.sig { display: flex; justify-content: space-between; margin-top: 8mm; }
.sig div { width: 45%%; min-height: 40mm; }
.small { font-size: 8.5pt; color: #333; }
"""


def chromium(html_text: str, out: Path, landscape=False, fs=10.5) -> Path:
    page = WORK / (out.stem + ".html")
    css = CSS % {"orient": "landscape" if landscape else "portrait", "fs": fs}
    page.write_text(f"<!doctype html><html lang=fr><head><meta charset=utf-8><style>{css}</style></head>"
                    f"<body>{html_text}</body></html>", encoding="utf-8")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", str(page)], check=True, capture_output=True)
    return out


def rasterize(pdf: Path, dpi: int) -> list[Image.Image]:
    tmp = WORK / f"r_{pdf.stem}"
    tmp.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(tmp / "p")], check=True)
    return [Image.open(p).convert("L").copy() for p in sorted(tmp.glob("p*.png"))]


def org_header() -> str:
    return f"<div class=org><b>{ORG}</b><br>{html.escape(ORG_ADDR)}</div>"


# ------------------------------------------------------------------------------------------------
# Handwriting


def _hand(name: str) -> dict:
    r = random.Random("hand|" + name)
    return {
        "loops": r.randint(3, 7),
        "amp": r.uniform(0.18, 0.32),
        "slant": r.uniform(-0.25, 0.35),
        "width": r.uniform(0.9, 1.5),
        "flourish": r.random() < 0.7,
        "initial": r.random() < 0.6,
        "ink": r.choice([25, 35, 45, 60]),
    }


def signature(name: str, instance: int, w: int, h: int, scale: float) -> Image.Image:
    """A handwritten-looking signature as an alpha mask (255 = ink) of size w x h pixels."""
    hand = _hand(name)
    r = random.Random(f"sig|{name}|{instance}")
    S = 3
    img = Image.new("L", (w * S, h * S), 0)
    dr = ImageDraw.Draw(img)
    strokes = []
    # main cursive stroke: a loopy wave along x
    n = 220
    loops = hand["loops"] + r.randint(-1, 1)
    amp = hand["amp"] * r.uniform(0.85, 1.15)
    x0 = 0.05 + (0.25 if hand["initial"] else 0.0)
    pts = []
    for i in range(n):
        t = i / (n - 1)
        ang = t * loops * 2 * math.pi + r.uniform(-0.05, 0.05)
        x = x0 + t * (0.92 - x0) + 0.05 * math.cos(ang)
        y = 0.55 - amp * math.sin(ang) * (0.6 + 0.4 * math.sin(t * 3.1 + instance)) - 0.1 * t
        pts.append((x, y))
    strokes.append(pts)
    if hand["initial"]:
        # a big capital: a tall loop at the start
        cx, cy = 0.16, 0.45
        pts = [(cx + 0.1 * math.sin(a) * (1 - a / 9), cy - 0.38 * math.cos(a) * (1 - a / 12))
               for a in np.linspace(0.3, 7.5, 90)]
        strokes.append(pts)
    if hand["flourish"]:
        y = r.uniform(0.75, 0.88)
        pts = [(x, y + 0.06 * math.sin(x * 7 + instance) - 0.08 * x) for x in np.linspace(0.08, 0.95, 60)]
        strokes.append(pts)
    for pts in strokes:
        prev = None
        for i, (px, py) in enumerate(pts):
            qx = (px + hand["slant"] * (0.5 - py) * 0.5) * w * S
            qy = py * h * S
            if prev is not None:
                pressure = 0.7 + 0.45 * math.sin(i / 9.0 + instance)
                lw = max(1, int(hand["width"] * scale * S * pressure))
                dr.line([prev, (qx, qy)], fill=255, width=lw)
                dr.ellipse([qx - lw / 2, qy - lw / 2, qx + lw / 2, qy + lw / 2], fill=255)
            prev = (qx, qy)
    return img.resize((w, h), Image.LANCZOS)


def stroke_mark(w: int, h: int, seed: str, scale: float) -> Image.Image:
    """A stray pen mark (a short tick), not a signature."""
    r = random.Random(seed)
    img = Image.new("L", (w, h), 0)
    dr = ImageDraw.Draw(img)
    x, y = r.uniform(0.3, 0.6) * w, r.uniform(0.3, 0.6) * h
    dr.line([(x, y), (x + 0.09 * w, y + r.uniform(-0.1, 0.1) * h)], fill=255, width=max(1, int(1.4 * scale)))
    return img


def ink_onto(page: Image.Image, mask: Image.Image, x: int, y: int, ink: int) -> None:
    """Darkens `page` where `mask` has ink (multiplicative, like pen on paper)."""
    a = np.asarray(page, dtype=np.float32)
    m = np.asarray(mask, dtype=np.float32) / 255.0
    h, w = m.shape
    x1, y1 = min(a.shape[1], x + w), min(a.shape[0], y + h)
    m = m[: y1 - y, : x1 - x]
    region = a[y:y1, x:x1]
    a[y:y1, x:x1] = region * (1 - m) + np.minimum(region, ink) * m
    page.paste(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))


def stamp(page: Image.Image, cx: int, cy: int, dpi: int, lines: list[str], seed: str) -> None:
    """A rectangular rubber stamp, slightly rotated and patchy."""
    r = random.Random(seed)
    s = dpi / 72
    w, h = int(170 * s), int(62 * s)
    img = Image.new("L", (w, h), 0)
    dr = ImageDraw.Draw(img)
    dr.rounded_rectangle([2, 2, w - 3, h - 3], radius=int(6 * s), outline=255, width=max(2, int(2 * s)))
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", int(10 * s))
    small = ImageFont.truetype("DejaVuSans.ttf", int(7.5 * s))
    dr.text((w / 2, 16 * s), lines[0], fill=255, font=font, anchor="mm")
    for i, l in enumerate(lines[1:]):
        dr.text((w / 2, (32 + 12 * i) * s), l, fill=255, font=small, anchor="mm")
    img = img.rotate(r.uniform(-8, 8), expand=True, resample=Image.BICUBIC)
    arr = np.asarray(img, dtype=np.float32)
    rng = np.random.default_rng(abs(hash(seed)) % (2**32))
    arr *= np.clip(rng.normal(0.8, 0.25, arr.shape), 0.2, 1.0)  # patchy ink
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    ink_onto(page, img, cx - img.width // 2, cy - img.height // 2, 95)


# ------------------------------------------------------------------------------------------------
# Degradation


def degrade(img: Image.Image, seed: int, angle: float, noise=6.0, blur=0.55, paper=(226, 244)) -> Image.Image:
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=np.float32)
    lo, hi = paper
    a = lo + (a / 255.0) * (hi - lo) - (1 - a / 255.0) * (lo - 20)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w]
    a += (xx / w) * rng.uniform(-12, 4) + (yy / h) * rng.uniform(-8, 8)
    a += rng.normal(0, noise, a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    out = out.rotate(angle, resample=Image.BICUBIC, fillcolor=int(lo + 6))
    out = out.filter(ImageFilter.GaussianBlur(blur))
    dr = ImageDraw.Draw(out)
    for _ in range(int(rng.integers(25, 70))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        rad = float(rng.uniform(0.5, 2.2))
        dr.ellipse([x, y, x + rad, y + rad], fill=int(rng.integers(50, 140)))
    return out


def save_jpeg_pdf(pages: list[Image.Image], out: Path, dpi: int, quality: int) -> None:
    jpgs = []
    for i, p in enumerate(pages):
        jp = WORK / f"{out.stem}_{i}.jpg"
        p.save(jp, "JPEG", quality=quality, dpi=(dpi, dpi))
        jpgs.append(str(jp))
    subprocess.run(["img2pdf", *jpgs, "-o", str(out)], check=True)


def save_bilevel_pdf(pages: list[Image.Image], out: Path, dpi: int) -> None:
    pngs = []
    for i, p in enumerate(pages):
        bw = p.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE)
        pn = WORK / f"{out.stem}_{i}.png"
        bw.save(pn, dpi=(dpi, dpi), optimize=True)
        pngs.append(str(pn))
    subprocess.run(["img2pdf", *pngs, "-o", str(out)], check=True)


def phone_photo(page: Image.Image, out: Path, seed: int, when: dt.datetime, size=(1500, 2000)) -> None:
    """A phone photo of a sheet on a table: perspective, uneven light, colour, JPEG with EXIF."""
    rng = np.random.default_rng(seed)
    pw, ph = page.size
    arr = np.asarray(page.convert("RGB"), dtype=np.float32) * np.array([0.97, 0.95, 0.9])
    page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    W, H = size
    bg = np.zeros((H, W, 3), dtype=np.float32)
    bg[:] = (112, 88, 66)
    bg += rng.normal(0, 6, (H, W, 3))
    canvas = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8))
    j = lambda s: float(rng.uniform(-s, s))
    mx, my = 0.07 * W, 0.06 * H
    quad = [(mx + j(25), my + j(25)), (W - mx + j(25), my * 0.8 + j(25)),
            (W - mx * 0.6 + j(20), H - my + j(25)), (mx * 0.7 + j(20), H - my * 1.2 + j(25))]
    coeffs = _perspective(quad, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = page.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", page.size, 255).transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    canvas.paste(warped, (0, 0), mask)
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = rng.uniform(0.3, 0.7) * W, rng.uniform(0.2, 0.5) * H
    light = 1.06 - 0.3 * (((xx - cx) ** 2 + (yy - cy) ** 2) / (W * W + H * H)) ** 0.5 * 1.6
    arr = np.asarray(canvas, dtype=np.float32) * light[..., None] + rng.normal(0, 3.5, (H, W, 3))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif[0x0110] = "SM-A536B"
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")
    img.save(out, "JPEG", quality=50, exif=exif.tobytes())


def _perspective(src_quad, dst_quad):
    A, B = [], []
    for (x, y), (u, v) in zip(src_quad, dst_quad):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        B += [u, v]
    return np.linalg.solve(np.array(A, dtype=float), np.array(B, dtype=float)).tolist()


# ------------------------------------------------------------------------------------------------
# Grids on the clean raster


def grid_lines(img: Image.Image, n_rows: int) -> tuple[list[int], list[int]]:
    """Rows and columns of the table's ruling lines on a clean raster (centre of each line); the
    table's `n_rows` horizontal lines are the last ones (the letterhead has a rule too)."""
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

    ys = centres(a.sum(axis=1), 0.5 * w)[-n_rows:]
    xs = centres(a[ys[0]:ys[-1]].sum(axis=0), 0.8 * (ys[-1] - ys[0])) if ys else []
    return ys, xs


def attendance_html(title: str, course: str, days: list[dt.date], trainees: list[str], trainer: str,
                    place: str, absents: dict, row_mm: float) -> str:
    d_fmt = lambda d: d.strftime("%d/%m/%Y")
    head1 = "".join(f"<th colspan=2>{d_fmt(d)}</th>" for d in days)
    head2 = "".join("<th>Matin</th><th>Après-midi</th>" for _ in days)
    rows = []
    for t in trainees + [f"Formateur : {trainer}"]:
        cells = []
        for di in range(len(days)):
            for half in range(2):
                txt = "Absent" if absents.get((t, di, half)) else ""
                cells.append(f"<td class=cell>{txt}</td>")
        rows.append(f"<tr style='height:{row_mm}mm'><td class=name>{html.escape(t)}</td>{''.join(cells)}</tr>")
    period = (f"le {d_fmt(days[0])}" if len(days) == 1 else f"du {d_fmt(days[0])} au {d_fmt(days[-1])}")
    return (
        org_header()
        + f"<h1>{title}</h1>"
        + f"<p><b>Formation :</b> {html.escape(course)}<br><b>Dates :</b> {period} — 9h00-12h30 / 13h30-17h00"
        + f"<br><b>Lieu :</b> {html.escape(place)} &nbsp;&nbsp; <b>Formateur :</b> {html.escape(trainer)}</p>"
        + "<table class=grid><tr><th rowspan=2 style='width:30%'>Nom et prénom</th>" + head1 + "</tr>"
        + "<tr>" + head2 + "</tr>" + "".join(rows) + "</table>"
        + "<p class=small>Chaque stagiaire signe pour chaque demi-journée de présence. "
        + "Document à conserver par l'organisme de formation (article R. 6313-3 du code du travail).</p>"
    )


def make_attendance(name: str, *, days, trainees, trainer, course, place, absents, empty, stray, dpi, angle,
                    seed, landscape=False, row_mm=11.0, out_kind="jpeg_pdf", quality=55, photo_when=None,
                    fs=10.5, noise=6.0) -> None:
    """An attendance sheet, signed by hand except the `empty` and `absents` cells."""
    pdf = chromium(attendance_html("Feuille d'émargement", course, days, trainees, trainer, place, absents, row_mm),
                   WORK / f"{Path(name).stem}_src.pdf", landscape=landscape, fs=fs)
    page = rasterize(pdf, dpi)[0]
    people = trainees + [f"Formateur : {trainer}"]
    ys, xs = grid_lines(page, 3 + len(people))
    # ys: top, below dates, below Matin/Après-midi, then one line below each row
    assert len(ys) == 3 + len(people), (name, ys)
    assert len(xs) == 2 + 2 * len(days), (name, xs)
    cells = []
    scale = dpi / 100
    for ri, person in enumerate(people):
        y0, y1 = ys[2 + ri], ys[3 + ri]
        signer = trainer if ri == len(trainees) else person
        for di, day in enumerate(days):
            for half in range(2):
                ci = 1 + 2 * di + half
                x0, x1 = xs[ci], xs[ci + 1]
                absent = bool(absents.get((person, di, half)))
                signed = not absent and (person, di, half) not in empty
                if signed:
                    r = random.Random(f"{name}|{ri}|{ci}")
                    w = int((x1 - x0) * r.uniform(0.6, 0.85))
                    h = int((y1 - y0) * r.uniform(0.7, 1.05))
                    mask = signature(signer, di * 2 + half, w, h, scale)
                    dx = int(x0 + (x1 - x0 - w) * r.uniform(0.1, 0.9))
                    dy = int(y0 + (y1 - y0 - h) * r.uniform(0.2, 0.8))
                    ink_onto(page, mask, dx, dy, _hand(signer)["ink"])
                elif (person, di, half) in stray:
                    mask = stroke_mark(x1 - x0, y1 - y0, f"{name}|stray|{ri}|{ci}", scale)
                    ink_onto(page, mask, x0, y0, 60)
                half_name = "Matin" if half == 0 else "Après-midi"
                cells.append({"trainee": person.replace("Formateur : ", ""), "row_text": person,
                              "date": day.isoformat(), "half": half_name, "signed": signed, "absent": absent})
    deg = degrade(page, seed, angle, noise=noise)
    out = HERE / name
    if out_kind == "jpeg_pdf":
        save_jpeg_pdf([deg], out, dpi, quality)
    elif out_kind == "bilevel_pdf":
        save_bilevel_pdf([deg], out, dpi)
    elif out_kind == "photo":
        phone_photo(page, out, seed, photo_when)
    any_empty = any(not c["signed"] and not c["absent"] for c in cells)
    status = "partial" if any_empty else "signed"
    dates = sorted({d.isoformat() for d in days})
    TRUTH["files"][name] = {"kind": "attendance_sheet", "dates": dates, "signature": status, "cells": cells,
                            "dpi": dpi, "angle": angle, "producer": f"chromium + pdftoppm + {out_kind}"}


# ------------------------------------------------------------------------------------------------
# Conventions and certificates


def signature_block(left: str, right: str, left_names: str, right_names: str) -> str:
    return (f"<div class=sig><div><b>{left}</b><br>{left_names}<br><span class=small>Signature et cachet</span></div>"
            f"<div><b>{right}</b><br>{right_names}<br><span class=small>Lu et approuvé, signature</span></div></div>")


def convention_html(client: str, rep: str, sign_date: str, start: str, end: str) -> tuple[str, str]:
    p1 = (org_header() + "<h1>Convention de formation professionnelle</h1>"
          + "<p class=small>(articles L. 6353-1 et D. 6353-1 du code du travail)</p>"
          + f"<p>Entre les soussignés : <b>{ORG}</b>, organisme de formation enregistré sous le numéro "
          + "84 69 12345 69 auprès du préfet de la région Auvergne-Rhône-Alpes, ci-après dénommé "
          + f"l'organisme de formation, et <b>{client}</b>, représentée par {rep}, ci-après dénommée le client.</p>"
          + "<p><b>Article 1 – Objet de la convention.</b> L'organisme de formation organise l'action de formation "
          + "« Management d'équipe – niveau 1 » pour deux salariés du client.</p>"
          + f"<p><b>Article 2 – Dates et lieu.</b> La formation se déroulera du {start} au {end}, de 9h00 à 17h00, "
          + "dans les locaux du client, soit une durée totale de 14 heures.</p>"
          + "<p><b>Article 3 – Dispositions financières.</b> Le coût de la formation est de 1 800,00 € HT, "
          + "soit 2 160,00 € TTC, payable à réception de facture, à 30 jours.</p>"
          + "<p><b>Article 4 – Dédit ou abandon.</b> En cas de dédit du client moins de 10 jours avant le début "
          + "de la formation, 30 % du coût restera dû au titre de dédommagement.</p>"
          + "<p><b>Article 5 – Litiges.</b> Si une contestation ne peut être réglée à l'amiable, le tribunal de "
          + "commerce de Lyon sera seul compétent.</p>")
    p2 = (f"<p>Fait à Lyon, le {sign_date}, en deux exemplaires originaux.</p>"
          + signature_block("Pour l'organisme de formation", "Pour le client",
                            "Sophie Marchand, gérante", f"{rep}"))
    return p1, p2


def make_signed_doc(name: str, body: str, *, kind: str, dates: list[str], status: str, signers: list[tuple],
                    dpi: int, angle: float, seed: int, out_kind="jpeg_pdf", quality=55, photo_when=None,
                    stamp_at=None) -> None:
    """A one-page document; `signers` are (name, label text) pairs: a signature is drawn below the
    label span of each (found with pdftotext -bbox)."""
    pdf = chromium(body, WORK / f"{Path(name).stem}_src.pdf")
    page = rasterize(pdf, dpi)[0]
    words = bbox_words(pdf)
    s = dpi / 72
    for signer, label in signers:
        x, y = find_label(words, label)
        w, h = int(150 * s), int(55 * s)
        mask = signature(signer, 0, w, h, dpi / 100)
        ink_onto(page, mask, int(x * s), int((y + 40) * s), _hand(signer)["ink"])
    if stamp_at:
        lx, ly = find_label(words, stamp_at)
        stamp(page, int((lx + 120) * s), int((ly + 75) * s), dpi, [ORG.upper(), "14 rue de la République", "69002 LYON"],
              name)
    deg = degrade(page, seed, angle, noise=0.8 if out_kind == "png" else 6.0)
    out = HERE / name
    if out_kind == "jpeg_pdf":
        save_jpeg_pdf([deg], out, dpi, quality)
    elif out_kind == "png":
        q = deg.point(lambda v: min(255, (v // 48) * 48 + 24))  # few grey levels: a scanner's "text" mode
        q.save(out, dpi=(dpi, dpi), optimize=True)
    elif out_kind == "photo":
        phone_photo(page, out, seed, photo_when)
    TRUTH["files"][name] = {"kind": kind, "dates": dates, "signature": status, "dpi": dpi, "angle": angle,
                            "producer": f"chromium + pdftoppm + {out_kind}"}


def bbox_words(pdf: Path) -> list[tuple[float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("<word"):
            attrs = dict(part.split("=", 1) for part in line[6:line.index(">")].split())
            text = line[line.index(">") + 1: line.rindex("<")]
            words.append((float(attrs["xMin"].strip('"')), float(attrs["yMin"].strip('"')), html.unescape(text)))
    return words


def find_label(words, label: str) -> tuple[float, float]:
    toks = label.split()
    for i in range(len(words) - len(toks) + 1):
        if all(words[i + k][2] == toks[k] for k in range(len(toks))):
            return words[i][0], words[i][1]
    raise SystemExit(f"label not found: {label}")


def certificate_html(trainee: str, date: str, start: str, end: str) -> str:
    return (org_header() + "<h1>Certificat de réalisation</h1>"
            + f"<p>Je soussignée, Sophie Marchand, représentant légal du dispensateur de l'action concourant au "
            + f"développement des compétences {ORG}, atteste que :</p>"
            + f"<p><b>{trainee}</b>, salarié de l'entreprise Transports Giraud,</p>"
            + "<p>a suivi l'action : <b>Management d'équipe – niveau 1</b></p>"
            + "<p>Nature de l'action concourant au développement des compétences : action de formation</p>"
            + f"<p>qui s'est déroulée du {start} au {end}, pour une durée de 14 heures.</p>"
            + "<p>Sans préjudice des délais imposés par les règles fixées par les financeurs, le bénéficiaire "
            + "s'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent "
            + "certificat pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement.</p>"
            + f"<p>Fait à Lyon, le {date}</p>"
            + "<div class=sig><div></div><div><b>Cachet et signature du responsable</b><br>"
            + "Sophie Marchand, gérante</div></div>")


def attestation_html(trainee: str, date: str) -> str:
    return (org_header() + "<h1>Attestation de fin de formation</h1>"
            + f"<p>{ORG} atteste que <b>{trainee}</b> a suivi la formation « Habilitation électrique B0-H0V » "
            + "du 18/11/2024 au 19/11/2024 (14 heures).</p>"
            + "<p>Objectifs : connaître les dangers de l'électricité, appliquer les consignes de sécurité "
            + "lors de travaux non électriques au voisinage d'installations électriques.</p>"
            + "<p>Résultat de l'évaluation des acquis : objectifs atteints.</p>"
            + f"<p>Fait à Lyon, le {date}</p>"
            + "<div class=sig><div></div><div><b>Signature du formateur</b><br>Marc Lefèvre</div></div>")


def main() -> None:
    for old in HERE.glob("*"):
        if old.suffix in (".pdf", ".jpg", ".png") or old.name == "truth.json":
            old.unlink()
    D = dt.date
    names7 = ["Jean Dupont", "Léa Martin", "Karim Benali", "Sophie Leroy", "Thomas Girard", "Inès Faure",
              "Hugo Mercier"]
    make_attendance(
        "feuille_emargement_mars_scan.pdf", days=[D(2025, 3, 12), D(2025, 3, 13)], trainees=names7,
        trainer="Claire Dubois", course="Management d'équipe – niveau 1", place="Lyon 2e",
        absents={("Karim Benali", 1, 0): True, ("Karim Benali", 1, 1): True},
        empty={("Inès Faure", 0, 1), ("Hugo Mercier", 1, 1)}, stray={("Inès Faure", 0, 1)},
        dpi=200, angle=0.6, seed=11, quality=45)
    names6 = ["Camille Roux", "Nicolas Blanc", "Julie Morel", "Antoine Fournier", "Manon Lambert", "Yanis Chevalier"]
    make_attendance(
        "emargement_semaine_scan.pdf", days=[D(2025, 4, 7), D(2025, 4, 8), D(2025, 4, 9), D(2025, 4, 10),
                                             D(2025, 4, 11)],
        trainees=names6, trainer="Marc Lefèvre", course="Sauveteur Secouriste du Travail – formation initiale",
        place="EHPAD Les Tilleuls, Villeurbanne", absents={("Julie Morel", 2, 0): True, ("Julie Morel", 2, 1): True},
        empty={("Nicolas Blanc", 4, 1), ("Manon Lambert", 0, 0), ("Yanis Chevalier", 3, 1)}, stray=set(),
        dpi=150, angle=-0.8, seed=12, landscape=True, row_mm=13, quality=50, fs=9.5)
    names10 = ["Paul Garnier", "Emma Rousseau", "Louis Bonnet", "Chloé Dumas", "Lucas Perret", "Sarah Caron",
               "Mathis Henry", "Clara Gauthier", "Noah Perrin", "Jade Robin"]
    make_attendance(
        "scan_0051.pdf", days=[D(2025, 5, 20)], trainees=names10, trainer="Jérôme Roche",
        course="Accueil client et gestion des conflits", place="Pharmacie du Parc, Lyon 6e", absents={},
        empty={("Noah Perrin", 0, 1)}, stray=set(), dpi=200, angle=0.35, seed=13, out_kind="bilevel_pdf",
        row_mm=10)
    names5 = ["Alice Vidal", "Bruno Colin", "Céline Masson", "David Picard", "Elodie Renaud"]
    make_attendance(
        "IMG_20250603_171522.jpg", days=[D(2025, 6, 2), D(2025, 6, 3)], trainees=names5, trainer="Claire Dubois",
        course="Gestes et postures", place="Boulangerie Martin, Lyon", absents={},
        empty={("Bruno Colin", 1, 1), ("Elodie Renaud", 1, 0)}, stray=set(), dpi=150, angle=0.0, seed=14,
        out_kind="photo", photo_when=dt.datetime(2025, 6, 3, 17, 15, 22), row_mm=14)

    p1, p2 = convention_html("Transports Giraud SAS", "M. Olivier Giraud, directeur", "3 mars 2025",
                             "12 mars 2025", "13 mars 2025")
    make_signed_doc("convention_giraud_signee.pdf", p1 + p2, kind="convention",
                    dates=["2025-03-03", "2025-03-12", "2025-03-13"], status="signed",
                    signers=[("Sophie Marchand", "Pour l'organisme de formation"),
                             ("Olivier Giraud", "Pour le client")],
                    dpi=150, angle=-0.5, seed=21, stamp_at="Pour l'organisme de formation")
    p1, p2 = convention_html("Boulangerie Martin", "Mme Nathalie Martin, gérante", "17/02/2025",
                             "03/03/2025", "04/03/2025")
    make_signed_doc("Convention Boulangerie Martin - scan.pdf", p1 + p2, kind="convention",
                    dates=["2025-02-17", "2025-03-03", "2025-03-04"], status="partial",
                    signers=[("Sophie Marchand", "Pour l'organisme de formation")],
                    dpi=200, angle=0.9, seed=22, quality=40)
    make_signed_doc("certificat_realisation_Lucas_Perret.pdf",
                    certificate_html("Lucas Perret", "14/03/2025", "12/03/2025", "13/03/2025"),
                    kind="completion_certificate", dates=["2025-03-12", "2025-03-13", "2025-03-14"],
                    status="signed", signers=[("Sophie Marchand", "Cachet et signature du responsable")],
                    dpi=150, angle=0.4, seed=23, stamp_at="Cachet et signature du responsable")
    make_signed_doc("certificat_realisation_Emma_Rousseau.png",
                    certificate_html("Emma Rousseau", "21 mai 2025", "20 mai 2025", "21 mai 2025"),
                    kind="completion_certificate", dates=["2025-05-20", "2025-05-21"], status="unsigned",
                    signers=[], dpi=150, angle=-0.3, seed=24, out_kind="png")
    make_signed_doc("IMG_20241119_180412.jpg", attestation_html("Lucas Perret", "19/11/2024"),
                    kind="completion_certificate", dates=["2024-11-18", "2024-11-19"], status="signed",
                    signers=[("Marc Lefèvre", "Signature du formateur")], dpi=150, angle=0.0, seed=25,
                    out_kind="photo", photo_when=dt.datetime(2024, 11, 19, 18, 4, 12))

    TRUTH["note"] = ("Made by make_scans.py (see its doc comment). Cells: trainee as printed in the first "
                     "column (row_text), date and half-day of the slot, signed by hand or not; absent cells "
                     "hold a typed 'Absent'. Signature status follows the report contract: partial when a "
                     "cell that is neither signed nor marked absent is left empty.")
    (HERE / "truth.json").write_text(json.dumps(TRUTH, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for f in sorted(HERE.iterdir()):
        if f.suffix in (".pdf", ".jpg", ".png"):
            print(f"{f.stat().st_size // 1024:5d} KB  {f.name}")
    shutil.rmtree(WORK)


if __name__ == "__main__":
    main()
