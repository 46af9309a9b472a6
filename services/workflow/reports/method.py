"""How the monthly report counts each figure, in the words its readers read beside the
numbers (the console page, the API's ``method``, the files)."""

from __future__ import annotations

from shared import skm

FIGURES: tuple[tuple[str, str], ...] = (
    (
        "Kelompok laporan",
        "Semua angka menghitung laporan pengaduan yang diajukan pada bulan itu (menurut zona "
        "waktu kantor), masing-masing menurut keadaannya saat laporan dibuat. Karena itu "
        "dijawab + ditolak + duplikat + ditutup tanpa tanggapan + masih diproses = diajukan.",
    ),
    (
        "Jalur masuk",
        "Formulir web, aplikasi (API) dan sistem mitra (Open311) diajukan pengadu sendiri; "
        "telepon, loket dan surat dicatat Admin Pengaduan. Laporan yang diajukan sebelum jalur "
        "masuk dicatat tidak dihitung di sini.",
    ),
    (
        "Dijawab",
        "Jawaban sudah dikirim kepada pengadu dan laporan tidak sedang dibuka kembali (juga "
        "yang sudah ditutup setelah masa dibuka kembali berakhir).",
    ),
    (
        "Ditolak",
        "Ditolak di langkah 2 karena bukan pengaduan atau di luar kewenangan DPMPTSP; daftar "
        "instansi menghitung penolakan yang menyebut instansi yang berwenang (penolakan "
        "terakhir setiap laporan).",
    ),
    ("Duplikat", "Digabungkan dengan laporan asli di langkah 1; menerima jawaban laporan asli."),
    (
        "Ditutup tanpa tanggapan",
        "Pengadu tidak melengkapi data yang diminta sampai batas waktunya.",
    ),
    (
        "Masih diproses",
        "Belum selesai: di salah satu langkah SOP, dalam perjalanan ke langkah berikutnya, "
        "menunggu kelengkapan data dari pengadu, atau dibuka kembali.",
    ),
    (
        "Terlambat",
        "Dari yang masih diproses: waktu baku langkah tempat laporan menunggu sudah lewat saat "
        "laporan dibuat (menunggu pengadu tidak dihitung terlambat).",
    ),
    (
        "Dibuka kembali",
        "Laporan yang pernah dibuka kembali setelah jawabannya, apa pun keadaannya sekarang.",
    ),
    (
        "Langkah dalam waktu baku",
        "Setiap penyelesaian langkah SOP laporan-laporan ini (setiap putaran jawaban, kapan "
        "pun diselesaikan), dan berapa yang selesai dalam waktu bakunya (Mutu Baku), dalam "
        "menit jam kerja.",
    ),
    (
        "Median waktu sampai jawaban",
        "Median menit jam kerja kantor dari pengajuan sampai jawaban pertama terkirim "
        "(interpolasi linear di antara dua nilai tengah), dari laporan yang sudah dijawab.",
    ),
    (
        "Kepuasan",
        "Setiap jawaban (setiap putaran) yang dinilai pengadu; puas = nilai 3 atau 4 dari "
        "skala 1-4.",
    ),
    ("IKM", skm.METHOD + " Tanpa responden survei, IKM tidak dihitung."),
)


def method_text() -> str:
    return "\n".join(f"{name}: {text}" for name, text in FIGURES)
