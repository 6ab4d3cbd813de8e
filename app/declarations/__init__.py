"""Annex 1: the directorates' online declarations of their PIX deployment."""
