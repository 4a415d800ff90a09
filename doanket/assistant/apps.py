from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "doanket.assistant"
    verbose_name = _("Assistant")

    def ready(self) -> None:
        from doanket.assistant import retrieval

        retrieval.connect_signals()
