"""Pages of allocations, disbursements and their evidence, and of the households and houses
registry. Thin: the scope comes from ``authz``, the work from ``spending`` and ``houses``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.forms import Form, ModelChoiceField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold
from doanket.core.widgets import options_response
from doanket.funds import houses, spending
from doanket.funds.forms import (
    AdvanceForm,
    AllocationForm,
    DisbursementForm,
    EvidenceForm,
    HouseForm,
    HouseholdForm,
    recipients,
)
from doanket.funds.models import Allocation, Disbursement, Evidence, House, Household
from doanket.funds.services import FundError
from doanket.funds.views import PAGE, _campaign, _handles

RELATED = ("campaign__unit", "household__unit", "house__unit", "to_campaign__unit")


def _allocation(request: HttpRequest, pk: int) -> Allocation:
    return authz.get_for_user(
        Allocation.objects.select_related(*RELATED), request.user, Perm.VIEW_FUND, "campaign__unit__path", pk=pk
    )


def _household(request: HttpRequest, pk: int) -> Household:
    return authz.get_for_user(
        Household.objects.select_related("unit"), request.user, Perm.VIEW_PERSONAL_DATA, "unit__path", pk=pk
    )


def _house(request: HttpRequest, pk: int) -> House:
    return authz.get_for_user(
        House.objects.select_related("household__unit", "unit", "campaign"),
        request.user,
        Perm.VIEW_PERSONAL_DATA,
        "unit__path",
        pk=pk,
    )


def _act(request: HttpRequest, form: Form, do: Callable[[], object], done: str, invalid: str) -> None:
    """A posted action: run ``do`` when the form is valid, and say how it went (the service's own
    refusal, or what the form lacks)."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        do()
    except FundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


def _sees_personal_data(request: HttpRequest, unit: Any) -> bool:
    return authz.can(request.user, Perm.VIEW_PERSONAL_DATA, unit)


@login_required
def allocations(request: HttpRequest, pk: int) -> HttpResponse:
    """What the campaign holds, has allocated and paid; its allocations; what is left to match;
    and, for those who handle the fund, the form that allocates by decision."""
    campaign = _campaign(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, campaign.unit)
    initial = {"household": request.GET.get("household"), "house": request.GET.get("house")}
    form = AllocationForm(campaign, request.POST or None, initial=initial) if handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = spending.allocate(request.user, campaign, **form.cleaned_data)
            except FundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The allocation is recorded. Pay it, then publish it."))
                return redirect("funds:allocation", made.pk)
    rows = campaign.allocations.select_related(*RELATED).annotate(paid=Coalesce(Sum("disbursements__amount"), 0))
    page = Paginator(rows.order_by("decision_date", "pk"), PAGE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "balance": spending.balance(campaign),
        "match": spending.spending_match(campaign),
        "page": page,
        "form": form,
        "handle": handle,
        "personal": _sees_personal_data(request, campaign.unit),
        "unpublished": campaign.allocations.filter(entries__isnull=True).count()
        + Disbursement.objects.filter(allocation__campaign=campaign, entries__isnull=True).count(),
    }
    return render(request, "funds/allocations.html", context, status=400 if request.method == "POST" else 200)


@login_required
def recipient_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation form's households or houses matching what the officer types (HTMX): the
    first ones, as ``<option>`` elements for its list."""
    campaign = _campaign(request, pk)
    _handles(request, campaign.unit)
    if not _sees_personal_data(request, campaign.unit):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in ("household", "house"):
        raise Http404
    field = AllocationForm(campaign).fields[kind]
    assert isinstance(field, ModelChoiceField)
    return options_response(
        request, recipients(campaign, kind, request.GET.get(f"{kind}_q", "")), field.label_from_instance
    )


@login_required
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _allocation(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, chosen.campaign.unit)
    context = {
        "allocation": chosen,
        "campaign": chosen.campaign,
        "payments": chosen.disbursements.select_related("line").prefetch_related("evidence").order_by("paid_on", "pk"),
        "evidence": chosen.evidence.all(),
        "left": spending.remaining(chosen),
        "handle": handle,
        "personal": _sees_personal_data(request, chosen.campaign.unit),
        "pay_form": DisbursementForm(chosen.campaign) if handle else None,
        "evidence_form": EvidenceForm(chosen) if handle else None,
    }
    return render(request, "funds/allocation.html", context)


@login_required
@require_POST
def disburse(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _allocation(request, pk)
    _handles(request, chosen.campaign.unit)
    form = DisbursementForm(chosen.campaign, request.POST)
    _act(
        request,
        form,
        lambda: spending.disburse(request.user, chosen, **form.cleaned_data),
        _("The payment is recorded."),
        _("Give the date, the amount, how it was paid and the voucher number."),
    )
    return redirect("funds:allocation", chosen.pk)


@login_required
@require_POST
def allocation_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _allocation(request, pk)
    _handles(request, chosen.campaign.unit)
    form = EvidenceForm(chosen, request.POST, request.FILES)
    _act(
        request,
        form,
        lambda: spending.add_evidence(request.user, form.cleaned_data["payment"] or chosen, form.cleaned_data["file"]),
        _("The evidence is kept."),
        _("Choose a PDF document or a photo."),
    )
    return redirect("funds:allocation", chosen.pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A piece of evidence, to those who see the fund (a house's, to those who see personal data)."""
    found = authz.get_for_user(Evidence.objects.all(), request.user, Perm.VIEW_FUND, "unit__path", pk=pk)
    if found.house_id is not None and not _sees_personal_data(request, found.unit):
        raise PermissionDenied
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type)


