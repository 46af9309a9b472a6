"""Words people read, built one way for every service: dates and times (``time_words``) and the
SOP's figures in a sentence (``sop_figures``). Above ``shared.sop``, below everything else."""
