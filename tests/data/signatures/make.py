#!/usr/bin/env python3
"""Regenerates the signature-zone fixtures (failure class 2 of issue 8) with real producers.

- HTML printed by headless Chromium (`chromium --headless --print-to-pdf`): labels wrapped over
  two lines, party labels in French and English, quotes with "Bon pour accord", an inline SVG
  signature (vector paths), table borders / underlines / checkboxes only, a header logo only,
  a stamp drawn as SVG circles alone and with a signature, an attendance grid signed with SVG.
- python-docx: a label wrapped over two table cells, the signature image in the cell below.
- pypdf: a Chromium PDF to which a tablet-style /Ink annotation is added in the signature zone.
- LibreOffice: a freeform line drawn in Writer under "Signature du stagiaire", saved as DOCX
  (DrawingML freeform), as ODT (draw:path) and printed as PDF (vector paths).

Run from anywhere: `python3 tests/data/signatures/make.py` (needs chromium, soffice, Pillow,
python-docx, pypdf); `--libreoffice` makes only the LibreOffice files. The signature images
are drawn here with a fixed seed, so a run gives the same pictures.
"""
import base64, io, math, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

def signature_png(seed, w=220, h=80, colour=(20, 30, 120)):
    from PIL import Image, ImageDraw
    rnd = random.Random(seed)
    img = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    pts = []
    x = 10.0
    while x < w - 10:
        y = h / 2 + math.sin(x / rnd.uniform(6, 12)) * rnd.uniform(10, 25)
        pts.append((x, y))
        x += rnd.uniform(2, 5)
    d.line(pts, fill=colour + (255,), width=3)
    d.line([(15, h - 15), (w - 30, h - 20)], fill=colour + (255,), width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()

def logo_png():
    from PIL import Image, ImageDraw
    img = Image.new("RGB", (160, 60), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 159, 59], fill=(0, 90, 160))
    d.ellipse([10, 10, 50, 50], fill=(255, 200, 0))
    d.text((60, 22), "FORMA+", fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()

def data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode()

STYLE = """<style>
@page { size: A4; margin: 18mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; }
h1 { font-size: 16pt; }
table.sig { width: 100%; border-collapse: collapse; margin-top: 24pt; }
table.sig td { width: 50%; vertical-align: top; padding: 6pt; height: 120pt; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid td, table.grid th { border: 1px solid #000; padding: 4pt; }
</style>"""

def page(title, body, header=""):
    return f"<!doctype html><html><head><meta charset='utf-8'>{STYLE}</head><body>{header}<h1>{title}</h1>{body}</body></html>"

def chromium(html, out):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "doc.html")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html)
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--print-to-pdf={out}", src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

SIG1, SIG2 = data_uri(signature_png(1)), data_uri(signature_png(2, colour=(0, 0, 0)))
LOGO = data_uri(logo_png())
BODY_CONV = """<p>Entre les soussignés : l'organisme de formation Forma Plus, 12 rue des Lilas, 69003 Lyon,
et la société Dupont Industrie, est conclue la présente convention de formation professionnelle
(articles L6353-1 et suivants du Code du travail).</p>
<p>Article 1 – Objet : action « Gestion de projet », du 10/03/2025 au 12/03/2025, 21 heures.</p>
<p>Article 2 – Dispositions financières : 2 100,00 € HT.</p>
<p>Fait à Lyon, le 03/03/2025, en deux exemplaires.</p>"""

def sig_img(uri, w=150):
    return f"<img src='{uri}' style='width:{w}pt'>"

