"""Work-programme benchmark: ``.venv/bin/python bench/programs.py`` (or ``make bench``).

Measures what issue 3 names: the import time of the two seeds and of a generated 60-page
programme (goal: under 1 s each), and the board of a province programme with 5,000 assignments
(goal: under 150 ms server time, the same number of queries as with 500). Uses its own database
(see bench/run.py); prints a Markdown table and writes ``bench/results/programs-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402

SECTIONS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def generated_programme(pages: int = 60) -> str:
    """A programme of about ``pages`` A4 pages (~3,000 characters each) in the seed's genre:
    roman sections, numbered items, "2.1." sub-items, bullets, references, anniversaries, and a
    paragraph cut by a page break now and then."""
    seed = next((ROOT / "demo" / "documents").glob("000_*.txt")).read_text(encoding="utf-8")
    bullets = [line for line in seed.split("\n") if line.startswith("- ") and len(line) > 200]
    out = [
        "ỦY BAN MTTQ VIỆT NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH LÀO CAI\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 99/CTr-MTTQ-BTT\tLào Cai, ngày 10 tháng 01 năm 2026",
        "",
        "CHƯƠNG TRÌNH",
        "Phối hợp và thống nhất hành động năm 2026 (bản thử 60 trang)",
        "",
    ]
    target = pages * 3000
    size = 0
    section = 0
    while size < target:
        roman = SECTIONS[section % len(SECTIONS)] if section < len(SECTIONS) else f"{SECTIONS[section % 12]}"
        out += [f"{roman}. NHIỆM VỤ NHÓM {section + 1}", ""]
        for item in range(1, 6):
            out += [f"{item}. Nhiệm vụ {section + 1}.{item} về công tác Mặt trận năm 2026", ""]
            for sub in range(1, 4):
                out += [f"{item}.{sub}. Nội dung {item}.{sub}", ""]
                for b in range(3):
                    text = bullets[(section * 31 + item * 7 + sub * 3 + b) % len(bullets)]
                    if b == 1 and sub == 2:
                        cut = text.rfind(" ", 0, len(text) // 2)
                        out += [text[:cut], "", text[cut + 1 :].lower(), ""]
                    else:
                        out += [text, ""]
                    size += len(text)
        section += 1
    out += [
        "Nơi nhận:",
        "- Ban TT UB TWMTTQ Việt Nam;",
        "- Lưu VT.",
        "",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "",
        "Giàng Seo Vân",
    ]
    return "\n".join(out)


def pdf_of(text: str) -> bytes:
    """The text typeset as a real PDF (A4, 13 pt, embedded DejaVu/Liberation font) by the readers'
    test typesetter: wrapped lines, first-line indents, page numbers."""
    from doanket.documents.tests.test_readers import Block, PdfWriter, typeset

    fonts = sorted(Path("/usr/share/fonts/truetype").rglob("*Serif*.ttf")) or sorted(
        Path("/usr/share/fonts/truetype").rglob("*.ttf")
    )
    writer = PdfWriter(fonts[0])
    blocks = [Block(line, indent=0 if line[:1] in "-IVX" else 28) for line in text.split("\n") if line.strip()]
    typeset(writer, blocks)
    return writer.finish()


def pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each import (7)")
    parser.add_argument("--page-runs", type=int, default=30, help="timed runs of each page (30)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-programs-"))
    try:
        configure(tmp)
        import django

        django.setup()
        return run(args, ROOT / "bench" / "results" if not args.no_write else None)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, results_dir: Path | None) -> int:
    from django.core.management import call_command
    from django.db import connection

    from bench.national import Measurement, engine_version, logged_in, machine, measure, page, prepare_database
    from doanket.accounts.models import Role, User
    from doanket.accounts.services import grant_role
    from doanket.documents.export import export_docx
    from doanket.documents.parser import parse
    from doanket.documents.readers import read_document
    from doanket.organizations.models import Level
    from doanket.organizations.services import create_unit
    from doanket.programs import services
    from doanket.programs.models import Assignment, Item

    prepare_database(force_flush=True)
    call_command("flush", verbosity=0, interactive=False)
    seeds = {p.name[:3]: p.read_bytes() for p in (ROOT / "demo" / "documents").glob("*.txt")}
    big_text = generated_programme(60)
    big_docx = export_docx(parse(big_text))
    seed_docx = export_docx(parse(seeds["000"].decode()))
    big_pdf = pdf_of(generated_programme(42))  # 42 "text pages" typeset in 13 pt come to about 60 A4 pages
    inputs = {
        "seed 000 (TXT, 28 kB)": (seeds["000"], "000.txt"),
        "seed 003 (TXT, 10 kB)": (seeds["003"], "003.txt"),
        "seed 000 as DOCX": (seed_docx, "000.docx"),
        f"generated 60 pages (TXT, {len(big_text.encode()) // 1024} kB)": (big_text.encode(), "big.txt"),
        f"generated 60 pages (DOCX, {len(big_docx) // 1024} kB)": (big_docx, "big.docx"),
        f"generated {pdf_pages(big_pdf)} PDF pages (text layer, {len(big_pdf) // 1024} kB)": (big_pdf, "big.pdf"),
    }
    results: list[Measurement] = []
    for label, (data, name) in inputs.items():
        results.append(
            measure(
                f"import:{name}",
                f"read + understand {label}",
                "import",
                lambda d=data, n=name: parse(read_document(d, n).text),  # type: ignore[misc]
                args.runs,
                "< 1000 ms",
            )
        )

    province = create_unit(None, name="Ủy ban MTTQ tỉnh Bench", level=Level.PROVINCE, kind="committee")
    communes = [
        create_unit(None, parent=province, name=f"Ủy ban MTTQ xã Bench {i}", level=Level.COMMUNE, kind="committee")
        for i in range(10)
    ]
    officer = User.objects.create_user(username="bench_tinh", password="x")
    grant_role(None, officer, province, Role.OFFICER)
    parsed = parse(big_text)
    results.append(
        measure(
            "save:big",
            "save the 60-page programme (items, events, library, version 1)",
            "import",
            lambda: services.save_program(None, province, parsed),
            max(1, args.runs // 2),
            "",
        )
    )
    program = services.save_program(None, province, parsed)
    items = list(Item.objects.filter(program=program).order_by("position"))
    client = logged_in(officer)
    url = f"/programs/{program.pk}/board/"
    today = dt.date.today()

    def fill(count: int) -> None:
        Assignment.objects.filter(program=program).delete()
        rows = []
        for index in range(count):
            item = items[index // len(communes) % len(items)]
            unit = communes[index % len(communes)]
            due = today - dt.timedelta(days=index % 40) if index % 3 == 0 else today + dt.timedelta(days=index % 90)
            rows.append(
                Assignment(
                    item=item,
                    program=program,
                    unit=unit,
                    due_date=due,
                    status="in_progress" if index % 5 == 0 else "not_started",
                )
            )
        Assignment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)

    from django.test.utils import override_settings

    overrides = override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False)
    overrides.enable()
    for count in (500, 5000):
        fill(count)
        actual = Assignment.objects.filter(program=program).count()
        results.append(
            measure(
                f"board:{count}",
                f"programme board, {actual} assignments",
                "page",
                page(client, url),
                args.page_runs,
                "< 150 ms",
            )
        )
        results.append(
            measure(
                f"board-late:{count}",
                f"programme board, overdue only, {actual} assignments",
                "page",
                page(client, url + "?status=late"),
                args.page_runs,
                "< 150 ms",
            )
        )
        results.append(
            measure(
                f"tasks:{count}",
                f"my tasks with units below, {actual} assignments",
                "page",
                page(client, "/programs/tasks/?below=1"),
                args.page_runs,
                "< 150 ms",
            )
        )

    engine = connection.vendor
    print(f"\n## Work programmes — {engine} {engine_version()}\n")
    print("| Measurement | runs | median ms | p95 ms | queries | goal |")
    print("|---|---|---|---|---|---|")
    for m in results:
        print(f"| {m.label} | {m.runs} | {m.median_ms} | {m.p95_ms} | {m.queries} | {m.target} |")
    if results_dir is not None:
        results_dir.mkdir(parents=True, exist_ok=True)
        out = results_dir / f"programs-{engine}-{dt.date.today().isoformat()}.json"
        out.write_text(
            json.dumps(
                {
                    "engine": engine,
                    "version": engine_version(),
                    "machine": machine(),
                    "measurements": [m.__dict__ for m in results],
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        print(f"\nwritten {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
