"""Real document files for tests and benchmarks: PDFs (reportlab), Word files (python-docx), news pages.

Each maker writes a file the way desks receive them: a multi-page report with a running
header and footer, a scan without a text layer, an encrypted or broken PDF, a .docx with a
table, a zip bomb dressed as a .docx, a saved news page with its navigation, cookie banner and
footer around the article.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

# The page furniture of `news_page`: none of it may reach the store.
NAV_TEXT = "Economy and business news"
COOKIE_TEXT = "We use cookies to improve your experience on our site"
FOOTER_TEXT = "Sahel Daily Media Group. All rights reserved"
READ_MORE_TEXT = "Floods displace thousands along the river valley this week"
PAGE_CHROME = (NAV_TEXT, COOKIE_TEXT, FOOTER_TEXT, READ_MORE_TEXT, "Subscribe to our newsletter", "Privacy policy")


def make_pdf(path: Path, pages: Sequence[Sequence[str]], *, header: str = "", footer: str = "",
             title: str | None = None, created: datetime | None = None, encrypt_password: str | None = None,
             owner_password: str | None = None) -> Path:
    """A PDF with one list of paragraphs per page, wrapped to the page width.

    `header` and `footer` are drawn on every page ("{page}" and "{pages}" are filled in), as a
    word processor writes running heads: header first, then the text, then the footer.
    """
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    encrypt = None
    if encrypt_password is not None or owner_password is not None:
        encrypt = pdfencrypt.StandardEncryption(encrypt_password or "", ownerPassword=owner_password or "owner")
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title is not None:
        c.setTitle(title)
    if created is not None:
        c.setDateFormatter(lambda *_: created.strftime("D:%Y%m%d%H%M%S+00'00'"))
    width, height = A4
    for number, paragraphs in enumerate(pages, start=1):
        fill = {"page": number, "pages": len(pages)}
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(56, height - 40, header.format(**fill))
        y = height - 80
        for paragraph in paragraphs:
            c.setFont("Helvetica", 10)
            for line in simpleSplit(paragraph, "Helvetica", 10, width - 112):
                c.drawString(56, y, line)
                y -= 13
            y -= 8
        if footer:
            c.setFont("Helvetica", 8)
            c.drawString(56, 30, footer.format(**fill))
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF of drawings only: what a scanner without OCR produces (no text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        for row in range(40):
            c.rect(56, 760 - row * 18, 300 + (row * 37 + page * 11) % 180, 9, fill=1, stroke=0)
        c.showPage()
    c.save()
    return path


def make_long_pdf(path: Path, pages: int) -> Path:
    """A PDF of `pages` short pages (for the page cap)."""
    return make_pdf(path, [[f"Annex line {n} of the long register."] for n in range(1, pages + 1)])


def truncate(source: Path, target: Path) -> Path:
    """`target` holds the first half of `source`: a download that stopped half-way."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def make_corrupt_pdf(path: Path) -> Path:
    """A file that starts and ends like a PDF with garbage in between."""
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n99999\n%%EOF\n")
    return path


def make_docx(path: Path, *, title: str = "", heading: str = "", paragraphs: Sequence[str] = (),
              table: Sequence[Sequence[str]] = (), after: Sequence[str] = (), created: datetime | None = None) -> Path:
    """A Word file: a heading, paragraphs, a table (first row the header), then more paragraphs."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for col, value in enumerate(row):
                grid.cell(r, col).text = value
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_zip_bomb_docx(path: Path, inflated_mb: int = 60) -> Path:
    """A small zip named .docx whose document.xml inflates to `inflated_mb` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (inflated_mb * 1_000_000))
    return path


def news_page(paragraphs: Sequence[str], *, title: str = "Cholera cases rise in eastern districts",
              published: str = "2023-09-03T08:15:00+00:00",
              canonical: str = "https://saheldaily.example/health/cholera-east", script_kb: int = 2,
              menu_links: int = 0) -> str:
    """A saved news article as outlets serve it: cookie banner, navigation, article, related links, footer.

    `script_kb` of inline script and `menu_links` more navigation links make it as heavy as a real
    page (100-500 KB, mostly scripts and menus).
    """
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    chrome_script = "function track(){}" + "var x = 1;" * (100 * script_kb)
    menu = "".join(f'<li><a href="/section/{i}">Section {i} news</a></li>' for i in range(menu_links))
    return f"""<!doctype html><html lang="en"><head><title>{title} | Sahel Daily</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<meta property="og:site_name" content="Sahel Daily">
<link rel="canonical" href="{canonical}">
<script>window.dataLayer=[];{chrome_script}</script><style>.nav{{color:red}}</style></head><body>
<div id="cookie-banner" class="cookie-consent"><p>{COOKIE_TEXT}. By clicking Accept all you consent to our
cookie policy.</p><button>Accept all</button><button>Manage preferences</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">{NAV_TEXT}</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe to our newsletter today</a></li>{menu}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Awa Diallo</p>
<time datetime="{published}">3 September 2023</time>
{body}
</article>
<aside class="related"><h3>Read more</h3><ul><li><a href="/a">{READ_MORE_TEXT}</a></li>
<li><a href="/b">Markets reopen after months of closure in the capital</a></li></ul></aside></main>
<footer class="site-footer"><p>© 2023 {FOOTER_TEXT}.</p><p><a href="/terms">Terms of use</a> |
<a href="/privacy">Privacy policy</a> | <a href="/contact">Contact the newsroom</a></p></footer>
</body></html>"""


SCRIPTS_ONLY_PAGE = """<!doctype html><html><head><script src="/app.js"></script>
<script>window.__STATE__ = {"article": null}; document.title = "Loading";</script></head>
<body><div id="root"></div><script>render(document.getElementById("root"));</script>
<noscript>Please enable JavaScript.</noscript></body></html>"""
