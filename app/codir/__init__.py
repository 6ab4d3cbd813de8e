"""CODIR presentation requests between directorates and their CVRH."""
