"""The audit trail: who viewed or changed whose personal data, append-only.

Low in the layers (just above mail) so every domain that records can import
it; it imports only the core. Admins read it through :mod:`app.operations`.
"""
