"""``{% load authz_tags %}`` then ``{% if request.user|may:"view_personal_data" %}``: whether the
user holds a permission on some unit, to show only the links that will open for them."""

from __future__ import annotations

from typing import Any

from django import template

from doanket.accounts import authz

register = template.Library()


@register.filter
def may(user: Any, perm: str) -> bool:
    return authz.can(user, authz.Perm(perm))
