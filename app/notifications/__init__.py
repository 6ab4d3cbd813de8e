"""Telling the project team of its waiting work: e-mails at once, or a daily digest."""
