"""Accounts: login, logout, password reset, invitations and access rules."""
