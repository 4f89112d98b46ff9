"""Certificates: issuance, PDF, public verification."""
