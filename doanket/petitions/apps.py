from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "doanket.petitions"
    verbose_name = _("Opinions and petitions")

    def ready(self) -> None:
        from doanket.petitions import sources

        sources.register()
