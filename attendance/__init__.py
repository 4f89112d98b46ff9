"""Workshops, sessions, registrations, attendance and in-person scores."""
