from django.urls import path

from doanket.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/check", views.report_check, name="check"),
    path("<int:pk>/narrative/<slug:code>", views.report_narrative, name="narrative"),
    path("<int:pk>/form.xlsx", views.report_xlsx, name="xlsx"),
    path("<int:pk>/upload", views.report_upload, name="upload"),
    path("<int:pk>/review", views.report_review, name="review"),
    path("<int:pk>/correct", views.report_correct, name="correct"),
    path("<int:pk>/remind", views.report_remind, name="remind"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/new", views.schedule_new, name="schedule_new"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/open", views.schedule_open, name="schedule_open"),
    path("schedules/<int:pk>/rollup", views.rollup_page, name="rollup"),
    path("schedules/<int:pk>/missing", views.rollup_missing, name="missing"),
    path("schedules/<int:pk>/remind", views.remind_missing, name="remind_missing"),
    path("schedules/<int:pk>/rollup.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path("schedules/<int:pk>/rollup.docx", views.rollup_docx, name="rollup_docx"),
    path("forms/new", views.form_new, name="form_new"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/indicators.xlsx", views.form_definition, name="form_definition"),
    path("forms/<int:pk>/versions/new", views.form_version_new, name="form_version_new"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