def main():
    out = lambda n: os.path.join(HERE, n)
    # 1. A label wrapped over two lines in a narrow column; both parties signed by an image.
    chromium(page("Convention de formation professionnelle", BODY_CONV + f"""
<table class='sig'><tr>
<td><div style='width:120pt'>Signature du représentant de l'organisme de formation</div>{sig_img(SIG1)}</td>
<td><div style='width:120pt'>Pour l'entreprise bénéficiaire, cachet et signature</div>{sig_img(SIG2)}</td>
</tr></table>"""), out("wrapped_label_two_lines_signed.pdf"))
    # 2. Certificate of completion signed by the director under "Le/La responsable pédagogique"
    #    (a template's inclusive label).
    chromium(page("Certificat de réalisation", """
<p>Je soussignée, Claire Morel, représentante légale de l'organisme Forma Plus, atteste que
Jean Dupont a suivi l'action « Gestion de projet » du 10/03/2025 au 12/03/2025 (21 heures).</p>
<p>Fait à Lyon, le 12/03/2025</p>""" + f"""
<div style='margin-left:300pt; margin-top:30pt'>Le/La responsable pédagogique<br>{sig_img(SIG1)}<br>Claire Morel</div>"""),
             out("certificate_la_responsable_signed.pdf"))
    # 3. "Cachet et signature de l'organisme" wrapped over two lines, the scanned signature
    #    pasted over the end of the label (it starts left of the label and overlaps its text).
    chromium(page("Attestation de fin de formation", """
<p>L'organisme Forma Plus atteste que Léa Martin a suivi la formation « Excel avancé » du
02/04/2025 au 03/04/2025, soit 14 heures.</p><p>Fait à Lyon, le 03/04/2025</p>""" + f"""
<div style='margin-left:320pt; margin-top:30pt; width:110pt'>Cachet et signature de l'organisme :</div>
<div style='margin-left:290pt; margin-top:-30pt'>{sig_img(SIG2, 170)}</div>"""),
             out("certificate_cachet_signature_organisme_signed.pdf"))
    # 4. English certificates of completion: "Authorised signatory" / "Trainee"; "For and on
    #    behalf of the training provider" / "The participant".
    chromium(page("Certificate of completion", """
<p>This is to certify that John Smith attended the training course "Project management" from
10 March 2025 to 12 March 2025 (21 hours).</p><p>Issued in Lyon on 12 March 2025.</p>""" + f"""
<table class='sig'><tr><td>Authorised signatory<br>{sig_img(SIG1)}<br>Claire Morel, Director</td>
<td>Trainee<br>{sig_img(SIG2)}<br>John Smith</td></tr></table>"""), out("certificate_english_authorised_signatory_signed.pdf"))
    chromium(page("Certificate of completion", """
<p>This is to certify that John Smith attended the training course "Project management" from
10 March 2025 to 12 March 2025 (21 hours).</p><p>Issued in Lyon on 12 March 2025.</p>""" + f"""
<table class='sig'><tr><td>For and on behalf of the training provider<br>{sig_img(SIG1)}</td>
<td>The participant<br>{sig_img(SIG2)}</td></tr></table>"""), out("certificate_english_provider_signed.pdf"))
    # 5. Quotes with a client acceptance zone: signed and unsigned.
    quote = lambda mark: page("Devis n° D-2025-014", """
<p>Forma Plus – Devis établi le 15/02/2025 pour la société Dupont Industrie.</p>
<table class='grid'><tr><th>Désignation</th><th>Quantité</th><th>Prix HT</th></tr>
<tr><td>Formation « Gestion de projet » (3 jours)</td><td>1</td><td>2 100,00 €</td></tr></table>
<p>Total HT : 2 100,00 € – TVA 20 % : 420,00 € – Total TTC : 2 520,00 €. Devis valable 30 jours.</p>""" + f"""
<div style='margin-left:120pt; margin-top:30pt'>Date :<br>Signature du client précédée de la mention « Bon pour accord »<br>{mark}</div>""")
    chromium(quote(sig_img(SIG2)), out("quote_bon_pour_accord_signed.pdf"))
    chromium(quote("<div style='height:90pt'></div>"), out("quote_bon_pour_accord_unsigned.pdf"))
    # 6. A signature drawn as an inline SVG (vector paths), as e-signing web pages print it.
    rnd = random.Random(7)
    d = "M 10 60 " + " ".join(
        f"C {x+3} {rnd.randint(10,70)} {x+6} {rnd.randint(10,70)} {x+9} {rnd.randint(25,55)}" for x in range(10, 200, 9))
    d2 = "M 30 75 C 80 68 140 82 190 70"
    svg = f"""<svg width='170pt' height='70pt' viewBox='0 0 220 90'><path d='{d}' fill='none' stroke='#1a237e' stroke-width='2'/>
<path d='{d2}' fill='none' stroke='#1a237e' stroke-width='1.5'/></svg>"""
    chromium(page("Attestation d'assiduité", """
<p>Forma Plus atteste que Jean Dupont a été présent à la formation « Gestion de projet » du
10/03/2025 au 12/03/2025, soit 21 heures sur 21 heures prévues.</p><p>Fait à Lyon, le 12/03/2025</p>""" + f"""
<div style='margin-left:280pt; margin-top:30pt'>Pour l'organisme de formation<br>{svg}</div>"""),
             out("vector_svg_signature_signed.pdf"))
    # 7. Borders, underlines, a checkbox and a header logo only: nothing signs.
    chromium(page("Convention de formation professionnelle", BODY_CONV + """
<table class='grid' style='margin-top:24pt'><tr><td style='height:110pt; width:50%; vertical-align:top'>
Pour l'organisme de formation<br><br>Nom : ______________________<br><br>
<span style='display:inline-block;width:9pt;height:9pt;border:1px solid #000'></span> Lu et approuvé<br><br>
<div style='border-bottom:1px solid #000; width:150pt; height:40pt'></div></td>
<td style='vertical-align:top'>Pour le client<br><br>Nom : ______________________<br><br>
<div style='border-bottom:1px solid #000; width:150pt; height:40pt'></div></td></tr></table>""",
             header=f"<img src='{LOGO}' style='width:120pt'>"),
             out("borders_underlines_logo_unsigned.pdf"))
    # 8. An /Ink annotation (tablet signing) added to an unsigned certificate in its zone.
    tmp_pdf = out("ink_base.tmp.pdf")
    chromium(page("Certificat de réalisation", """
<p>Je soussigné, Paul Girard, directeur de Forma Plus, atteste que Léa Martin a suivi
l'action « Excel avancé » du 02/04/2025 au 03/04/2025 (14 heures).</p><p>Fait à Lyon, le 03/04/2025</p>
<div style='margin-left:280pt; margin-top:30pt'>Le directeur<div style='height:90pt'></div>Paul Girard</div>"""), tmp_pdf)
    add_ink(tmp_pdf, out("ink_annotation_signed.pdf"))
    os.remove(tmp_pdf)
    # 10. An attendance sheet whose cells are signed with SVG drawings (an e-sign-in web page
    #     printed by Chromium); one cell left empty.
    def svg_sig(seed):
        r = random.Random(seed)
        p = "M 5 30 " + " ".join(
            f"C {x+2} {r.randint(5,45)} {x+4} {r.randint(5,45)} {x+6} {r.randint(15,35)}" for x in range(5, 110, 6))
        return f"<svg width='80pt' height='26pt' viewBox='0 0 120 50'><path d='{p}' fill='none' stroke='#0d47a1' stroke-width='2'/></svg>"
    rows = "".join(
        f"<tr><td>{name}</td><td style='height:34pt'>{svg_sig(i * 2) if i != 2 else ''}</td><td>{svg_sig(i * 2 + 1)}</td></tr>"
        for i, name in enumerate(["Jean Dupont", "Léa Martin", "Paul Girard"]))
    chromium(page("Feuille d'émargement", f"""
<p>Formation « Gestion de projet » – Forma Plus – 10/03/2025 – Formateur : Marc Lenoir</p>
<table class='grid'><tr><th>Nom et prénom</th><th>Matin</th><th>Après-midi</th></tr>{rows}</table>"""),
             out("attendance_svg_cells_one_empty.pdf"))
    # 11. The organisation's stamp (SVG circles and text) over the zone: alone, and with a
    #     drawn signature.
    stamp = """<svg width='90pt' height='90pt' viewBox='0 0 120 120' style='position:absolute; margin-left:40pt'>
<circle cx='60' cy='60' r='56' fill='none' stroke='#283593' stroke-width='3'/>
<circle cx='60' cy='60' r='44' fill='none' stroke='#283593' stroke-width='1.5'/>
<text x='60' y='56' text-anchor='middle' font-size='13' fill='#283593'>FORMA PLUS</text>
<text x='60' y='74' text-anchor='middle' font-size='9' fill='#283593'>SIRET 812 345 678</text></svg>"""
    for suffix, signature in (("stamp_only_unsigned", ""), ("stamp_and_signature_signed", svg)):
        chromium(page("Certificat de réalisation", """
<p>Forma Plus atteste que Jean Dupont a suivi l'action « Gestion de projet » du 10/03/2025
au 12/03/2025 (21 heures).</p><p>Fait à Lyon, le 12/03/2025</p>""" + f"""
<div style='margin-left:280pt; margin-top:30pt'>Cachet et signature de l'organisme<br>{stamp}{signature}
<div style='height:95pt'></div></div>"""), out(f"certificate_{suffix}.pdf"))
    # 9. A label wrapped over two table cells (python-docx), signed below; the client too.
    wrapped_cells_docx(out("wrapped_label_two_cells_signed.docx"))
    # 12. Dated half-day headers in narrow ruled columns (the header cells end a few points
    #     apart on one baseline), and one trainee's signature image pasted in another's cell.
    narrow_ruled_grid(out("attendance_narrow_ruled_columns_same_image.pdf"))

