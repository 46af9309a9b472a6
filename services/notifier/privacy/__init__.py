"""Personal data (UU 27/2022): the notifier's copy erased when the workflow says so."""
