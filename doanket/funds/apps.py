from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "doanket.funds"
    verbose_name = _("Funds and relief")

    def ready(self) -> None:
        from doanket.core.lost import task_lost
        from doanket.funds.services import import_interrupted

        task_lost.connect(import_interrupted, dispatch_uid="doanket.funds.import_interrupted")
