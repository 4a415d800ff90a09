"""What integrations write through the API: a progress update on an assignment, a report's
figures (kept as a draft or submitted), a petition received by a committee, a donation into a
fund. Each goes where its page goes: the same lookup in the caller's scope (outside it: 404), the
same permission (without it: 403), the same form to read the input (its fields are the body's
names; a wrong one is a 400 naming it, in Vietnamese and English) and the same service, which
writes the audit entries. Each request is one transaction: on any refusal nothing is kept.

A token's writes need a write token (``api_view``: a read token is a 403 before anything is
read); a session's writes keep Django's CSRF check. ``Idempotency-Key``: a retry with the same key
and the same request gets the first answer again, nothing written twice (``api.models``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.accounts.models import User
from doanket.api import resources
from doanket.api.models import IdempotencyKey
from doanket.api.views import ApiError, api_view, listed, whole_number
from doanket.funds import services as funds
from doanket.funds.forms import ReceiptForm
from doanket.funds.models import Campaign
from doanket.organizations.models import Unit
from doanket.petitions import services as petitions
from doanket.petitions.forms import StaffEntryForm
from doanket.programs import services as programs
from doanket.programs.forms import UpdateForm
from doanket.programs.models import Assignment
from doanket.reporting import services as reporting
from doanket.reporting import views as report_pages
from doanket.reporting.values import as_raw

T = TypeVar("T")
_JSON = {"ensure_ascii": False}
KEY = re.compile(r"[!-~]{1,100}")  # printable ASCII, no space
KEY_HOURS = 24  # how long a retry with the same Idempotency-Key gets the first answer


@dataclass(frozen=True)
class Write:
    """One write endpoint, for the schema: its path, the form its body is read with, and the
    resource it answers with."""

    path: str
    operation: str
    summary: str
    form: type[forms.Form] | None
    answers: str  # a resource's name (api/resources.py), or "ProgressUpdate"
    status: int = 201


WRITES = [
    Write(
        "/api/v1/assignments/{id}/updates/",
        "post_assignment_update",
        "Post a progress update on an assignment (the task's progress and status follow)",
        UpdateForm,
        "ProgressUpdate",
    ),
    Write(
        "/api/v1/reports/{id}/figures/",
        "save_report_figures",
        "Save a periodic report's figures as a draft, or submit them (figures not given stay as they are)",
        None,
        "reports",
        status=200,
    ),
    Write(
        "/api/v1/petitions/",
        "register_petition",
        "Register a petition received by a committee (letter, phone, e-mail, in person …)",
        StaffEntryForm,
        "petitions",
    ),
    Write(
        "/api/v1/campaigns/{id}/donations/",
        "record_donation",
        "Record a donation into a fund (cash, transfer or in kind)",
        ReceiptForm,
        "donations",
    ),
]
FORM_FIELDS_LEFT_OUT = {"attachments", "attachment"}  # files go through the pages


# --- Reading the request ---------------------------------------------------------------------------


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", gettext_noop("The body must be a JSON object."))
    return data


def _both(message: Any, params: dict[str, Any] | None = None) -> dict[str, str]:
    found = {}
    for language, key in (("vi", "message"), ("en", "message_en")):
        with translation.override(language):
            text = str(translation.gettext(message) if isinstance(message, str) else message)
            found[key] = text % params if params else text
    return found


def _as_form_data(form_class: type[forms.Form], body: dict[str, Any]) -> dict[str, str]:
    """The body as a posted form would carry it: each value a text. A list or an object where a
    field takes one value is refused, naming the field; a name the form does not know too."""
    known = set(form_class.base_fields) - FORM_FIELDS_LEFT_OUT
    bad = {name: _both(gettext_noop("No such field.")) for name in body if name not in known}
    data: dict[str, str] = {}
    for name, value in body.items():
        if name not in known:
            continue
        if isinstance(value, dict | list):
            bad[name] = _both(gettext_noop("One value is expected here."))
        elif isinstance(form_class.base_fields[name], forms.ModelChoiceField) and (
            isinstance(value, bool) or whole_number(str(value)) is None
        ):
            bad[name] = _both(gettext_noop("A record is named by its id, a whole number."))
        elif isinstance(value, bool):
            data[name] = "true" if value else ""
        elif value is not None:
            data[name] = str(value)
    if bad:
        raise _invalid(bad)
    return data


def _invalid(fields: dict[str, Any]) -> ApiError:
    return ApiError(400, "invalid", gettext_noop("Some fields are not valid: nothing was saved."), fields)


def _checked(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or a 400 with each field's errors in both languages."""
    if form.is_valid():
        return form.cleaned_data
    fields: dict[str, Any] = {}
    for name, errors in form.errors.as_data().items():
        key = "__all__" if name == NON_FIELD_ERRORS else name
        fields[key] = {}
        for language, message in (("vi", "message"), ("en", "message_en")):
            with translation.override(language):
                fields[key][message] = " ".join(ValidationError(errors).messages)
    raise _invalid(fields)


