from django.urls import path

from doanket.funds import views

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
    path("statements/<int:pk>/receive", views.receive_transfers, name="receive_transfers"),
]
