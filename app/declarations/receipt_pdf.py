"""The PDF of an acknowledgement of receipt, drawn with fpdf2 from the receipt's stored copy.

The text is set in Marianne, the State's typeface, from the WOFF files of the DSFR that the
set-up copies into the static folder (fpdf2 reads WOFF; the subset of glyphs used is embedded,
so accents, apostrophes and French quotes show on any reader). The PDF is not tagged: its
sections are bookmarks, and the same content is on the declaration's page.
"""

from datetime import UTC, date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates, numbers
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF, FontFace

from app.declarations.models import PerimeterKind, Receipt, ReceiptKind
from app.templating import CLOCK_PATTERNS

FONT = "Marianne"
FONT_FILES = {"": "Marianne-Regular.woff", "B": "Marianne-Bold.woff"}
BLUE = (0, 0, 145)  # the DSFR's "bleu France"
GREY = (102, 102, 102)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(227, 227, 253))


def font_folder() -> Path:
    """Return the folder of the DSFR's fonts (copied into the static folder at set-up)."""
    return Path(current_app.static_folder) / "vendor" / "dsfr" / "fonts"


def _local(data: dict[str, Any], field: str, language: str) -> str:
    return data.get(f"{field}_{language}") or data.get(f"{field}_fr") or ""


class _Document(FPDF):
    """An A4 page with the receipt's reference and page numbers at the foot."""

    def __init__(self, reference: str, language: str):
        super().__init__(format="A4")
        self.reference = reference
        self.language = language
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(font_folder() / name))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        text = _("%(reference)s – page %(page)s of %(pages)s", reference=self.reference,
                 page=self.page_no(), pages="{nb}")  # fmt: skip
        self.cell(0, 5, text, align="C")
        self.set_text_color(0, 0, 0)