# --- Households and houses ---------------------------------------------------------------------


@login_required
def households(request: HttpRequest) -> HttpResponse:
    """The poor and near-poor households of the user's units (personal data: staff only)."""
    if not authz.can(request.user, Perm.VIEW_PERSONAL_DATA):
        raise PermissionDenied
    rows = authz.scoped(Household.objects.select_related("unit"), request.user, Perm.VIEW_PERSONAL_DATA, "unit__path")
    q = fold(request.GET.get("q", ""))
    if q:
        rows = rows.filter(search_key__contains=q)
    handle = authz.can(request.user, Perm.HANDLE_FUND)
    form = HouseholdForm(request.user, request.POST or None) if handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = houses.register_household(request.user, **form.cleaned_data)
            except FundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The household is registered."))
                return redirect("funds:household", made.pk)
    page = Paginator(rows.order_by("head_name", "pk"), PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "q": request.GET.get("q", "")}
    return render(request, "funds/households.html", context, status=400 if request.method == "POST" else 200)


@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _household(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, chosen.unit)
    form = HouseForm(chosen, request.POST or None) if handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = houses.approve_house(request.user, chosen, **form.cleaned_data)
            except FundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The house is approved."))
                return redirect("funds:house", made.pk)
    context = {
        "household": chosen,
        "houses": chosen.houses.select_related("campaign").order_by("-approved_on"),
        "allocations": chosen.allocations.select_related("campaign").order_by("decision_date"),
        "form": form,
    }
    return render(request, "funds/household.html", context, status=400 if request.method == "POST" else 200)


@login_required
def house(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _house(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, chosen.unit)
    context = {
        "house": chosen,
        "evidence": chosen.evidence.all(),
        "allocations": chosen.allocations.select_related("campaign"),
        "advance_form": AdvanceForm() if handle and chosen.stage in houses.NEXT_STAGE else None,
        "evidence_form": EvidenceForm(None) if handle else None,
    }
    return render(request, "funds/house.html", context)


@login_required
@require_POST
def house_advance(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _house(request, pk)
    _handles(request, chosen.unit)
    form = AdvanceForm(request.POST)
    _act(
        request,
        form,
        lambda: houses.advance_house(request.user, chosen, form.cleaned_data["on"]),
        _("The house's stage is updated."),
        _("Give the date, as dd/mm/yyyy."),
    )
    return redirect("funds:house", chosen.pk)


@login_required
@require_POST
def house_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _house(request, pk)
    _handles(request, chosen.unit)
    form = EvidenceForm(None, request.POST, request.FILES)
    _act(
        request,
        form,
        lambda: spending.add_evidence(request.user, chosen, form.cleaned_data["file"]),
        _("The evidence is kept."),
        _("Choose a PDF document or a photo."),
    )
    return redirect("funds:house", chosen.pk)


@login_required
def houses_by_commune(request: HttpRequest) -> HttpResponse:
    """How many houses each commune has approved, is building and has handed over: counts only,
    no household, for everyone who sees the funds of the units above."""
    if not authz.can(request.user, Perm.VIEW_FUND):
        raise PermissionDenied
    tops = authz.units(request.user, Perm.VIEW_FUND).order_by("path")
    chosen = tops.filter(pk=request.GET.get("unit") or 0).first() if request.GET.get("unit", "").isdigit() else None
    chosen = chosen or tops.first()
    rows = houses.houses_by_commune(chosen) if chosen is not None else []
    totals = {name: sum(getattr(row, name) for row in rows) for name in ("approved", "building", "handed_over", "cost")}
    context = {"unit": chosen, "rows": rows, "totals": totals}
    return render(request, "funds/houses.html", context)
