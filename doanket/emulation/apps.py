from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "doanket.emulation"
    verbose_name = _("Campaigns and emulation movements")

    def ready(self) -> None:
        from doanket.core.lost import task_lost
        from doanket.emulation import awards, evaluation
        from doanket.organizations import personal_data

        personal_data.register("awards", awards.awards_of)
        task_lost.connect(evaluation.lost, dispatch_uid="doanket.emulation.review_lost")
