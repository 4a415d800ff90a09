from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "doanket.programs"
    verbose_name = "Chương trình công tác"
