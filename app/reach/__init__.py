"""Reaching the directorates: claim links for their contact mailboxes, and a call's reach."""
