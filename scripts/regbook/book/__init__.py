"""The compendium as a paged PDF: ``selection`` (what and in which order), ``html`` (the book as
one HTML document with print CSS) and ``pdf`` (WeasyPrint rendering, volumes, per-document PDFs)."""
