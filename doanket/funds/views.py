"""Pages of the funds module. Thin: the scope comes from ``authz``, the work from ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.paging import paged_ids
from doanket.core.text import fold
from doanket.funds import keys, ledger, services
from doanket.funds.forms import AccountForm, CampaignForm, CorrectionForm, ReceiptForm, StatementForm
from doanket.funds.models import Campaign, Receipt, Statement, StatementImport, StatementLine
from doanket.funds.services import FundError
from doanket.organizations.models import Unit

PAGE = 50


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return authz.get_for_user(
        Campaign.objects.select_related("unit"), request.user, Perm.VIEW_FUND, "unit__path", pk=pk
    )


def _statement(request: HttpRequest, pk: int) -> Statement:
    return authz.get_for_user(
        Statement.objects.select_related("account__campaign__unit"),
        request.user,
        Perm.VIEW_FUND,
        "account__campaign__unit__path",
        pk=pk,
    )


def _handles(request: HttpRequest, unit: Unit) -> None:
    """Refuse (403) a user who may see the fund but not handle it in ``unit``."""
    if not authz.can(request.user, Perm.HANDLE_FUND, unit):
        raise PermissionDenied


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_FUND):
        raise PermissionDenied
    rows = authz.scoped(Campaign.objects.select_related("unit"), request.user, Perm.VIEW_FUND, "unit__path")
    page = Paginator(rows.order_by("-starts_on", "pk"), PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_add": authz.can(request.user, Perm.HANDLE_FUND)}
    return render(request, "funds/campaigns.html", context)


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.HANDLE_FUND):
        raise PermissionDenied
    form = CampaignForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(request.user, **form.cleaned_data)
        except FundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The campaign is created. Add its bank accounts, then import statements."))
            return redirect("funds:campaign", campaign.pk)
    return render(request, "funds/campaign_new.html", {"form": form})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, campaign.unit)
    statements = (
        Statement.objects.filter(account__campaign=campaign).select_related("account").order_by("-period_end", "-pk")
    )
    totals = statements.aggregate(credit=Sum("total_credit"), debit=Sum("total_debit"), lines=Sum("line_count"))
    context = {
        "campaign": campaign,
        "accounts": campaign.accounts.annotate(statement_count=Count("statements")),
        "statements": statements,
        "totals": totals,
        "account_form": AccountForm() if handle else None,
        "statement_form": StatementForm(campaign) if handle and campaign.accounts.exists() else None,
    }
    return render(request, "funds/campaign.html", context)


@login_required
@require_POST
def account_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _handles(request, campaign.unit)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.add_account(request.user, campaign, **form.cleaned_data)
        except FundError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The account is added."))
    else:
        messages.error(request, _("Give the bank, the account number and the account name."))
    return redirect("funds:campaign", campaign.pk)


@login_required
def statement_import(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _handles(request, campaign.unit)
    form = StatementForm(campaign, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        account, name, data = form.cleaned_data["account"], upload.name or "sao-ke", upload.read()
        before = services.imported_before(account, data)
        if before is not None:
            messages.info(request, _("This file was imported before: nothing was added."))
            return redirect("funds:statement", before.pk)
        if len(data) > services.BACKGROUND_BYTES and data.startswith(b"%PDF-"):
            job = services.queue_import(request.user, account, name, data)
            return redirect("funds:statement_import_job", job.pk)
        try:
            done = services.import_statement(request.user, account, name, data)
        except FundError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                _("%(n)s lines imported; they add up to the statement's own totals.")
                % {"n": done.statement.line_count},
            )
            return redirect("funds:statement", done.statement.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/statement_import.html", {"campaign": campaign, "form": form}, status=status)


@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    lines = StatementLine.objects.filter(statement=statement)
    q = fold(request.GET.get("q", ""))
    if q:
        lines = lines.filter(search_key__contains=q)
    page = paged_ids(lines.order_by("position"), StatementLine.objects.all(), PAGE, request.GET.get("page"))
    campaign = statement.account.campaign
    context = {
        "statement": statement,
        "campaign": campaign,
        "page": page,
        "q": request.GET.get("q", ""),
        "can_receive": authz.can(request.user, Perm.HANDLE_FUND, campaign.unit),
    }
    return render(request, "funds/statement.html", context)


@login_required
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's receipts, what is left to match against the statements, and (for those who
    handle the fund) the form to record a cash, transfer or in-kind donation."""
    campaign = _campaign(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_FUND, campaign.unit)
    form = ReceiptForm(request.POST or None) if handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_receipt(request.user, campaign, **form.cleaned_data)
            except FundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The donation is recorded."))
                return redirect("funds:receipts", campaign.pk)
    rows = Receipt.objects.filter(campaign=campaign)
    q = fold(request.GET.get("q", ""))
    if q:
        rows = rows.filter(search_key__contains=q)
    shown = Receipt.objects.annotate(published=Max("entries__index"))
    page = paged_ids(rows.order_by("-received_on", "-pk"), shown, PAGE, request.GET.get("page"))
    context = {
        "campaign": campaign,
        "page": page,
        "form": form,
        "handle": handle,
        "balance": services.reconciliation(campaign),
        "unpublished": campaign.receipts.filter(entries__isnull=True).count(),
        "q": request.GET.get("q", ""),
    }
    return render(request, "funds/receipts.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def receive_transfers(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    _handles(request, statement.account.campaign.unit)
    made = services.receive_transfers(request.user, statement)
    messages.success(request, _("%(n)s transfers recorded as donations.") % {"n": made})
    return redirect("funds:receipts", statement.account.campaign.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish what the campaign has not published yet — donations, allocations, payments — on its
    public page and in the ledger, all or nothing."""
    campaign = _campaign(request, pk)
    _handles(request, campaign.unit)
    try:
        with transaction.atomic():
            made = ledger.publish_receipts(request.user, campaign)
            spent = ledger.publish_spending(request.user, campaign)
    except keys.KeyMissing:
        messages.error(
            request, _("The ledger has no signing key yet: the administrator runs “doanket ledger_key --ensure”.")
        )
    except FundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)s donations and %(m)s allocations and payments published; the ledger's new checkpoint is signed.")
            % {"n": made, "m": spent},
        )
    return redirect("funds:allocations" if "spending" in request.POST else "funds:receipts", campaign.pk)


@login_required
def receipt_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a published donation: a correction entry is published, the old entry stays."""
    receipt = authz.get_for_user(
        Receipt.objects.select_related("campaign__unit"), request.user, Perm.VIEW_FUND, "campaign__unit__path", pk=pk
    )
    _handles(request, receipt.campaign.unit)
    initial = {
        "received_on": receipt.received_on,
        "amount": receipt.amount,
        "donor_kind": receipt.donor_kind,
        "donor_name": receipt.donor_name,
        "show_donor": receipt.show_donor,
        "description": receipt.goods or receipt.description,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = ledger.correct_receipt(request.user, receipt, **form.cleaned_data)
        except FundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The correction is published as entry #%(n)s.") % {"n": entry.index})
            return redirect("funds:receipts", receipt.campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/receipt_correct.html", {"receipt": receipt, "form": form}, status=status)


@login_required
def statement_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the worker has got with a long statement; the page asks again every two seconds
    (HTMX) until the statement is stored or refused."""
    job = authz.get_for_user(
        StatementImport.objects.select_related("account__campaign__unit", "statement"),
        request.user,
        Perm.VIEW_FUND,
        "account__campaign__unit__path",
        pk=pk,
    )
    template = "funds/_import_job.html" if request.headers.get("HX-Request") else "funds/import_job.html"
    return render(request, template, {"job": job, "campaign": job.account.campaign})


@login_required
@require_POST
def statement_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start again an import the worker did not finish (it stopped mid-way: ``core.lost``)."""
    job = authz.get_for_user(
        StatementImport.objects.select_related("account__campaign__unit"),
        request.user,
        Perm.VIEW_FUND,
        "account__campaign__unit__path",
        pk=pk,
    )
    _handles(request, job.account.campaign.unit)
    try:
        services.retry_import(request.user, job)
    except FundError as exc:
        messages.error(request, str(exc))
    return redirect("funds:statement_import_job", job.pk)
