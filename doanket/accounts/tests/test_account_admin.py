"""Unit administrators manage the accounts of their subtree: list, create, grant and revoke roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World, login, make_user
from doanket.accounts.models import Role, RoleGrant, User
from doanket.core.models import AuditEntry

PASSWORD = "Suoi-chay-qua-ban-2025"


def _new_account(unit_pk: int, **extra: Any) -> dict[str, Any]:
    return {
        "username": "canbo.moi",
        "full_name": "Lò Văn Mới",
        "email": "moi@example.vn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.OFFICER,
        "unit": unit_pk,
        **extra,
    }


def _message_levels(response: Any) -> list[int]:
    return [m.level for m in get_messages(response.wsgi_request)]


def test_the_unit_administrator_of_lao_cai_creates_an_officer_on_bac_ha(
    client: Client, world: World, users: People
) -> None:
    login(client, users.unit_admin)
    page = client.get(reverse("accounts:user_create"))
    assert page.status_code == 200
    assert world.bac_ha.name in page.content.decode()

    response = client.post(reverse("accounts:user_create"), _new_account(world.bac_ha.pk))

    user = User.objects.get(username="canbo.moi")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.full_name == "Lò Văn Mới"
    assert user.check_password(PASSWORD)
    assert not user.is_superuser and not user.is_staff
    assert list(user.grants.values_list("unit", "role")) == [(world.bac_ha.pk, Role.OFFICER)]
    created = AuditEntry.objects.get(model="accounts.user", object_id=str(user.pk), action="create")
    assert created.actor == users.unit_admin
    assert created.unit_path == world.bac_ha.path
    assert "password" not in created.changes
    assert PASSWORD not in str(created.changes)
    assert AuditEntry.objects.filter(model="accounts.rolegrant", action="create", actor=users.unit_admin).exists()


def test_lang_son_cannot_be_chosen_and_nothing_is_created(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    assert world.lang_son.name not in client.get(reverse("accounts:user_create")).content.decode()
    before = (User.objects.count(), RoleGrant.objects.count(), AuditEntry.objects.count())

    response = client.post(reverse("accounts:user_create"), _new_account(world.lang_son.pk))

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert world.lang_son.name not in response.content.decode()
    assert (User.objects.count(), RoleGrant.objects.count(), AuditEntry.objects.count()) == before


def test_a_mistyped_or_weak_password_is_refused(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    mistyped = client.post(reverse("accounts:user_create"), _new_account(world.bac_ha.pk, password2="khac-han-2025!"))
    assert "password2" in mistyped.context["form"].errors
    weak = client.post(
        reverse("accounts:user_create"), _new_account(world.bac_ha.pk, password1="12345", password2="12345")
    )
    assert "password2" in weak.context["form"].errors
    assert not User.objects.filter(username="canbo.moi").exists()


def test_a_username_cannot_be_taken_twice_even_in_another_case(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    response = client.post(reverse("accounts:user_create"), _new_account(world.bac_ha.pk, username="BACHA"))
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="bacha").count() == 1


def test_the_list_shows_only_grants_inside_the_scope(client: Client, world: World, users: People) -> None:
    both = make_user("hai_noi", world.bac_ha, full_name="Người Hai Nơi")
    RoleGrant.objects.create(user=both, unit=world.lang_son, role=Role.VIEWER)
    make_user("chi_lang_son", world.lang_son, full_name="Chỉ Ở Lạng Sơn")

    login(client, users.unit_admin)
    response = client.get(reverse("accounts:user_list"))
    body = response.content.decode()

    assert response.status_code == 200
    assert "hai_noi" in body
    assert world.bac_ha.name in body
    assert world.lang_son.name not in body
    assert "chi_lang_son" not in body
    assert "quantri" not in {u.username for u in response.context["page"]}  # the system administrator
    shown = next(u for u in response.context["page"] if u.username == "hai_noi")
    assert [g.unit_id for g in shown.shown_grants] == [world.bac_ha.pk]


def test_a_system_administrator_sees_every_account_and_every_grant(client: Client, world: World, users: People) -> None:
    make_user("chi_lang_son", world.lang_son)
    login(client, users.system_admin)
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "chi_lang_son" in body
    assert world.lang_son.name in body
    assert "quantri" in body


def test_the_list_is_searched_by_username_and_full_name(client: Client, world: World, users: People) -> None:
    make_user("hoa.vt", world.bac_ha, full_name="Vàng Thị Hoà")
    login(client, users.unit_admin)

    def found(q: str) -> set[str]:
        return {u.username for u in client.get(reverse("accounts:user_list"), {"q": q}).context["page"]}

    assert found("Vàng Thị") == {"hoa.vt"}
    assert found("HOA.VT") == {"hoa.vt"}
    assert found("hoà") == {"hoa.vt"}
    assert found("vang thi hòa") == {"hoa.vt"}  # accents and tone placement ignored
    assert found("không ai") == set()
    live = client.get(reverse("accounts:user_list"), {"q": "hoa"}, headers={"HX-Request": "true"})
    assert "<html" not in live.content.decode()
    assert "hoa.vt" in live.content.decode()


def test_the_list_is_paginated_by_fifty(client: Client, world: World, users: People) -> None:
    User.objects.bulk_create([User(username=f"tk{i:03d}") for i in range(60)])
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, unit=world.sa_pa, role=Role.VIEWER) for u in User.objects.filter(username__startswith="tk")]
    )
    login(client, users.unit_admin)
    response = client.get(reverse("accounts:user_list"))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2


def test_the_detail_page_shows_only_grants_inside_the_scope(client: Client, world: World, users: People) -> None:
    both = make_user("hai_noi", world.bac_ha)
    RoleGrant.objects.create(user=both, unit=world.lang_son, role=Role.VIEWER)
    login(client, users.unit_admin)
    response = client.get(reverse("accounts:user_detail", args=[both.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.bac_ha.name in body
    assert world.lang_son.name not in body


def test_an_account_without_a_role_in_the_scope_is_not_found(client: Client, world: World, users: People) -> None:
    elsewhere = make_user("chi_lang_son", world.lang_son)
    nowhere = make_user("khong_vai_tro")
    login(client, users.unit_admin)
    assert client.get(reverse("accounts:user_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[nowhere.pk])).status_code == 404
    assert (
        client.post(
            reverse("accounts:user_detail", args=[elsewhere.pk]), {"role": "viewer", "unit": world.bac_ha.pk}
        ).status_code
        == 404
    )
    assert not RoleGrant.objects.filter(user=elsewhere, unit=world.bac_ha).exists()


def test_a_superuser_cannot_be_edited_by_a_unit_administrator(client: Client, world: World, users: People) -> None:
    grant = RoleGrant.objects.create(user=users.system_admin, unit=world.bac_ha, role=Role.VIEWER)
    login(client, users.unit_admin)
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"]}
    assert "quantri" not in listed
    assert client.get(reverse("accounts:user_detail", args=[users.system_admin.pk])).status_code == 404
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()

    login(client, users.system_admin)
    assert client.get(reverse("accounts:user_detail", args=[users.system_admin.pk])).status_code == 200


def test_a_role_is_granted_on_a_unit_inside_the_scope(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    target = users.commune_officer
    url = reverse("accounts:user_detail", args=[target.pk])

    response = client.post(url, {"role": Role.LEADER, "unit": world.sa_pa.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=target, unit=world.sa_pa, role=Role.LEADER)
    assert AuditEntry.objects.filter(model="accounts.rolegrant", object_id=str(grant.pk), action="create").exists()
    assert _message_levels(response) == [constants.SUCCESS]

    again = client.post(url, {"role": Role.LEADER, "unit": world.sa_pa.pk})
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()

    outside = client.post(url, {"role": Role.UNIT_ADMIN, "unit": world.lang_son.pk})
    assert outside.status_code == 200
    assert "unit" in outside.context["form"].errors
    assert world.lang_son.name not in outside.content.decode()
    assert not RoleGrant.objects.filter(user=target, unit=world.lang_son).exists()


def test_revoking_a_grant_removes_it_and_is_audited(client: Client, world: World, users: People) -> None:
    grant = RoleGrant.objects.get(user=users.commune_officer)
    login(client, users.unit_admin)
    response = client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    entry = AuditEntry.objects.get(model="accounts.rolegrant", object_id=str(grant.pk), action="delete")
    assert entry.actor == users.unit_admin
    assert entry.unit_path == world.bac_ha.path
    # The account has no role left in the scope, so its page is gone: back to the list.
    assert response["Location"] == reverse("accounts:user_list")


def test_revoking_a_grant_outside_the_scope_is_a_404(client: Client, world: World, users: People) -> None:
    grant = RoleGrant.objects.create(user=users.commune_officer, unit=world.lang_son, role=Role.VIEWER)
    login(client, users.unit_admin)
    response = client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 404
    assert world.lang_son.name not in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditEntry.objects.filter(model="accounts.rolegrant", action="delete").exists()


def test_revoke_answers_only_post(client: Client, world: World, users: People) -> None:
    grant = RoleGrant.objects.get(user=users.commune_officer)
    login(client, users.unit_admin)
    assert client.get(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 405
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_an_administrator_cannot_revoke_their_own_last_unit_administrator_role(
    client: Client, world: World, users: People
) -> None:
    own = RoleGrant.objects.get(user=users.unit_admin, role=Role.UNIT_ADMIN)
    login(client, users.unit_admin)
    response = client.post(reverse("accounts:grant_revoke", args=[own.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[users.unit_admin.pk])
    assert _message_levels(response) == [constants.ERROR]
    assert RoleGrant.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(model="accounts.rolegrant", action="delete").exists()


def test_an_administrator_may_revoke_one_of_two_own_unit_administrator_roles(
    client: Client, world: World, users: People
) -> None:
    own = RoleGrant.objects.get(user=users.unit_admin, role=Role.UNIT_ADMIN)
    RoleGrant.objects.create(user=users.unit_admin, unit=world.bac_ha, role=Role.UNIT_ADMIN)
    login(client, users.unit_admin)
    # The Bắc Hà role lies inside Lào Cai: revoking Lào Cai leaves an administrator of Bắc Hà.
    response = client.post(reverse("accounts:grant_revoke", args=[own.pk]))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=own.pk).exists()
    assert client.get(reverse("accounts:user_list")).status_code == 200


@pytest.mark.parametrize("role_name", ["province_officer", "commune_officer", "viewer", "leader"])
def test_officers_viewers_and_leaders_are_refused_the_account_pages(
    client: Client, users: People, role_name: str
) -> None:
    login(client, getattr(users, role_name))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[users.commune_officer.pk])).status_code == 403
    grant = RoleGrant.objects.get(user=users.commune_officer)
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_anonymous_visitors_are_sent_to_login(client: Client, users: People) -> None:
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_links_to_the_accounts_only_for_administrators(client: Client, users: People) -> None:
    link = f'href="{reverse("accounts:user_list")}"'
    login(client, users.unit_admin)
    assert link in client.get(reverse("home")).content.decode()
    login(client, users.commune_officer)
    assert link not in client.get(reverse("home")).content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _accounts(world: World, start: int, count: int) -> None:
    for i in range(start, start + count):
        user = make_user(f"tk{i:03d}", world.bac_ha if i % 2 else world.sa_pa_village, full_name=f"Cán bộ {i}")
        RoleGrant.objects.create(user=user, unit=world.lang_son, role=Role.VIEWER)
        RoleGrant.objects.create(user=user, unit=world.farmers_union, role=Role.LEADER)


def test_the_list_keeps_the_same_number_of_queries_with_3_or_30_accounts(
    client: Client, world: World, users: People
) -> None:
    login(client, users.unit_admin)
    urls = [reverse("accounts:user_list"), reverse("accounts:user_list") + "?q=tk"]
    _accounts(world, 0, 3)
    small = [_queries(client, u) for u in urls]
    _accounts(world, 3, 27)
    large = [_queries(client, u) for u in urls]
    assert small == large
    assert max(large) <= 12
