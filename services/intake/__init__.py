"""The citizens' side of the complaint desk: file a laporan pengaduan and follow it."""
