from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "doanket.emulation"
    verbose_name = _("Campaigns and emulation movements")

    def ready(self) -> None:
        from doanket.emulation import awards
        from doanket.organizations import personal_data

        personal_data.register("awards", awards.awards_of)
