"""Makes the spreadsheet fixtures of tests/sheets_real.rs (openpyxl 3.1.5, Pillow).

    python3 make_fixtures.py            # emargement_openpyxl.xlsx, satisfaction_forms.xlsx
    soffice --headless --convert-to ods emargement_openpyxl.xlsx   # → emargement.ods
    soffice --headless --convert-to xls emargement_openpyxl.xlsx   # → emargement.xls
    soffice --headless --convert-to xlsx --outdir lo emargement_openpyxl.xlsx
                                        # → emargement_libreoffice.xlsx (renamed)
    (same three conversions for satisfaction_forms.xlsx; LibreOffice 7.4.7.2)
The signature PNGs (sig1.png 180x60, sig2.png 150x50) are only embedded, not kept.
"""
import datetime as dt, random
from openpyxl import Workbook
from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Font, Alignment
from PIL import Image, ImageDraw

def signature(path, w, h, seed):
    random.seed(seed)
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    x, y = 8, h // 2
    pts = []
    for i in range(26):
        x += random.randint(4, 9)
        y = max(4, min(h - 4, y + random.randint(-12, 12)))
        pts.append((min(x, w - 4), y))
    d.line(pts, fill=20, width=3)
    d.line([(10, h - 10), (w - 20, h - 14)], fill=40, width=2)
    im.convert("1").save(path, optimize=True)

signature("sig1.png", 180, 60, 1)
signature("sig2.png", 150, 50, 2)

wb = Workbook()
ws = wb.active
ws.title = "Émargement"
ws["A1"] = "Feuille d'émargement"
ws["A1"].font = Font(bold=True, size=14)
ws.merge_cells("A1:F1")
ws["A2"] = "Formation « Gestes et postures » — Organisme Former+ — Lyon"
ws.merge_cells("A2:F2")
ws["A3"] = "Stagiaire"
ws["B3"] = dt.date(2025, 3, 12)
ws["B3"].number_format = "DD/MM/YYYY"
ws.merge_cells("B3:C3")
ws["D3"] = dt.date(2025, 3, 13)
ws["D3"].number_format = "DD/MM/YYYY"
ws.merge_cells("D3:E3")
ws["F3"] = "Heures"
for col, label in zip("BCDE", ["Matin", "Après-midi", "Matin", "Après-midi"]):
    ws[f"{col}4"] = label
ws["A5"] = "Horaires"
for col, t in zip("BCDE", [dt.time(9, 0), dt.time(13, 30), dt.time(9, 0), dt.time(13, 30)]):
    ws[f"{col}5"] = t
    ws[f"{col}5"].number_format = "HH:MM"
people = [("Hélène Dupré", 14), ("François Müller-Léger", 10.5), ("Zoé Çelik", 3.5)]
for i, (name, hours) in enumerate(people):
    r = 6 + i
    ws[f"A{r}"] = name
    ws[f"F{r}"] = hours
    ws.row_dimensions[r].height = 40
ws["D8"] = "absente"
ws["E8"] = "absente"
ws["A9"] = "Total"
ws["F9"] = "=SUM(F6:F8)"
ws["A11"] = "Fait à Lyon, le"
ws["B11"] = dt.datetime(2025, 3, 13, 17, 45, 0)
ws["B11"].number_format = "DD/MM/YYYY HH:MM:SS"
img = XLImage("sig1.png"); ws.add_image(img, "B6")
img = XLImage("sig2.png"); ws.add_image(img, "C7")
for c in "ABCDEF":
    ws.column_dimensions[c].width = 22
ws2 = wb.create_sheet("Infos")
ws2.append(["Formateur", "Jérôme Bézier"])
ws2.append(["Lieu", "Salle Écully — 2ᵉ étage"])
ws2.append(["Durée (h)", 14])
ws2.append(["Certifié", True])
wb.properties.title = "Émargement Gestes et postures"
wb.properties.creator = "Amélie Fournier"
wb.save("emargement_openpyxl.xlsx")

wb = Workbook()
ws = wb.active
ws.title = "Réponses au formulaire 1"
ws.append(["Horodateur", "Adresse e-mail", "Nom et prénom", "Date de la formation",
           "Êtes-vous satisfait(e) de la formation ?", "Note /10", "Commentaires"])
rows = [
    (dt.datetime(2025, 3, 13, 17, 2, 11), "helene.dupre@example.fr", "Hélène Dupré", dt.date(2025, 3, 12), "Très satisfait(e)", 9, "Formatrice à l'écoute, exercices concrets."),
    (dt.datetime(2025, 3, 13, 17, 5, 47), "f.muller@example.fr", "François Müller-Léger", dt.date(2025, 3, 12), "Satisfait(e)", 8, "Salle un peu froide ; contenu très utile."),
    (dt.datetime(2025, 3, 14, 8, 31, 2), "zoe.celik@example.fr", "Zoé Çelik", dt.date(2025, 3, 12), "Moyennement", 6, "Trop de théorie l’après-midi."),
    (dt.datetime(2025, 3, 14, 9, 0, 0), "noel.garcon@example.fr", "Noël Garçon", dt.date(2025, 3, 13), "Très satisfait(e)", 10, ""),
]
for r in rows:
    ws.append(list(r))
for row in ws.iter_rows(min_row=2):
    row[0].number_format = "DD/MM/YYYY HH:MM:SS"
    row[3].number_format = "DD/MM/YYYY"
wb.properties.creator = "Google Forms"
wb.save("satisfaction_forms.xlsx")
