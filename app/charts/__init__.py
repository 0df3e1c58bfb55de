"""SVG charts drawn on the server: pure geometry, shared by pages and reports.

A chart function takes plain series and returns a plain chart model (points,
labels, paths); the Jinja2 macros in ``templates/charts/`` turn that model into
SVG and an accessible table. Nothing here reads a database or knows a domain,
so any domain may draw a chart without importing another domain.
"""
