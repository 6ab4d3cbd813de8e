"""Webinars: sessions of events, invitations of the people named in declarations, registrations,
attendance and who still needs training."""
