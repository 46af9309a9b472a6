"""Personal data (UU 27/2022): the complainant's name, contacts and free text erased after the
retention time (``retention``) or on their request once the case closed (``erasure``)."""