def narrow_ruled_grid(dst):
    a, b, c = (data_uri(signature_png(s)) for s in (21, 22, 23))
    cell = lambda uri: f"<td style='height:30pt'><img src='{uri}' style='width:70pt'></td>"
    rows = (f"<tr><td style='white-space:nowrap'>Jean Dupont</td>{cell(a)}{cell(a)}{cell(a)}{cell(a)}</tr>"
            f"<tr><td style='white-space:nowrap'>Marie Curie</td>{cell(b)}{cell(a)}{cell(b)}{cell(b)}</tr>"
            f"<tr><td style='white-space:nowrap'>Formateur : Paul Martin</td>{cell(c)}{cell(c)}{cell(c)}{cell(c)}</tr>")
    heads = "".join(f"<th style='padding:1pt 3pt; white-space:nowrap'>{h} {d}</th>" for d in ("12/03/2026", "13/03/2026")
                    for h in ("Matin", "Après-midi"))
    chromium(page("Feuille d'émargement", f"""
<p>Formation « Excel avancé » – Forma Plus – du 12/03/2026 au 13/03/2026</p>
<table class='grid' style='width:auto'><tr><th>Nom</th>{heads}</tr>{rows}</table>"""), dst)

def find_label_box(pdf_path, needle):
    """The baseline of a text line containing `needle` (pypdf's visitor), in page space."""
    from pypdf import PdfReader
    found = []
    def visit(text, cm, tm, fd, size):
        if needle in text:
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))
    PdfReader(pdf_path).pages[0].extract_text(visitor_text=visit)
    return found[0]

