"""The staff's side: the SOP's steps a case passes, its clocks and the staff accounts. Its
domain (``cases``, ``sla``, ``staff``, models) is below its ``api``, ``console``, ``tasks`` and
``worker``, and never imports them; imports ``shared`` only, imported by tools and tests.
"""
