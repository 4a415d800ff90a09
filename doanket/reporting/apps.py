from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "doanket.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from doanket.organizations.signals import unit_moved, units_merged
        from doanket.reporting import receivers, sources

        unit_moved.connect(receivers.on_unit_moved, dispatch_uid="reporting.unit_moved")
        units_merged.connect(receivers.on_units_merged, dispatch_uid="reporting.units_merged")
        sources.register_builtin()
