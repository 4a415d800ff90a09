from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.models import User
from doanket.core.widgets import date_field
from doanket.organizations.models import Unit
from doanket.supervision import services
from doanket.supervision.models import (
    Answer,
    Draft,
    DraftPart,
    Form,
    Kind,
    Progress,
    Reception,
    SourceKind,
    State,
    SupervisedPerson,
    Supervision,
    SupervisionPlan,
)

MAX_PLAN_BYTES = 20 * 1024 * 1024


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class OfficerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(
        label=_("Plan document (DOCX, PDF or TXT)"),
        required=False,
        help_text=_("Its numbered contents under “NỘI DUNG GIÁM SÁT” become the supervisions."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.committees(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class SupervisionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    subject = forms.CharField(label=_("Supervised"), max_length=300, required=False)
    content = _text(_("Content"), required=False)
    team = _text(_("Team members (one per line)"), rows=3, required=False)
    starts_on = date_field(_("From"), required=False)
    ends_on = date_field(_("To"), required=False)
    assigned = OfficerField(
        label=_("Officers assigned"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an ethics supervision: only they read its persons, opinions and conclusions."),
    )

    def __init__(self, plan: SupervisionPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = services.assignable(plan.unit)


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=Progress.choices)
    subject = forms.CharField(label=_("Supervised"), max_length=300, required=False)
    team = _text(_("Team members (one per line)"), rows=3, required=False)
    starts_on = date_field(_("From"), required=False)
    ends_on = date_field(_("To"), required=False)
    findings = _text(_("Findings"), rows=5, required=False)

    def __init__(self, *args: Any, findings: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not findings:  # an ethics supervision's conclusions: its assigned officers only
            del self.fields["findings"]


class RecommendationForm(forms.Form):
    text = _text(_("Recommendation"))
    addressee = forms.CharField(label=_("Addressed to"), max_length=300)
    addressee_email = forms.EmailField(label=_("Addressee's e-mail (for the reminders)"), required=False)
    due_on = date_field(_("Answer due by"))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    answer_text = _text(_("What the addressee answered"), required=False)
    answered_on = date_field(_("Answered on"))


class ChaseForm(forms.Form):
    message = _text(_("Message (empty: the usual one)"), rows=2, required=False)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    office = forms.CharField(label=_("Office held"), max_length=300, required=False)


class OpinionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("About"), queryset=SupervisedPerson.objects.none())
    source = forms.CharField(label=_("From"), max_length=300)
    text = _text(_("Opinion"))

    def __init__(self, supervision: Supervision, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = supervision.persons.all()


class StateFilter(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *State.choices], required=False)


class InspectionForm(forms.Form):
    subject = forms.CharField(label=_("Inspected"), max_length=300)
    held_on = date_field(_("Date"))
    findings = _text(_("Findings"))
    recommendations = _text(_("Recommendations"), required=False)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=300)
    owner = forms.CharField(label=_("Investor"), max_length=300)
    budget = forms.IntegerField(label=_("Budget (đồng)"), min_value=0)
    starts_on = date_field(_("Started on"), required=False)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    issues = _text(_("Issues found"), required=False)


class ProjectUpdateForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    issues = _text(_("Issues found"), required=False)


# --- Social criticism -----------------------------------------------------------------------------


class DraftForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    drafting_body = forms.CharField(label=_("Drafting body"), max_length=300)
    title = forms.CharField(
        label=_("Draft"), max_length=500, required=False, help_text=_("Empty: the title the document gives.")
    )
    received_on = date_field(_("Received on"))
    due_on = date_field(_("Criticism due by"))
    file = forms.FileField(
        label=_("Text of the draft (DOCX, PDF or TXT)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )
    text = _text(_("Or paste its text"), rows=6, required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.committees(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class PartField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)[:120]


class CriticismOpinionForm(forms.Form):
    part = PartField(
        label=_("On"), queryset=DraftPart.objects.none(), required=False, empty_label=_("The draft as a whole")
    )
    source_kind = forms.ChoiceField(label=_("From"), choices=SourceKind.choices)
    author = forms.CharField(label=_("Who (person or organisation)"), max_length=300)
    text = _text(_("Opinion"), rows=4)

    def __init__(self, draft: Draft, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["part"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = draft.parts.all()


class PointForm(forms.Form):
    text = _text(_("Criticism"), rows=4)


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=100)
    issued_on = date_field(_("Date"))
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, initial="CHỦ TỊCH")


class ReceptionForm(forms.Form):
    reception = forms.ChoiceField(label=_("Answer"), choices=Reception.choices)
    answer_text = _text(_("What the drafting body answered"), rows=2, required=False)
