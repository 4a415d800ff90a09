from django.urls import path

from doanket.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("petitions/new", views.petition_new, name="new"),
    path("petitions/sent", views.sent, name="sent"),
    path("petitions/sent/forget", views.forget_code, name="forget_code"),
    path("petitions/track", views.track, name="track"),
    path("places", views.places, name="places"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>", views.answer, name="answer"),
    path("meetings/", views.meetings, name="meetings"),
]
