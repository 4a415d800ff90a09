from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "doanket.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from doanket.core import dbguard
        from doanket.core.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="doanket.core.session_started")
        connection_created.connect(dbguard.register, dispatch_uid="doanket.core.audit_guard")
