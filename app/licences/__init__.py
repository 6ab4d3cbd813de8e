"""Licences: the national pool of each call and the licences granted to each directorate."""
