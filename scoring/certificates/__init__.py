"""Certificates (荣誉证书) and printable results: fpdf2 PDFs with an embedded Chinese font."""
