"""Home pages per role, language redirect, legal pages, errors and health check."""
