#!/usr/bin/env python3
"""Makes the e-signature fixtures of tests/esign_real.rs (failure classes 3 and 4 of issue 8).

Trails and certificates (class 3) are written as HTML in the layouts of the services' own
reports and printed to PDF by headless Chromium, as the services' PDFs are:
- docusign_certificate_of_completion.pdf: an English "Certificate Of Completion" (envelope id,
  signer events with Sent / Viewed / Signed timestamps, IP addresses, envelope summary), in a
  separate file next to the signed document;
- yousign_dossier_de_preuves.pdf: a French "dossier de preuves" with a dated event list
  ("… a signé le document", IP, SHA-256 of the document);
- adobe_sign_audit_report.pdf: an English Acrobat Sign audit report (events on one line, their
  timestamps on the next; "Document e-signed by …" / "Signature Date: …");
- trail_pending_signer.pdf: a universign-like French trail where the second signer's status is
  "En attente de signature" -> partial;
- convention_mentions_esign_services.pdf: a convention whose text explains that it will be
  signed through Yousign with a "dossier de preuves" / "audit trail" and an electronic signature,
  with empty signature blocks -> unsigned (a brand name is not a signature).

E-sign-in platform exports (class 4), one row per trainee per slot:
- emargement_export_statuts.xlsx (openpyxl): status column ("Signé", "Non signé", "À signer",
  "Invalidé", "Absent"), signed-at timestamps as real datetimes, a trainer row;
- emargement_export_horodatage.csv: `;` separated, UTF-8 with BOM, a start-time column and a
  signed-at timestamp column (empty when not signed);
- attendance_export_en.csv: `,` separated, English headers and statuses ("Signed", "Not signed",
  "Pending", "Excused");
- emargement_grille_non_signe.xlsx: a WIDE grid (names x half-days) whose cells say "Non signé"
  or "Signé 09:02" -> the "Non signé" cells are not signatures;
- emargement_plateforme_grille.pdf: the same wide grid as a platform's PDF export (Chromium):
  cells hold "Signé à 09:03" / "Non signé" / "Absent" text, no images.

Needs: python3 with openpyxl; chromium. Run: `python3 tests/data/esign/make_esign.py`.
Deterministic (no randomness; PDFs differ only by Chromium's creation date).
"""

import csv
import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

CSS = """
@page { size: A4 portrait; margin: 16mm 14mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9.5pt; color: #222; }
h1 { font-size: 15pt; margin: 0 0 8px; } h2 { font-size: 11pt; margin: 14px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
td, th { border: 1px solid #bbb; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eee; } .small { font-size: 8pt; color: #555; } .sig { height: 60px; }
"""


