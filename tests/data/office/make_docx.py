import datetime
from docx import Document
from docx.shared import Cm, Pt
from docx.enum.text import WD_ALIGN_PARAGRAPH

doc = Document()
cp = doc.core_properties
cp.title = "Feuille d'émargement – Excel avancé"
cp.author = "Marie Dupré"
cp.subject = "Session du 12 mars 2025"
cp.last_modified_by = "Jean Économe"
cp.created = datetime.datetime(2025, 3, 10, 9, 30, 0)
cp.modified = datetime.datetime(2025, 3, 12, 17, 45, 0)
cp.keywords = "émargement; Qualiopi"

sec = doc.sections[0]
hp = sec.header.paragraphs[0]
hp.text = "Organisme Lumière Formation — N° de déclaration 84 69 12345 69"
hp2 = sec.header.add_paragraph()
hp2.add_run().add_picture("logo.jpg", width=Cm(3))
sec.footer.paragraphs[0].text = "Organisme certifié Qualiopi « actions de formation » – tarif 1 200 €"

doc.add_heading("Feuille d'émargement", level=1)
doc.add_paragraph("Formation : Excel avancé — niveau 2 (œuvre collective, façade « été »)")
doc.add_paragraph("Dates : du 12 mars 2025 au 13 mars 2025, matin et après-midi")
p = doc.add_paragraph("Lieu : ")
p.add_run("Lyon").bold = True
p.add_run("\tSalle Berlioz")

t = doc.add_table(rows=4, cols=4)
t.style = "Table Grid"
hdr = ["Nom", "Prénom", "Entreprise", "Signature"]
for i, h in enumerate(hdr):
    t.cell(0, i).text = h
rows = [["Durand", "Éloïse", "Société Générale d'Études", None],
        ["Müller", "François", "Ça Roule SARL", ""]]
for r, row in enumerate(rows, start=1):
    for c, v in enumerate(row[:3]):
        t.cell(r, c).text = v
t.cell(1, 3).paragraphs[0].add_run().add_picture("sig1.png", width=Cm(3))
# merged last row: "Total" across 3 columns, then count
m = t.cell(3, 0).merge(t.cell(3, 2))
m.text = "Nombre de stagiaires présents"
t.cell(3, 3).text = "2"

doc.add_paragraph("")
doc.add_paragraph("Signature du formateur :")
doc.add_paragraph().add_run().add_picture("sig2.png", width=Cm(3))
doc.add_paragraph("Fait à Lyon, le 12 mars 2025")
doc.save("emargement_word.docx")
