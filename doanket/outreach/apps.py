from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "doanket.outreach"
    verbose_name = _("The people the Front listens to")

    def ready(self) -> None:
        from doanket.organizations import personal_data
        from doanket.outreach import services, sources

        sources.register()
        personal_data.register("visits", services.visits_of)