def chromium(body: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / (out.stem + ".html")
        page.write_text(f"<!doctype html><html><head><meta charset=utf-8><style>{CSS}</style></head>"
                        f"<body>{body}</body></html>", encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", str(page)], check=True, capture_output=True)


def docusign() -> None:
    env = "4F3A9C21-7B8E-4D2A-A1C3-5E6F7A8B9C0D"
    signer = lambda name, mail, sent, viewed, signed, ip: f"""
      <tr><td>{name}<br>{mail}<br>Security Level: Email, Account Authentication (None)</td>
      <td>Signature Adoption: Pre-selected Style<br>Using IP Address: {ip}</td>
      <td>Sent: {sent}<br>Viewed: {viewed}<br>Signed: {signed}</td></tr>"""
    chromium(f"""
    <p class=small>Docusign Envelope ID: {env}</p>
    <h1>Certificate Of Completion</h1>
    <table><tr><td>Envelope Id: {env.replace('-', '')}</td><td>Status: Completed</td></tr>
    <tr><td>Subject: Complete with Docusign: Training agreement - Northwind Logistics.pdf</td><td>Document Pages: 4</td></tr>
    <tr><td>Envelope Originator: Sarah Collins</td><td>s.collins@brightpath-training.co.uk</td></tr></table>
    <h2>Record Tracking</h2>
    <table><tr><td>Status: Original<br>3/10/2025 8:58:12 AM</td><td>Holder: Sarah Collins<br>s.collins@brightpath-training.co.uk</td><td>Location: DocuSign</td></tr></table>
    <h2>Signer Events</h2>
    <table><tr><th>Signer Events</th><th>Signature</th><th>Timestamp</th></tr>
    {signer('Sarah Collins', 's.collins@brightpath-training.co.uk', '3/10/2025 9:01:40 AM', '3/10/2025 9:02:15 AM', '3/10/2025 9:03:02 AM', '81.2.69.142')}
    {signer('James Whitaker', 'j.whitaker@northwind-logistics.com', '3/10/2025 9:03:05 AM', '3/11/2025 2:14:51 PM', '3/11/2025 2:16:27 PM', '92.40.17.203')}
    </table>
    <h2>Envelope Summary Events</h2>
    <table><tr><th>Envelope Summary Events</th><th>Status</th><th>Timestamps</th></tr>
    <tr><td>Envelope Sent</td><td>Hashed/Encrypted</td><td>3/10/2025 9:01:40 AM</td></tr>
    <tr><td>Certified Delivered</td><td>Security Checked</td><td>3/11/2025 2:14:51 PM</td></tr>
    <tr><td>Signing Complete</td><td>Security Checked</td><td>3/11/2025 2:16:27 PM</td></tr>
    <tr><td>Completed</td><td>Security Checked</td><td>3/11/2025 2:16:27 PM</td></tr></table>
    """, HERE / "docusign_certificate_of_completion.pdf")


def yousign() -> None:
    ev = [
        ("10/03/2025 09:05:12", "Procédure créée par Paul Martin (p.martin@horizon-formation.fr)"),
        ("10/03/2025 09:05:40", "Invitation envoyée à Marie Durand (m.durand@batiplus.fr)"),
        ("10/03/2025 09:05:41", "Invitation envoyée à Paul Martin (p.martin@horizon-formation.fr)"),
        ("10/03/2025 09:07:02", "Paul Martin (p.martin@horizon-formation.fr) a signé le document – IP 90.63.12.4"),
        ("10/03/2025 09:11:02", "Document consulté par Marie Durand – IP 176.134.9.21"),
        ("10/03/2025 09:12:03", "Marie Durand (m.durand@batiplus.fr) a signé le document – IP 176.134.9.21"),
        ("10/03/2025 09:12:05", "Procédure terminée"),
    ]
    rows = "".join(f"<tr><td>{t} UTC</td><td>{e}</td></tr>" for t, e in ev)
    chromium(f"""
    <h1>Dossier de preuves</h1>
    <table><tr><td>Identifiant de la procédure</td><td>9c1e7f42-3b5d-4a8e-b0f2-61d7a9c4e3b8</td></tr>
    <tr><td>Document</td><td>Convention_formation_BATIPLUS_2025-03.pdf</td></tr>
    <tr><td>Empreinte SHA-256</td><td>3f7a0c9e51b2d4f68a1e7c3b9d05f2a4e6c8b1d3f5a7092e4c6b8d0f2a4c6e81</td></tr>
    <tr><td>Niveau de signature</td><td>Signature électronique avancée</td></tr></table>
    <h2>Signataires</h2>
    <table><tr><th>Signataire</th><th>Authentification</th></tr>
    <tr><td>Paul Martin – p.martin@horizon-formation.fr</td><td>Code par e-mail</td></tr>
    <tr><td>Marie Durand – m.durand@batiplus.fr</td><td>Code par SMS</td></tr></table>
    <h2>Historique des événements</h2>
    <table><tr><th>Horodatage</th><th>Événement</th></tr>{rows}</table>
    """, HERE / "yousign_dossier_de_preuves.pdf")


def adobe() -> None:
    chromium("""
    <h1>Audit Report</h1>
    <table><tr><td>Title</td><td>Completion certificate - Leadership essentials</td></tr>
    <tr><td>Created</td><td>2025-06-20</td></tr>
    <tr><td>By</td><td>Olivia Bennett (o.bennett@keystone-learning.com)</td></tr>
    <tr><td>Status</td><td>Signed</td></tr>
    <tr><td>Transaction ID</td><td>CBJCHBCAABAAq8Vd2XtLm0pR7sWz</td></tr></table>
    <h2>"Completion certificate - Leadership essentials" History</h2>
    <p>Document created by Olivia Bennett (o.bennett@keystone-learning.com)<br>2025-06-20 - 3:02:11 PM GMT- IP address: 86.13.44.210</p>
    <p>Document emailed to Daniel Hughes (d.hughes@keystone-learning.com) for signature<br>2025-06-20 - 3:02:40 PM GMT</p>
    <p>Email viewed by Daniel Hughes (d.hughes@keystone-learning.com)<br>2025-06-20 - 4:15:03 PM GMT- IP address: 31.94.22.7</p>
    <p>Document e-signed by Daniel Hughes (d.hughes@keystone-learning.com)<br>Signature Date: 2025-06-20 - 4:16:48 PM GMT - Time Source: server- IP address: 31.94.22.7</p>
    <p>Agreement completed.<br>2025-06-20 - 4:16:48 PM GMT</p>
    """, HERE / "adobe_sign_audit_report.pdf")


def pending() -> None:
    chromium("""
    <h1>Rapport de transaction – signature électronique</h1>
    <p>Référence de la transaction : TRX-2025-0415-88213</p>
    <table><tr><th>Signataire</th><th>E-mail</th><th>Statut</th><th>Date de signature</th></tr>
    <tr><td>Claire Fontaine</td><td>c.fontaine@forma-sud.fr</td><td>Signé</td><td>15/04/2025 10:22:41</td></tr>
    <tr><td>Hugo Bernard</td><td>h.bernard@garage-bernard.fr</td><td>En attente de signature</td><td></td></tr></table>
    <p>Invitation envoyée à Hugo Bernard le 15/04/2025 à 10:23. Relance automatique le 18/04/2025.</p>
    """, HERE / "trail_pending_signer.pdf")


def running_text() -> None:
    chromium("""
    <h1>Convention de formation professionnelle</h1>
    <p>Entre Horizon Formation, organisme de formation, et la société Batiplus.</p>
    <p>Article 1 – Objet : formation « Lecture de plans », du 12 au 13 mai 2025, 14 heures.</p>
    <p>Article 9 – Signature : la présente convention est signée par voie de signature électronique
    via la plateforme Yousign. Le dossier de preuves (audit trail) de la procédure est conservé
    par le prestataire et remis à chaque partie ; la signature électronique a la même valeur
    juridique qu'une signature manuscrite. Contact : p.martin@horizon-formation.fr.</p>
    <p>Fait à Nantes, le 2 mai 2025, en deux exemplaires.</p>
    <table><tr><td class=sig>Pour l'organisme de formation<br>Paul Martin, gérant</td>
    <td class=sig>Pour l'entreprise<br>Marie Durand, directrice</td></tr></table>
    """, HERE / "convention_mentions_esign_services.pdf")


TRAINEES = [("Dupont", "Jean", "j.dupont@batiplus.fr"), ("Martin", "Léa", "l.martin@batiplus.fr"),
            ("Roux", "Paul", "p.roux@batiplus.fr")]
SLOTS = [(dt.date(2025, 5, 12), "Matin", dt.time(9, 0)), (dt.date(2025, 5, 12), "Après-midi", dt.time(13, 30)),
         (dt.date(2025, 5, 13), "Matin", dt.time(9, 0)), (dt.date(2025, 5, 13), "Après-midi", dt.time(13, 30))]
# Status per (trainee index, slot index); the rest are signed.
NOT_SIGNED = {(0, 3): "Non signé", (1, 1): "À signer", (2, 0): "Invalidé", (2, 2): "Absent"}


def export_xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Export émargements"
    ws.append(["Export des émargements – Lecture de plans – Batiplus"])
    ws.append([])
    ws.append(["Apprenant", "Email", "Rôle", "Date", "Créneau", "Statut", "Signé le", "Méthode"])
    for ti, (nom, prenom, mail) in enumerate(TRAINEES):
        for si, (d, half, start) in enumerate(SLOTS):
            status = NOT_SIGNED.get((ti, si), "Signé")
            # An invalidated signature keeps its timestamp: it must still not count.
            signed = dt.datetime.combine(d, start) + dt.timedelta(minutes=4 + ti) \
                if status in ("Signé", "Invalidé") else None
            ws.append([f"{prenom} {nom}", mail, "Apprenant", d, half, status, signed,
                       "Signature sur smartphone" if signed else None])
    for si, (d, half, start) in enumerate(SLOTS):
        ws.append(["Sophie Garnier", "s.garnier@horizon-formation.fr", "Formatrice", d, half, "Signé",
                   dt.datetime.combine(d, start) + dt.timedelta(minutes=1), "Signature sur tablette"])
    for row in ws.iter_rows(min_row=4):
        row[3].number_format = "DD/MM/YYYY"
        row[6].number_format = "DD/MM/YYYY HH:MM:SS"
    wb.save(HERE / "emargement_export_statuts.xlsx")


def export_csv_fr() -> None:
    with open(HERE / "emargement_export_horodatage.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Nom", "Prénom", "E-mail", "Date de la session", "Heure de début", "Heure de fin",
                    "Horodatage de signature", "Adresse IP"])
        for ti, (nom, prenom, mail) in enumerate(TRAINEES):
            for si, (d, _half, start) in enumerate(SLOTS):
                end = "12:30" if start.hour < 12 else "17:00"
                signed = (ti, si) not in NOT_SIGNED
                stamp = (dt.datetime.combine(d, start) + dt.timedelta(minutes=3 + si)).strftime("%d/%m/%Y %H:%M:%S") \
                    if signed else ""
                w.writerow([nom, prenom, mail, d.strftime("%d/%m/%Y"), start.strftime("%H:%M"), end, stamp,
                            f"92.184.{ti}.{10 + si}" if signed else ""])


def export_csv_en() -> None:
    statuses = {(0, 3): "Not signed", (1, 1): "Pending", (2, 0): "Unsigned", (2, 2): "Excused"}
    with open(HERE / "attendance_export_en.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=",")
        w.writerow(["Participant", "Email", "Session date", "Slot", "Status", "Signed at"])
        for ti, (nom, prenom, mail) in enumerate(TRAINEES):
            for si, (d, half, start) in enumerate(SLOTS):
                st = statuses.get((ti, si), "Signed")
                slot = "Morning" if half == "Matin" else "Afternoon"
                at = (dt.datetime.combine(d, start) + dt.timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M") \
                    if st == "Signed" else ""
                w.writerow([f"{prenom} {nom}", mail, d.isoformat(), slot, st, at])


def wide_grid() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Émargement"
    ws.append(["Feuille d'émargement – Lecture de plans"])
    ws.append([])
    ws.append(["Nom et prénom", "12/05/2025 Matin", "12/05/2025 Après-midi", "13/05/2025 Matin",
               "13/05/2025 Après-midi"])
    for ti, (nom, prenom, _mail) in enumerate(TRAINEES):
        cells = []
        for si, (_d, _half, start) in enumerate(SLOTS):
            st = NOT_SIGNED.get((ti, si))
            cells.append(st if st else f"Signé {start.hour:02d}:{start.minute + 2:02d}")
        ws.append([f"{prenom} {nom}"] + cells)
    ws.append(["Formatrice : Sophie Garnier", "Signé 09:01", "Signé 13:31", "Signé 09:01", "Non signé"])
    wb.save(HERE / "emargement_grille_non_signe.xlsx")


def wide_grid_pdf() -> None:
    # An e-sign-in platform's PDF export: a names x half-days grid whose cells hold the
    # platform's words, no signature images.
    head = "".join(f"<th>{d.strftime('%d/%m/%Y')}<br>{half}</th>" for d, half, _ in SLOTS)
    rows = ""
    for ti, (nom, prenom, _mail) in enumerate(TRAINEES):
        cells = ""
        for si, (_d, _half, start) in enumerate(SLOTS):
            st = NOT_SIGNED.get((ti, si)) or f"Signé à {start.hour:02d}:{start.minute + 3:02d}"
            cells += f"<td>{st}</td>"
        rows += f"<tr><td>{prenom} {nom}</td>{cells}</tr>"
    rows += "<tr><td>Formatrice : Sophie Garnier</td>" + "".join(
        f"<td>Signé à {s[2].hour:02d}:{s[2].minute + 1:02d}</td>" for s in SLOTS) + "</tr>"
    chromium(f"""
    <h1>Feuille d'émargement – Lecture de plans</h1>
    <p>Batiplus – 12 et 13 mai 2025 – Formatrice : Sophie Garnier. Export de la plateforme d'émargement numérique.</p>
    <table><tr><th>Nom et prénom</th>{head}</tr>{rows}</table>
    """, HERE / "emargement_plateforme_grille.pdf")


if __name__ == "__main__":
    docusign()
    yousign()
    adobe()
    pending()
    running_text()
    export_xlsx()
    export_csv_fr()
    export_csv_en()
    wide_grid()
    wide_grid_pdf()
