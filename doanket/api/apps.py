from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "doanket.api"
    label = "api"
    verbose_name = "API"
