"""Roles and the audit log."""
