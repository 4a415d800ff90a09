from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "doanket.emulation"
    verbose_name = _("Campaigns and emulation movements")
