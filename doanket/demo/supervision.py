"""The demo's supervision: Lào Cai's 2026 plan imported from its document, the housing supervision
done with its findings and two recommendations (one answered, one overdue), the democracy
supervision under way, the ethics supervision assigned to the province officer with one person and
one opinion; the first commune's boards with an inspection and a watched road; a draft resolution
received for social criticism with its opinions and the criticism's points drafted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from doanket.accounts.models import User
from doanket.organizations.models import Unit, UnitKind
from doanket.supervision import criticism, services
from doanket.supervision.models import (
    BOARD_KINDS,
    Answer,
    Draft,
    Inspection,
    Kind,
    Progress,
    SourceKind,
    SupervisionPlan,
)

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
PLAN = DOCUMENTS / "ke-hoach-giam-sat-2026-lao-cai.txt"
DRAFT = DOCUMENTS / "du-thao-nghi-quyet-ho-tro-nha-o.txt"
OPINIONS = [
    (
        3,
        SourceKind.EXPERT,
        "TS. Nguyễn Văn An (mẫu)",
        "Mức 50 triệu đồng chưa đủ xây nhà ở vùng cao; đề nghị 70 triệu đồng.",
    ),
    (3, SourceKind.MEMBER, "Hội Nông dân tỉnh (mẫu)", "Đề nghị ưu tiên hộ có người khuyết tật, người cao tuổi."),
    (2, SourceKind.CONFERENCE, "Hội nghị phản biện (mẫu)", "Bổ sung hộ mới thoát nghèo trong 2 năm đầu."),
    (
        None,
        SourceKind.COUNCIL,
        "Hội đồng tư vấn về dân tộc (mẫu)",
        "Cần đánh giá tác động đối với đồng bào dân tộc thiểu số.",
    ),
]


def load_supervision(province: Unit, commune: Unit, officer: User, today: dt.date) -> SupervisionPlan:
    found = SupervisionPlan.objects.filter(unit=province, year=2026).first()
    if found is not None:
        return found
    document = services.read_plan(PLAN.read_bytes(), PLAN.name)
    plan = services.create_plan(None, province, year=2026, document=document, source_name=PLAN.name)
    housing, democracy, ethics = (plan.supervisions.get(position=n) for n in (1, 2, 3))
    services.update_supervision(
        None, housing, progress=Progress.DONE, team="Nguyễn Văn Thắng (mẫu)\nLò Thị Hoa (mẫu)",
        findings=(
            "Chính sách hỗ trợ nhà ở được triển khai đúng đối tượng ở 9/10 xã được giám sát (dữ liệu mẫu).\n"
            "Một số hộ chưa được công khai danh sách tại thôn."
        ),
    )  # fmt: skip
    answered = services.recommend(
        None, housing, text="Công khai danh sách hộ được hỗ trợ nhà ở tại nhà văn hoá thôn (mẫu).",
        addressee="Sở Xây dựng tỉnh Lào Cai", due_on=min(today, dt.date(2026, 8, 31)),
    )  # fmt: skip
    services.record_answer(
        None, answered, answer=Answer.ANSWERED, answer_text="Đã chỉ đạo các xã niêm yết danh sách (mẫu).",
        answered_on=min(today, dt.date(2026, 8, 20)),
    )  # fmt: skip
    services.recommend(
        None,
        housing,
        text="Bổ sung kinh phí cho 12 hộ còn thiếu vốn đối ứng (mẫu).",
        addressee="Ủy ban nhân dân tỉnh Lào Cai",
        due_on=min(today, dt.date(2026, 9, 30)) - dt.timedelta(days=1),
    )  # fmt: skip — overdue: the page shows it in red and the job chases it
    services.update_supervision(None, democracy, progress=Progress.UNDER_WAY)
    if ethics.kind == Kind.ETHICS:
        ethics.assigned.add(officer)
        person = services.add_person(None, ethics, full_name="Người đứng đầu cơ quan A (mẫu)", office="Giám đốc (mẫu)")
        services.add_opinion(
            None, person, source="Ban công tác Mặt trận khu dân cư nơi cư trú (mẫu)",
            text="Gương mẫu, gần gũi với Nhân dân nơi cư trú (dữ liệu mẫu).",
        )  # fmt: skip
    boards = {u.kind: u for u in Unit.objects.filter(parent=commune, kind__in=BOARD_KINDS)}
    inspection_board = boards.get(UnitKind.PEOPLES_INSPECTION_BOARD)
    if inspection_board is not None and not Inspection.objects.filter(board=inspection_board).exists():
        services.add_inspection(
            None, inspection_board, subject="Việc chi trả trợ cấp cho người có công (mẫu)",
            held_on=min(today, dt.date(2026, 5, 12)), findings="Chi trả đúng, đủ, kịp thời (mẫu).",
        )  # fmt: skip
    investment_board = boards.get(UnitKind.COMMUNITY_INVESTMENT_BOARD)
    if investment_board is not None:
        owner = f"UBND {commune.name.removeprefix('Ủy ban MTTQ ')}"
        services.add_project(
            None, investment_board, name="Đường bê tông liên thôn (mẫu)", owner=owner,
            budget=1_250_000_000, starts_on=min(today, dt.date(2026, 3, 1)), progress=70,
            issues="Đoạn cuối tuyến chưa đủ độ dày bê tông theo thiết kế (mẫu).",
        )  # fmt: skip
    load_criticism(province, today)
    return plan


def load_criticism(province: Unit, today: dt.date) -> Draft:
    """A draft resolution on housing support received for criticism, four opinions gathered and the
    criticism's points drafted from them: the officer edits and sends it."""
    found = Draft.objects.filter(unit=province, source_name=DRAFT.name).first()
    if found is not None:
        return found
    received = today - dt.timedelta(days=10)
    draft = criticism.register(
        None, province, drafting_body="Sở Xây dựng tỉnh Lào Cai (mẫu)", received_on=received,
        due_on=received + dt.timedelta(days=30), text=DRAFT.read_text(encoding="utf-8"), source_name=DRAFT.name,
    )  # fmt: skip
    parts = {part.position: part for part in draft.parts.all()}
    for position, kind, author, text in OPINIONS:
        part = parts.get(position) if position else None
        criticism.add_opinion(None, draft, part=part, source_kind=kind, author=author, text=text)
    criticism.compose(None, draft)
    return draft
