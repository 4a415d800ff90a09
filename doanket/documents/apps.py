from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "doanket.documents"
    verbose_name = "Văn bản"
