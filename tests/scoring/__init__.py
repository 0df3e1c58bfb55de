"""Tests for the pure scoring engine (app.scoring)."""
