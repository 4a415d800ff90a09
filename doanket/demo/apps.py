from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "doanket.demo"
    label = "demo"
    verbose_name = "Demo data"