def add_ink(src, dst):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, StreamObject, TextStringObject)
    x0, y0 = find_label_box(src, "Le directeur")
    rnd = random.Random(3)
    strokes = []
    for s in range(2):
        pts = []
        for i in range(30):
            pts += [x0 + 5 + i * 5, y0 - 45 + s * 8 + 14 * math.sin(i / 2.2 + s) + rnd.uniform(-2, 2)]
        strokes.append(pts)
    xs = [v for st in strokes for v in st[0::2]]
    ys = [v for st in strokes for v in st[1::2]]
    rect = [min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2]
    ops = ["0 0 0.6 RG 1.5 w"]
    for st in strokes:
        ops.append(f"{st[0]-rect[0]:.2f} {st[1]-rect[1]:.2f} m")
        for i in range(2, len(st), 2):
            ops.append(f"{st[i]-rect[0]:.2f} {st[i+1]-rect[1]:.2f} l")
        ops.append("S")
    ap = StreamObject()
    ap.set_data("\n".join(ops).encode())
    ap.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
               NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                                 FloatObject(rect[2] - rect[0]), FloatObject(rect[3] - rect[1])])})
    w = PdfWriter(clone_from=PdfReader(src))
    ap_ref = w._add_object(ap)
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Ink"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        NameObject("/InkList"): ArrayObject([ArrayObject([FloatObject(v) for v in st]) for st in strokes]),
        NameObject("/C"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(0.6)]),
        NameObject("/F"): NumberObject(4), NameObject("/T"): TextStringObject("Paul Girard"),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): ap_ref}),
    })
    w.add_annotation(0, annot)
    with open(dst, "wb") as f:
        w.write(f)

