"""Background jobs: work that happens after (and because of) a request.

The same task functions run on both databases: on PostgreSQL through
procrastinate (``stepwise worker``), on SQLite inside the server from the
``jobs`` table (:mod:`app.jobs.runner`). See docs/architecture.md,
"Background work".
"""
