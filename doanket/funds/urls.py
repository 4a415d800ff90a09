from django.urls import path

from doanket.funds import views, views_spending

app_name = "funds"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/accounts/new", views.account_new, name="account_new"),
    path("<int:pk>/statements/new", views.statement_import, name="statement_import"),
    path("<int:pk>/receipts/", views.receipts, name="receipts"),
    path("<int:pk>/publish", views.publish, name="publish"),
    path("receipts/<int:pk>/correct", views.receipt_correct, name="receipt_correct"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("imports/<int:pk>/", views.statement_import_job, name="statement_import_job"),
    path("imports/<int:pk>/retry", views.statement_import_retry, name="statement_import_retry"),
    path("statements/<int:pk>/receive", views.receive_transfers, name="receive_transfers"),
    path("<int:pk>/allocations/", views_spending.allocations, name="allocations"),
    path("<int:pk>/recipients", views_spending.recipient_options, name="recipients"),
    path("allocations/<int:pk>/", views_spending.allocation, name="allocation"),
    path("allocations/<int:pk>/pay", views_spending.disburse, name="disburse"),
    path("allocations/<int:pk>/evidence", views_spending.allocation_evidence, name="allocation_evidence"),
    path("evidence/<int:pk>", views_spending.evidence, name="evidence"),
    path("households/", views_spending.households, name="households"),
    path("households/<int:pk>/", views_spending.household, name="household"),
    path("houses/", views_spending.houses_by_commune, name="houses"),
    path("houses/<int:pk>/", views_spending.house, name="house"),
    path("houses/<int:pk>/advance", views_spending.house_advance, name="house_advance"),
    path("houses/<int:pk>/evidence", views_spending.house_evidence, name="house_evidence"),
]
