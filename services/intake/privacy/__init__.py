"""Personal data (UU 27/2022): the complainant's request for early erasure (``requests``) and
intake's erasure of its own copy when the workflow says so (``erasure``)."""
