"""The officers' pages of news: the items of their units (drafts too), writing and editing one,
publishing and withdrawing it; the people's diplomacy activities, and a draft item from one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import uploads
from doanket.core.views import submit
from doanket.news import services
from doanket.news.forms import ActivityForm, EditItemForm, NewItemForm
from doanket.news.models import Activity, NewsItem, State
from doanket.news.services import NewsError

PAGE = 50


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    rows = services.items_for(request.user).order_by("state", "-published_at", "-created_at", "-pk")
    state = request.GET.get("state", "")
    if state in State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    writes = authz.can(request.user, Perm.EDIT_PROGRAM)
    return render(request, "news/items.html", {"page": page, "states": State.choices, "state": state, "writes": writes})


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = NewItemForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.write(request.user, data.pop("unit"), **data)
        except (NewsError, uploads.Refused) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The draft is saved. Read it through, then publish it."))
            return redirect("news:item", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "news/item_new.html", {"form": form}, status=status)


def _item(request: HttpRequest, pk: int) -> NewsItem:
    return authz.get_for_user(
        NewsItem.objects.select_related("unit", "activity"), request.user, Perm.VIEW_PROGRAM, "unit__path", pk=pk
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item as it reads, with its edit form for the unit's officers."""
    item = _item(request, pk)
    writes = authz.can(request.user, Perm.EDIT_PROGRAM, item.unit)
    form = None
    if writes:
        initial = {f: getattr(item, f) for f in ("kind", "title", "summary", "body", "photo_caption")}
        form = EditItemForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.edit(request.user, item, **form.cleaned_data)
                except (NewsError, uploads.Refused) as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("The item is saved."))
                    return redirect("news:item", item.pk)
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if request.method == "POST" else 200
    context = {"item": item, "form": form, "writes": writes, "moves": services.TRANSITIONS[item.state]}
    return render(request, "news/item.html", context, status=status)


@login_required
def item_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo of an item the user reads (a draft's photo is not public yet)."""
    item = _item(request, pk)
    if not item.photo:
        raise Http404
    return FileResponse(item.photo.open("rb"), content_type=item.photo_type)


def _move(request: HttpRequest, pk: int, to: str, done: str) -> HttpResponse:
    item = _item(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, item.unit):
        raise PermissionDenied
    try:
        services.move(request.user, item, to)
    except NewsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("news:item", item.pk)


@login_required
@require_POST
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, State.PUBLISHED, _("The item is published on the portal."))


@login_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, State.WITHDRAWN, _("The item is withdrawn from the portal."))


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    rows = services.activities_for(request.user).prefetch_related("news")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    writable = {a.pk for a in page if authz.can(request.user, Perm.EDIT_PROGRAM, a.unit)}
    form = ActivityForm(request.user) if authz.can(request.user, Perm.EDIT_PROGRAM) else None
    return render(request, "news/activities.html", {"page": page, "form": form, "writable": writable})


@login_required
@require_POST
def activity_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    submit(
        request,
        ActivityForm(request.user, request.POST),
        _("The activity is not recorded: %(errors)s"),
        lambda data: services.record_activity(request.user, **data),
        errors=(NewsError,),
        done=_("The activity is recorded."),
    )
    return redirect("news:activities")


@login_required
@require_POST
def activity_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: a draft news item telling of the activity, opened for editing."""
    activity = authz.get_for_user(
        Activity.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", pk=pk
    )
    if not authz.can(request.user, Perm.EDIT_PROGRAM, activity.unit):
        raise PermissionDenied
    item = services.draft_from(request.user, activity)
    return redirect("news:item", item.pk)
