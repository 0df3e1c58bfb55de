"""Data subject rights (GDPR Art. 15, 17 and 20): export, erasure, retention.

It composes every domain, so it sits just below ``app.models`` in the layers,
and it reads and deletes the other domains' rows only through their own
functions (docs/privacy.md).
"""