class _Writer:
    """Draws one receipt in the current (forced) language."""

    def __init__(self, receipt: Receipt, language: str):
        self.receipt = receipt
        self.content = receipt.content
        self.language = language
        self.pdf = _Document(receipt.reference, language)

    def number(self, value: int | None) -> str:
        return "—" if value is None else numbers.format_decimal(value, locale=self.language)

    def day(self, value: str | None) -> str:
        if not value:
            return "?"
        return dates.format_date(date.fromisoformat(value), "short", locale=self.language)

    def heading(self, text: str, size: int = 13) -> None:
        pdf = self.pdf
        if pdf.will_page_break(25):  # a heading never ends a page alone
            pdf.add_page()
        pdf.ln(3)
        pdf.start_section(text, level=0)
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(*BLUE)
        pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text=text)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    def paragraph(self, text: str, size: int = 10, style: str = "") -> None:
        self.pdf.set_font(FONT, style, size)
        self.pdf.multi_cell(0, 5.5, new_x="LMARGIN", new_y="NEXT", text=text)

    def table(self, widths: tuple, headers: list[str], rows: list[list], align=None) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=9)
        with pdf.table(col_widths=widths, headings_style=HEADINGS, line_height=4.8,
                       text_align=align or "LEFT", padding=1.2) as table:  # fmt: skip
            heading = table.row()
            for text in headers:
                heading.cell(text)
            for cells in rows:
                row = table.row()
                for cell in cells:
                    if isinstance(cell, tuple):
                        row.cell(cell[0], colspan=cell[1], align="LEFT")
                    else:
                        row.cell(cell)
        pdf.ln(2)

    def issued(self) -> str:
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        moment = self.receipt.issued_at
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
        day = dates.format_date(moment.date(), "long", locale=self.language)
        pattern = CLOCK_PATTERNS.get(self.language, "short")
        clock = dates.format_time(moment, pattern, tzinfo=zone, locale=self.language)
        city = dates.get_timezone_location(zone, locale=self.language, return_city=True)
        when = _("%(date)s at %(time)s", date=day, time=clock)
        return f"{when} ({_('%(city)s time', city=city)})"

    def draw(self) -> bytes:
        pdf, content, language = self.pdf, self.content, self.language
        submission = self.receipt.kind is ReceiptKind.SUBMISSION
        title = _("Acknowledgement of receipt")
        pdf.set_title(f"{title} {self.receipt.reference}")
        pdf.set_author(current_app.config["PORTAL_HOST"])
        pdf.set_lang(language)
        pdf.creation_date = self.receipt.issued_at
        pdf.add_page()
        pdf.set_font(FONT, size=9)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(
            0, 4.5, new_x="LMARGIN", new_y="NEXT", text=current_app.config["PORTAL_HOST"]
        )
        pdf.multi_cell(0, 4.5, new_x="LMARGIN", new_y="NEXT", text=_("PIX deployment portal"))
        pdf.set_text_color(0, 0, 0)
        pdf.ln(4)
        pdf.set_font(FONT, "B", 20)
        pdf.multi_cell(0, 9, new_x="LMARGIN", new_y="NEXT", text=title)
        pdf.set_font(FONT, "B", 12)
        pdf.set_text_color(*BLUE)
        subtitle = (
            _("Annex 1 declaration submitted") if submission else _("Annex 1 declaration accepted")
        )
        pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text=subtitle)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
        call, directorate = content["call"], content["directorate"]
        facts = [
            [_("Reference"), self.receipt.reference],
            [_("Call for declarations"), f"{_local(call, 'title', language)} ({call['code']})"],
            [_("Directorate"),
             f"{_local(directorate, 'name', language)} ({directorate['code']})"],
            [_("Submitted on") if submission else _("Accepted on"), self.issued()],
        ]  # fmt: skip
        if content.get("imported"):
            facts.append([_("Received"), _("by e-mail, imported by the project team")])
        elif content.get("by"):
            facts.append([_("Submitted by") if submission else _("Accepted by"), content["by"]])
        pdf.set_font(FONT, size=10)
        with pdf.table(col_widths=(45, 129), first_row_as_headings=False, line_height=5.5,
                       text_align="LEFT", padding=1.5,
                       borders_layout="HORIZONTAL_LINES") as table:  # fmt: skip
            for label, value in facts:
                row = table.row()
                row.cell(label, style=FontFace(emphasis="BOLD"))
                row.cell(value)
        pdf.ln(3)
        self.paragraph(
            _("The PIX project team has received the declaration below, as it was submitted.")
            if submission
            else _("The PIX project team has accepted the declaration below, as it stands.")
        )
        self.totals()
        self.campaigns()
        self.people()
        self.heading(_("Other answers"))
        self.paragraph(_("CODIR presentation requested: %(answer)s",
                         answer=_("yes") if content.get("wants_codir") else _("no")))  # fmt: skip
        if content.get("comments"):
            self.paragraph(_("Comments"), style="B")
            self.paragraph(content["comments"])
        return bytes(pdf.output())

    def totals(self) -> None:
        content = self.content
        campaigns = content["campaigns"]
        self.heading(_("Totals"))
        self.table(
            (34.8,) * 5,
            [_("Campaigns"), _("Agents concerned"), _("Licences"), _("Ambassadors"),
             _("PIX Orga administrators")],
            [[self.number(len(campaigns)),
              self.number(sum(c.get("headcount") or 0 for c in campaigns)),
              self.number(sum(c.get("licences") or 0 for c in campaigns)),
              self.number(len(content["ambassadors"])),
              self.number(len(content["administrators"]))]],
            align="CENTER",
        )  # fmt: skip

    def campaigns(self) -> None:
        language = self.language
        self.heading(_("Campaigns"))
        rows = []
        for number, campaign in enumerate(self.content["campaigns"], start=1):
            kind = campaign.get("perimeter_kind")
            perimeter = PerimeterKind(kind).label if kind else ""
            if campaign.get("perimeter_description"):
                perimeter = f"{perimeter}\n{campaign['perimeter_description']}".strip()
            rows.append([
                f"{number}. {campaign.get('label') or ''}", perimeter,
                campaign.get("target_population") or "", self.number(campaign.get("headcount")),
                self.number(campaign.get("licences")),
                f"{self.day(campaign.get('starts_on'))} → {self.day(campaign.get('ends_on'))}",
            ])  # fmt: skip
            extra = []
            if campaign.get("paths"):
                names = "; ".join(_local(path, "name", language) for path in campaign["paths"])
                extra.append(_("Learning paths (Annex 2): %(paths)s", paths=names))
            if campaign.get("learning_paths_note"):
                extra.append(_("Other learning needs or paths: %(note)s",
                               note=campaign["learning_paths_note"]))  # fmt: skip
            if extra:
                rows.append([("\n".join(extra), 6)])
        self.table(
            (32, 44, 30, 18, 18, 32),
            [_("Label"), _("Perimeter"), _("Target population"), _("Agents"), _("Licences"),
             _("Period")],
            rows,
        )  # fmt: skip

    def people(self) -> None:
        content = self.content
        self.heading(_("Ambassadors"))
        self.table(
            (45, 55, 32, 42),
            [_("Name"), _("E-mail address"), _("Telephone"), _("Unit")],
            [[f"{p['first_name']} {p['last_name']}", p["email"], p.get("phone") or "",
              p.get("unit") or ""] for p in content["ambassadors"]],
        )  # fmt: skip
        self.heading(_("PIX Orga administrators"))
        self.table(
            (45, 55, 44, 30),
            [_("Name"), _("E-mail address"), _("Function"), _("HR or training domain")],
            [[f"{p['first_name']} {p['last_name']}", p["email"], p.get("function") or "",
              _("confirmed") if p.get("hr_confirmed") else _("not confirmed")]
             for p in content["administrators"]],
        )  # fmt: skip


def render(receipt: Receipt, language: str) -> bytes:
    """Return the PDF of a receipt in a language."""
    with force_locale(language):
        return _Writer(receipt, language).draw()
