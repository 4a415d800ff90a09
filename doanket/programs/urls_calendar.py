"""The calendar of the work programmes, included at ``calendar/``."""

from django.urls import path

from doanket.programs import views_calendar

app_name = "calendar"
urlpatterns = [
    path("", views_calendar.month, name="month"),
    path("subscribe/", views_calendar.subscribe, name="subscribe"),
    path("feed/<slug:token>.ics", views_calendar.feed, name="feed"),
]
