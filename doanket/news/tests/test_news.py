"""News written as drafts, published and withdrawn by the unit's officers, with a checked photo;
people's diplomacy activities read by the units above, and turned into a draft in one click."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from conftest import People, World, login
from doanket.core import uploads
from doanket.core.models import AuditEntry
from doanket.demo.news import tiny_png
from doanket.news import services
from doanket.news.models import Activity, ActivityKind, Kind, NewsItem, State
from doanket.news.services import NewsError


def png(name: str = "anh.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(*size), "image/png")


def png_claiming(width: int, height: int) -> bytes:
    """The start of a PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb
    is refused from its header, before any pixel is decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))


def jpeg_with_exif(size: tuple[int, int] = (3000, 2000)) -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh của cán bộ"  # Make
    Image.new("RGB", size, (10, 120, 60)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("ảnh lớn.jpg", out.getvalue(), "image/jpeg")


def draft(users: People, world: World, **extra: object) -> NewsItem:
    fields: dict[str, object] = {
        "title": "Ngày hội Đại đoàn kết ở thôn Na Hối",
        "summary": "Bà con thôn Na Hối dự Ngày hội.",
        "body": "Đoạn một.\n\nĐoạn hai <script>alert(1)</script>",
    }
    fields.update(extra)
    return services.write(users.commune_officer, world.bac_ha, **fields)  # type: ignore[arg-type]


def test_an_officer_writes_a_draft_publishes_and_withdraws_it_each_step_audited(world: World, users: People) -> None:
    item = draft(users, world)
    assert item.state == State.DRAFT and item.published_at is None
    assert item.created_by == users.commune_officer
    services.publish(users.commune_officer, item)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and item.published_at is not None
    first = item.published_at
    services.withdraw(users.commune_officer, item)
    services.publish(users.commune_officer, item)
    item.refresh_from_db()
    assert item.published_at == first  # republished, it keeps its date
    entries = AuditEntry.objects.filter(model="news.newsitem", object_id=str(item.pk)).order_by("pk")
    assert [e.action for e in entries] == ["create", "update", "update", "update"]
    assert entries[1].changes["state"] == ["draft", "published"]
    assert entries[2].changes["state"] == ["published", "withdrawn"]
    assert entries[1].actor == users.commune_officer


def test_an_illegal_move_is_refused_with_a_message(world: World, users: People) -> None:
    item = draft(users, world)
    with translation.override("vi"), pytest.raises(NewsError, match="Bản nháp"):
        services.withdraw(users.commune_officer, item)


def test_only_officers_of_the_unit_or_above_write_and_publish(world: World, users: People) -> None:
    with pytest.raises(PermissionDenied):
        services.write(users.other_commune_officer, world.bac_ha, title="T", summary="S", body="B")
    item = draft(users, world)
    for outsider in (users.other_commune_officer, users.viewer, users.leader):
        with pytest.raises(PermissionDenied):
            services.publish(outsider, item)
    services.publish(users.province_officer, item)  # the province works on its communes' items


def test_text_is_stored_nfc_and_an_empty_item_is_refused(world: World, users: People) -> None:
    item = draft(users, world, title="Ngày ho\u0300i")  # decomposed
    assert item.title == "Ngày hòi"
    with pytest.raises(NewsError):
        draft(users, world, body="   ")


def test_a_photo_is_kept_scaled_down_and_without_its_camera_metadata(world: World, users: People) -> None:
    item = draft(users, world, photo=jpeg_with_exif())
    assert item.photo_type == "image/jpeg"
    assert (item.photo.name or "").endswith(".jpg")
    with Image.open(item.photo.path) as kept:
        assert max(kept.size) == services.MAX_PHOTO_SIDE
        assert not kept.getexif()
    assert item.photo_size == item.photo.size


def test_a_file_that_is_not_a_photo_is_refused_in_vietnamese(world: World, users: People) -> None:
    with translation.override("vi"):
        with pytest.raises(uploads.Refused, match="không phải là ảnh"):
            draft(users, world, photo=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 ...", "image/png"))
        with pytest.raises(uploads.Refused, match="không phải"):
            draft(users, world, photo=SimpleUploadedFile("anh.png", b"<html>not a png</html>", "image/png"))
        with pytest.raises(uploads.Refused, match="không đọc được"):
            draft(users, world, photo=SimpleUploadedFile("hong.jpg", b"\xff\xd8\xff" + b"\x00" * 64, "image/jpeg"))
        big = SimpleUploadedFile("lon.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 2**20 + 1), "image/png")
        with pytest.raises(uploads.Refused, match="5 MB"):
            draft(users, world, photo=big)
        with pytest.raises(uploads.Refused, match="quá lớn"):
            draft(users, world, photo=SimpleUploadedFile("bom.png", png_claiming(8_000, 8_000), "image/png"))
    assert not NewsItem.objects.exists()  # refused in the transaction: no item without its photo


def test_the_officer_pages_write_publish_and_show_drafts_only_in_scope(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    response = client.post(
        reverse("news:new"),
        {
            "unit": world.bac_ha.pk,
            "kind": Kind.NOTICE,
            "title": "Thông báo tiếp xúc cử tri",
            "summary": "Mời cử tri dự hội nghị.",
            "body": "Thời gian: 8 giờ.",
            "photo": png(),
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("news:item", args=[item.pk])
    assert item.photo and item.state == State.DRAFT
    photo = client.get(reverse("news:photo", args=[item.pk]))
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    client.post(reverse("news:publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == State.PUBLISHED

    login(client, users.other_commune_officer)
    assert client.get(reverse("news:item", args=[item.pk])).status_code == 404
    assert "Thông báo tiếp xúc cử tri" not in client.get(reverse("news:list")).content.decode()
    login(client, users.province_officer)
    assert "Thông báo tiếp xúc cử tri" in client.get(reverse("news:list")).content.decode()


def test_a_non_image_upload_in_the_form_is_told_in_vietnamese(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.post(
        reverse("news:new"),
        {
            "unit": world.bac_ha.pk,
            "kind": Kind.NEWS,
            "title": "Tin",
            "summary": "Tóm tắt",
            "body": "Nội dung",
            "photo": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "Tệp virus.exe không phải ảnh (JPEG, PNG) hay tài liệu PDF." in response.content.decode()
    assert not NewsItem.objects.exists()


def test_editing_replaces_the_photo_and_a_reader_cannot_edit(client: Client, world: World, users: People) -> None:
    item = draft(users, world, photo=png())
    old = item.photo_size
    login(client, users.commune_officer)
    fields = {"kind": Kind.NEWS, "title": "Tiêu đề mới", "summary": "Tóm tắt", "body": "Nội dung"}
    client.post(reverse("news:item", args=[item.pk]), {**fields, "photo": png("moi.png", (20, 20))})
    item.refresh_from_db()
    assert item.title == "Tiêu đề mới" and item.photo_size != old
    with Image.open(item.photo.path) as kept:
        assert kept.size == (20, 20)
    login(client, users.viewer)
    assert client.get(reverse("news:item", args=[item.pk])).status_code == 200
    assert client.post(reverse("news:item", args=[item.pk]), fields).status_code == 403


def test_activities_are_read_by_the_units_above_and_become_a_draft_in_one_click(
    client: Client, world: World, users: People
) -> None:
    activity = services.record_activity(
        users.commune_officer, world.bac_ha, held_on=timezone.localdate() - dt.timedelta(days=3),
        kind=ActivityKind.FRIENDSHIP, partner="Trấn Hà Khẩu, Vân Nam, Trung Quốc", place="Cửa khẩu Lào Cai",
        participants=40, summary="Giao lưu văn nghệ hữu nghị.",
    )  # fmt: skip
    assert AuditEntry.objects.filter(model="news.activity", object_id=str(activity.pk), action="create").exists()
    login(client, users.province_officer)
    assert "Trấn Hà Khẩu" in client.get(reverse("news:activities")).content.decode()
    login(client, users.other_commune_officer)
    assert "Trấn Hà Khẩu" not in client.get(reverse("news:activities")).content.decode()
    assert client.post(reverse("news:activity_draft", args=[activity.pk])).status_code == 404

    login(client, users.commune_officer)
    response = client.post(reverse("news:activity_draft", args=[activity.pk]))
    item = NewsItem.objects.get(activity=activity)
    assert response["Location"] == reverse("news:item", args=[item.pk])
    assert item.state == State.DRAFT and item.unit == world.bac_ha
    assert "Trấn Hà Khẩu" in item.title and item.body == "Giao lưu văn nghệ hữu nghị."
    client.post(reverse("news:activity_draft", args=[activity.pk]))
    assert NewsItem.objects.filter(activity=activity).count() == 1  # a second click opens the same draft


def test_an_activity_is_recorded_from_the_form(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    client.post(
        reverse("news:activity_new"),
        {
            "unit": world.bac_ha.pk,
            "held_on": "2026-05-19",
            "kind": ActivityKind.BORDER_GUARD,
            "partner": "Đồn Biên phòng Bản Lầu",
            "place": "Thôn Na Hối",
            "participants": 12,
            "summary": "Tuần tra song phương",
        },
    )
    assert Activity.objects.get().partner == "Đồn Biên phòng Bản Lầu"


def test_a_refused_edit_keeps_the_photo_and_a_replaced_photo_is_deleted_only_once_saved(
    client: Client, world: World, users: People, django_capture_on_commit_callbacks: Any
) -> None:
    def public_status() -> int:
        response = Client().get(public_photo)
        # Close the file it streams — not the response, which would end the request and close the
        # test's database connection.
        for close in getattr(response, "_resource_closers", []):
            close()
        return int(response.status_code)

    item = services.move(users.commune_officer, draft(users, world, photo=png()), State.PUBLISHED)
    first = str(item.photo.name)
    public_photo = reverse("portal:news_photo", args=[item.pk])
    login(client, users.commune_officer)
    fields = {"kind": Kind.NEWS, "title": "Tiêu đề", "summary": "Tóm tắt", "body": "Nội dung"}
    # "Remove the photo" ticked and a file that is no photo: refused; the photo stays, on disk too.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        not_photo = SimpleUploadedFile("anh.png", b"<html>no</html>", content_type="image/png")
        refused = client.post(
            reverse("news:item", args=[item.pk]), {**fields, "remove_photo": "on", "photo": not_photo}
        )
    assert refused.status_code == 400 and callbacks == []
    item.refresh_from_db()
    assert item.photo.name == first and item.photo.storage.exists(first)
    assert public_status() == 200
    # A real replacement: the old file goes once the new one is saved.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:item", args=[item.pk]), {**fields, "photo": png("moi.png", (20, 20))})
    item.refresh_from_db()
    assert item.photo.name != first and item.photo.storage.exists(str(item.photo.name))
    assert not item.photo.storage.exists(first)
    assert public_status() == 200
    # A file lost outside the platform: the public address says not found, not a server error.
    item.photo.storage.delete(str(item.photo.name))
    assert public_status() == 404
