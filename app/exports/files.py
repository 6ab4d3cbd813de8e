"""The files of an export, named and written the same way for the web console and the CLI."""

import zipfile
from datetime import date
from pathlib import Path
from typing import IO

from app.exports.csv import csv_chunks
from app.exports.services import Dataset
from app.exports.sheets import Table
from app.exports.xlsx import write_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_name(dataset: Dataset, today: date) -> str:
    """Return the workbook's file name: call code, then the day."""
    return f"{dataset.call.code}-{today:%Y-%m-%d}.xlsx"


def csv_name(dataset: Dataset, table: Table) -> str:
    """Return a sheet's CSV file name: call code, then the sheet's title."""
    return f"{dataset.call.code}-{table.slug}.csv"


def zip_name(dataset: Dataset, today: date) -> str:
    """Return the name of the archive of every sheet as CSV."""
    return f"{dataset.call.code}-{today:%Y-%m-%d}-csv.zip"


def write_workbook(dataset: Dataset, target: str | Path | IO[bytes]) -> None:
    """Write the consolidated workbook."""
    write_xlsx(target, dataset.tables, dataset.language)


def write_csv(table: Table, dataset: Dataset, stream: IO[bytes]) -> None:
    """Write one sheet as CSV (UTF-8 with BOM) to a binary stream."""
    for chunk in csv_chunks(table, dataset.language):
        stream.write(chunk.encode("utf-8"))


def write_csv_archive(dataset: Dataset, target: str | Path | IO[bytes]) -> None:
    """Write every sheet as a CSV file into a ZIP archive."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in dataset.tables:
            with archive.open(csv_name(dataset, table), "w") as stream:
                write_csv(table, dataset, stream)


def write_csv_directory(dataset: Dataset, directory: Path) -> list[Path]:
    """Write every sheet as a CSV file into a directory; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in dataset.tables:
        path = directory / csv_name(dataset, table)
        with path.open("wb") as stream:
            write_csv(table, dataset, stream)
        paths.append(path)
    return paths
