"""Programmes: cohorts of participants and the assessment cycles run for them."""
