"""Stepwise: competency self-assessment and coaching engine."""
