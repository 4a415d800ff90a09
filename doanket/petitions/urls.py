from django.urls import path

from doanket.petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new", views.petition_new, name="new"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/identity", views.petition_identity, name="identity"),
    path("<int:pk>/classify", views.petition_classify, name="classify"),
    path("<int:pk>/assign", views.petition_assign, name="assign"),
    path("<int:pk>/merge", views.petition_merge, name="merge"),
    path("<int:pk>/forward", views.petition_forward, name="forward"),
    path("<int:pk>/pass", views.petition_pass, name="pass"),
    path("<int:pk>/answer", views.petition_answer, name="answer"),
    path("<int:pk>/publish", views.petition_publish, name="publish"),
    path("attachments/<int:pk>", views.attachment, name="attachment"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new", views.agency_new, name="agency_new"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/synthesise", views.meeting_synthesise, name="meeting_synthesise"),
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/new", views.reception_new, name="reception_new"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception"),
    path("syntheses/", views.synthesis_list, name="syntheses"),
    path("syntheses/new", views.synthesis_new, name="synthesis_new"),
    path("syntheses/<int:pk>/", views.synthesis_detail, name="synthesis"),
    path("syntheses/<int:pk>/regroup", views.synthesis_regroup, name="synthesis_regroup"),
    path("syntheses/<int:pk>/merge", views.synthesis_merge, name="synthesis_merge"),
    path("syntheses/<int:pk>/report.docx", views.synthesis_docx, name="synthesis_docx"),
    path("syntheses/<int:pk>/report.xlsx", views.synthesis_xlsx, name="synthesis_xlsx"),
    path("themes/<int:pk>/", views.theme_detail, name="theme"),
    path("themes/<int:pk>/rename", views.theme_rename, name="theme_rename"),
    path("themes/<int:pk>/move", views.theme_move, name="theme_move"),
    path("themes/<int:pk>/split", views.theme_split, name="theme_split"),
]
