from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "doanket.supervision"
    verbose_name = _("Supervision and social criticism")

    def ready(self) -> None:
        from doanket.supervision import sources

        sources.register()
