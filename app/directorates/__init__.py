"""Reference data: CVRHs, directorates and calls for declarations."""
