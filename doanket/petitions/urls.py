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
]
