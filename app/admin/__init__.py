"""Administration: users, reference data, outbox and audit log."""
