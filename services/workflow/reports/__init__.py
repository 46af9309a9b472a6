"""The office's monthly report (*laporan bulanan*): its figures, and the files it is exported to."""
