"""The notifier: tells the complainant what happened to their laporan pengaduan."""
