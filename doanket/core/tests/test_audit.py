import pytest
from django.test import Client

from conftest import People, World, login
from doanket.core.models import AuditEntry


def test_the_audit_log_cannot_be_changed_or_deleted(world: World) -> None:
    entry = AuditEntry.objects.filter(model="organizations.unit").first()
    assert entry is not None
    entry.object_repr = "giả mạo"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(actor_name="x")


def test_unit_administrators_browse_the_log_of_their_subtree_only(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    body = client.get("/accounts/audit/").content.decode()
    assert world.bac_ha.name in body
    assert world.lang_son.name not in body
    filtered = client.get("/accounts/audit/", {"q": "Sa Pa"}).content.decode()
    assert world.sa_pa.name in filtered
    assert world.bac_ha.name not in filtered


def test_changes_through_the_django_admin_are_audited(client: Client, world: World, users: People) -> None:
    login(client, users.system_admin)
    url = f"/admin/organizations/person/{world.person_sa_pa.pk}/change/"
    response = client.post(url, {"full_name": "Giàng Seo Phử", "unit": world.sa_pa.pk, "ethnicity": "Dao"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="organizations.person", object_id=str(world.person_sa_pa.pk), action="update")
    assert entry.actor == users.system_admin
    assert entry.changes["ethnicity"] == ["Mông", "Dao"]


def test_the_admin_offers_no_way_to_edit_the_log(client: Client, world: World, users: People) -> None:
    login(client, users.system_admin)
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