class _Undo(Exception):
    pass


class Refused(Exception):
    def __init__(self, vi: Exception, en: Exception) -> None:
        super().__init__(str(vi))
        self.vi, self.en = vi, en


def _in_both(call: Callable[[], T], *refusals: type[Exception]) -> T:
    """``call()`` (a service) in Vietnamese; when the service refuses, its reason in English too:
    the service is asked again in English inside a savepoint that is always rolled back (a
    service's refusal writes nothing, and this second asking never keeps anything either)."""
    try:
        with translation.override("vi"):
            return call()
    except refusals as exc:
        vi = exc
    en: Exception = vi
    try:
        with translation.override("en"), transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        pass  # it passed the second time (the data changed meanwhile): the Vietnamese reason stands
    except refusals as exc:
        en = exc
    raise Refused(vi, en)


def _refusal(refused: Refused, status: int = 400, code: str = "refused") -> ApiError:
    fields = {"__all__": {"message": str(refused.vi), "message_en": str(refused.en)}}
    return ApiError(status, code, gettext_noop("The request was refused: nothing was saved."), fields)


# --- Idempotency ------------------------------------------------------------------------------------


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(
        b"\n".join([(request.method or "").encode(), request.path.encode(), request.body])
    ).hexdigest()


def _replay(found: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(found.body, status=found.status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def _once(request: HttpRequest, write: Callable[[], HttpResponse]) -> HttpResponse:
    """``write()`` in one transaction; with an ``Idempotency-Key`` header, a successful answer is
    kept under the key in the same transaction, and a retry with the same key and the same request
    gets it again without writing; the same key with another request is a 422."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        with transaction.atomic():
            return write()
    if not KEY.fullmatch(key):
        raise ApiError(
            400,
            "bad_idempotency_key",
            gettext_noop("The Idempotency-Key must be 1 to 100 printable ASCII characters, without spaces."),
        )
    fingerprint = _fingerprint(request)
    caller = request.user
    assert isinstance(caller, User)  # api_view: a session's user or a token's account
    mine = IdempotencyKey.objects.filter(user=caller, key=key)

    def stored() -> HttpResponse | None:
        found = mine.first()
        if found is None:
            return None
        if found.fingerprint != fingerprint:
            raise ApiError(
                422,
                "idempotency_key_reused",
                gettext_noop("This Idempotency-Key was used for another request."),
            )
        return _replay(found)

    if (earlier := stored()) is not None:
        return earlier
    try:
        with transaction.atomic():
            response = write()
            if response.status_code < 300:
                IdempotencyKey.objects.filter(
                    user=caller, created_at__lt=timezone.now() - dt.timedelta(hours=KEY_HOURS)
                ).delete()
                IdempotencyKey.objects.create(
                    user=caller,
                    key=key,
                    fingerprint=fingerprint,
                    status=response.status_code,
                    body=response.content.decode(),
                )
            return response
    except IntegrityError:
        # Another request with this key won the race: its write stands, this one's was undone.
        if (earlier := stored()) is not None:
            return earlier
        raise


# --- The endpoints ----------------------------------------------------------------------------------


def _answer(resource: str, obj: Any, user: Any, status: int) -> JsonResponse:
    return JsonResponse(resources.BY_NAME[resource].json(obj, user), status=status, json_dumps_params=_JSON)


@api_view(methods=("POST",))
def assignment_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's rule: the assignment's unit is edited by the caller (else 404)."""
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))

    def write() -> HttpResponse:
        assignment = authz.get_for_user(
            Assignment.objects.select_related("item", "unit"), request.user, Perm.EDIT_PROGRAM, "unit__path", pk=pk
        )
        data = _checked(UpdateForm(_as_form_data(UpdateForm, _body(request))))
        update = programs.post_update(request.user, assignment, data["text"], data["progress"])
        assignment = resources.BY_NAME["assignments"].queryset(request.user).get(pk=assignment.pk)
        body = {
            "id": update.pk,
            "text": update.text,
            "progress": update.progress,
            "created_at": update.created_at.isoformat(),
            "assignment": resources.BY_NAME["assignments"].json(assignment, request.user),
        }
        return JsonResponse(body, status=201, json_dumps_params=_JSON)

    return _once(request, write)


