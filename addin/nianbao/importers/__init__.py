"""Importers: published reports (.docx, .doc/.wps, .html, .txt, .pdf) into report data.

Each reader makes a ``document.Document``; one matcher maps it to report data by the format definition.
"""
