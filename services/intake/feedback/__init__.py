"""After the answer: the complainant's rating of it (*puas / tidak puas*, the SKM survey's 1-4
score) and their request for the case to be reopened (*dibuka kembali*) within the window the
workflow set; both go to the workflow, which decides."""
