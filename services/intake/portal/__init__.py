"""The citizens' portal: the complaint form and the tracking page, server-rendered, with the
forms as browsers send them and the templates beside them.

Imports the intake's domain, the API's dependencies and limits, and ``shared``; imported by the
API's app.
"""
