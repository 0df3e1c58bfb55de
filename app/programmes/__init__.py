"""Cohorts, cycles and team insights."""
