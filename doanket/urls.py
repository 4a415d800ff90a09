from django.contrib import admin
from django.urls import include, path

from doanket.accounts.views import home
from doanket.core.views import healthz

handler500 = "doanket.core.faults.server_error"  # a database or disk fault before the view: its page

urlpatterns = [
    path("", home, name="home"),
    path("", include("doanket.organizations.urls")),
    path("accounts/", include("doanket.accounts.urls")),
    path("programs/", include("doanket.programs.urls")),
    path("library/", include("doanket.programs.urls_library")),
    path("calendar/", include("doanket.programs.urls_calendar")),
    path("reports/", include("doanket.reporting.urls")),
    path("petitions/", include("doanket.petitions.urls")),
    path("funds/", include("doanket.funds.urls")),
    path("emulation/", include("doanket.emulation.urls")),
    path("supervision/", include("doanket.supervision.urls")),
    path("congresses/", include("doanket.congresses.urls")),
    path("outreach/", include("doanket.outreach.urls")),
    path("news/", include("doanket.news.urls")),
    path("training/", include("doanket.training.urls")),
    path("portal/", include("doanket.portal.urls")),
    path("api/v1/", include("doanket.api.urls")),
    path("assistant/", include("doanket.assistant.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
