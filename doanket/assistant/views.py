"""The assistant's page: a question (GET, so it works without JavaScript and can be bookmarked),
the answer below it; HTMX swaps only the answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from doanket.accounts import authz
from doanket.assistant import services

EXAMPLES = [
    "Nghị định 93 quy định gì về công khai?",
    "Xã nào chưa nộp báo cáo quý 3?",
    "Năm nay đã xây bao nhiêu nhà Đại đoàn kết ở Lào Cai?",
    "Có bao nhiêu nhiệm vụ quá hạn?",
]


@login_required
@require_safe
@vary_on_headers("HX-Request")
def ask(request: HttpRequest) -> HttpResponse:
    if not authz.has_any_grant(request.user):
        raise PermissionDenied
    question = request.GET.get("q", "").strip()[: services.MAX_QUESTION]
    answer = services.ask(request.user, question) if question else None
    context = {"q": question, "answer": answer, "examples": EXAMPLES, "not_found": services.NOT_FOUND}
    if request.headers.get("HX-Request"):
        return render(request, "assistant/_answer.html", context)
    return render(request, "assistant/ask.html", context)
