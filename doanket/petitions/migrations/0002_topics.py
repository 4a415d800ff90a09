"""The topics a petition can be about, as the Front's petition reports group them."""

from django.db import migrations

TOPICS = [
    "Đất đai, nhà ở",
    "Môi trường",
    "An sinh xã hội, chính sách người có công",
    "Giao thông, hạ tầng",
    "Y tế",
    "Giáo dục",
    "Lao động, việc làm",
    "An ninh, trật tự",
    "Thủ tục hành chính",
    "Tham nhũng, tiêu cực",
    "Tôn giáo, dân tộc",
    "Khác",
]


def add(apps, schema_editor):
    Topic = apps.get_model("petitions", "Topic")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position})


def remove(apps, schema_editor):
    apps.get_model("petitions", "Topic").objects.filter(name__in=TOPICS).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