def wrapped_cells_docx(dst):
    import docx
    from docx.shared import Pt
    d = docx.Document()
    d.add_heading("Convention de formation professionnelle", 1)
    for p in BODY_CONV.replace("<p>", "").split("</p>"):
        if p.strip():
            d.add_paragraph(" ".join(p.split()))
    t = d.add_table(rows=3, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).text = "Signature du représentant de"
    t.cell(1, 0).text = "l'organisme de formation"
    t.cell(0, 1).text = "Pour l'entreprise"
    t.cell(1, 1).text = "(cachet et signature)"
    for col, seed in ((0, 1), (1, 2)):
        run = t.cell(2, col).paragraphs[0].add_run()
        run.add_picture(io.BytesIO(signature_png(seed)), width=Pt(120))
    d.core_properties.created = __import__("datetime").datetime(2025, 3, 3)
    d.save(dst)



def libreoffice_drawing(dst_dir):
    """A freeform line drawn in LibreOffice Writer (draw:path) under the trainee's label, saved
    by LibreOffice as ODT (draw:path), DOCX (DrawingML freeform) and printed as PDF (vector
    paths)."""
    rnd = random.Random(11)
    d = "M 0 1000 " + " ".join(
        f"C {x+100} {rnd.randint(0,2000)} {x+200} {rnd.randint(0,2000)} {x+300} {rnd.randint(500,1500)}"
        for x in range(0, 4500, 300))
    fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:style style:name="gr1" style:family="graphic">
<style:graphic-properties draw:fill="none" svg:stroke-color="#1a237e" svg:stroke-width="0.05cm"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:h text:outline-level="1">Attestation d'assiduité</text:h>
<text:p>Forma Plus atteste que Jean Dupont a été présent à la formation « Gestion de projet » du 10/03/2025 au 12/03/2025, soit 21 heures sur 21 heures prévues.</text:p>
<text:p>Fait à Lyon, le 12/03/2025</text:p>
<text:p>Signature du stagiaire</text:p>
<text:p><draw:path draw:style-name="gr1" text:anchor-type="as-char" svg:width="5cm" svg:height="2cm" svg:viewBox="0 0 5000 2000" svg:d="{d}"/></text:p>
<text:p>Jean Dupont</text:p>
</office:text></office:body></office:document>"""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "libreoffice_freeform_signed.fodt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fodt)
        for fmt in ("pdf", "docx", "odt"):
            subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", dst_dir, src],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=dict(os.environ, HOME=tmp))


if __name__ == "__main__":
    if "--libreoffice" not in sys.argv:
        main()
    libreoffice_drawing(HERE)
