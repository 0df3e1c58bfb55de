"""Outgoing email: composed in the request, sent by a job, kept in an outbox."""
