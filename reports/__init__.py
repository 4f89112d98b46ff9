"""Donor participation reports; reads from every app, imported by none."""
