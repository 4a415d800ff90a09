from django.urls import path

from doanket.programs import views_library as views

app_name = "library"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/file/", views.directive_file, name="file"),
    path("<int:pk>/edit/", views.directive_edit, name="edit"),
]
