"""Multi-rater feedback: requests, rater invitations and their raw answers.

Public surface for other packages: :mod:`app.feedback.responses` (the plain
``RaterResponse`` contract), ``repository.load_rater_responses`` for the
aggregation (the only reader of raw answers), :mod:`app.feedback.groups`
(the configured rater groups), and the models for ``app.models``.
"""