@api_view(methods=("POST",))
def report_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """``{"values": {code: figure or text}, "submit": false, "revision": n}``: the figures given
    replace those stored, the others stay; kept as a draft, or submitted (then every required
    figure must be there). ``revision``, when given, must be the report's (someone else's change
    meanwhile is a 409)."""
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))

    def write() -> HttpResponse:
        report = report_pages._report(request, pk)
        if not report_pages._can_edit(request.user, report):
            raise PermissionDenied
        body = _body(request)
        bad = {name: _both(gettext_noop("No such field.")) for name in body if name not in REPORT_BODY}
        values, submit, revision = body.get("values", {}), body.get("submit", False), body.get("revision")
        if not isinstance(values, dict):
            bad["values"] = _both(gettext_noop("An object of indicator codes and their figures is expected."))
            values = {}
        if not isinstance(submit, bool):
            bad["submit"] = _both(gettext_noop("true or false is expected."))
        if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)):
            bad["revision"] = _both(gettext_noop("A whole number is expected."))
        indicators = reporting.indicators_of(report.version)
        codes = {i.code for i in indicators}
        for code, value in values.items():
            if code not in codes:
                bad[f"values.{code}"] = _both(gettext_noop("This report has no such indicator."))
            elif isinstance(value, dict | list):
                bad[f"values.{code}"] = _both(gettext_noop("One value is expected here."))
        if bad:
            raise _invalid(bad)
        raw = {i.code: as_raw(i, (report.values or {}).get(i.code)) for i in indicators} | {
            code: "" if value is None else value for code, value in values.items()
        }
        service = reporting.submit if submit else reporting.save_draft
        try:
            saved = _in_both(lambda: service(request.user, report, raw, revision), reporting.ReportError)
        except Refused as refused:
            if isinstance(refused.vi, reporting.Invalid) and isinstance(refused.en, reporting.Invalid):
                vi, en = refused.vi.checked.errors, refused.en.checked.errors
                raise _invalid(
                    {f"values.{c}": {"message": vi[c], "message_en": en.get(c, vi[c])} for c in vi}
                ) from None
            raise _refusal(refused, 409, "conflict") from None
        return _answer("reports", saved, request.user, 200)

    return _once(request, write)


REPORT_BODY = ("values", "submit", "revision")


@api_view(methods=("GET", "POST"))
def petitions_collection(request: HttpRequest) -> HttpResponse:
    """GET: the petitions in scope (as ``/api/v1/{resource}/``). POST: a petition received by one
    of the caller's committees, as the staff entry page records it (the sender's details are kept
    with it and never come back through the API)."""
    if request.method == "GET":
        return listed(request, "petitions")
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied

    def write() -> HttpResponse:
        body = _body(request)
        unit = body.get("unit")
        if isinstance(unit, int) and not isinstance(unit, bool) and whole_number(str(unit)) is not None:
            authz.get_for_user(Unit.objects.all(), request.user, Perm.HANDLE_PETITION, "path", pk=unit)
        form = StaffEntryForm(request.user, _as_form_data(StaffEntryForm, body))
        data = _checked(form)
        day, now = data["received_on"], timezone.localtime()
        petition = _call_refusable(
            lambda: petitions.receive(
                request.user,
                place=data["unit"],
                level=data["unit"].level,
                unit=data["unit"],
                channel=data["channel"],
                kind=data["kind"],
                topic=data["topic"],
                urgency=data["urgency"],
                title=data["title"],
                content=data["content"],
                received_at=now.replace(year=day.year, month=day.month, day=day.day),
                sender=form.sender(),
            ),
            petitions.PetitionError,
        )
        return _answer("petitions", petition, request.user, 201)

    return _once(request, write)


@api_view(methods=("POST",))
def donation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The fund's receipts page: the campaign read in scope (else 404), recorded by those who
    handle the fund (else 403)."""
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))

    def write() -> HttpResponse:
        campaign = authz.get_for_user(
            Campaign.objects.select_related("unit"), request.user, Perm.VIEW_FUND, "unit__path", pk=pk
        )
        if not authz.can(request.user, Perm.HANDLE_FUND, campaign.unit):
            raise PermissionDenied
        data = _checked(ReceiptForm(_as_form_data(ReceiptForm, _body(request))))
        receipt = _call_refusable(lambda: funds.record_receipt(request.user, campaign, **data), funds.FundError)
        return _answer("donations", receipt, request.user, 201)

    return _once(request, write)


def _call_refusable(call: Callable[[], T], refusal: type[Exception]) -> T:
    try:
        return _in_both(call, refusal)
    except Refused as refused:
        raise _refusal(refused) from None
