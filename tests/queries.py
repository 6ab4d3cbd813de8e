"""Count the SQL statements a block of code sends, to hold pages to a query budget."""

import contextlib

from sqlalchemy import event

from app.extensions import db


@contextlib.contextmanager
def count_queries():
    """Yield a list that holds every SQL statement sent inside the block, in order."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
