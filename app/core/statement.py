"""What the accessibility statement says of the portal's own audit (kept true by the tests)."""

from datetime import date

STATEMENT_DATE = date(2026, 12, 7)
# The pages tests/browser/test_accessibility.py audits, both languages and every profile counted.
AUDITED_PAGES = 190
