from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "doanket.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from doanket.organizations import person_pages, personal_data
        from doanket.training import services, sources

        sources.register()
        personal_data.register("training", services.history_of)
        person_pages.register("training:person", _("Training history"))
