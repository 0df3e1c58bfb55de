"""Webhooks: signed HTTP callbacks to integrators when assessments, reviews and plans change."""
