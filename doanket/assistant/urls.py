from django.urls import path

from doanket.assistant import views

app_name = "assistant"
urlpatterns = [
    path("", views.ask, name="ask"),
]
