"""The licensing services catalogue (*katalog layanan*) the office edits, and intake told of it."""
