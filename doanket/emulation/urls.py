from django.urls import path

from doanket.emulation import views

app_name = "emulation"

urlpatterns = [
    path("", views.movement_list, name="list"),
    path("new", views.movement_new, name="new"),
    path("<int:pk>/", views.movement_detail, name="movement"),
    path("<int:pk>/criteria", views.criterion_add, name="criterion_add"),
    path("<int:pk>/register", views.register, name="register"),
]
