from django.urls import path

from doanket.api import ledger, rollups, views, writes

app_name = "api"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("schema.json", views.schema_view, name="schema"),
    path("docs/", views.docs, name="docs"),
    path("ledger/", ledger.campaign_list, name="ledger"),
    path("ledger/<int:pk>/", ledger.campaign_detail, name="ledger_campaign"),
    path("ledger/<int:pk>/entries/", ledger.entries, name="ledger_entries"),
    path("rollups/<int:pk>/", rollups.rollup_detail, name="rollup"),
    path("petitions/", writes.petitions_collection, name="petitions"),
    path("assignments/<int:pk>/updates/", writes.assignment_update, name="assignment_update"),
    path("reports/<int:pk>/figures/", writes.report_figures, name="report_figures"),
    path("campaigns/<int:pk>/donations/", writes.donation_create, name="donation_create"),
    path("<str:name>/", views.resource_list, name="resource_list"),
    path("<str:name>/<int:pk>/", views.resource_detail, name="resource_detail"),
]
