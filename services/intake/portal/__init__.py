"""The citizens' portal: the complaint form and the tracking page, server-rendered, with the
forms as browsers send them and the templates beside them.

Imports ``filing``, ``tracking``, ``app_channel`` and ``shared.web``; imported by the API's app.
"""
