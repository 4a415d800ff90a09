"""What the hierarchy tells the modules above it, which it must not import: a unit moved, units
merged. Receivers run inside the transaction that made the change."""

from django.dispatch import Signal

# sender=Unit, unit=<the moved unit, already at its new path>, old_path=<str>
unit_moved = Signal()
# sender=Unit, sources=[<Unit>...], into=<Unit>, effective=<date>
units_merged = Signal()
