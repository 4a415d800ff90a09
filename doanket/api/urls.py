from django.urls import path

from doanket.api import views

app_name = "api"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("schema.json", views.schema_view, name="schema"),
    path("docs/", views.docs, name="docs"),
    path("<str:name>/", views.resource_list, name="resource_list"),
    path("<str:name>/<int:pk>/", views.resource_detail, name="resource_detail"),
]
