"""Days the office sets by hand when the State Council publishes a schedule the bundled data lacks."""

from django.db import models


class WorkdayOverride(models.Model):
    """One day declared a working day (e.g. a make-up Saturday) or a rest day (e.g. a holiday)."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    set_by = models.CharField("设置人", max_length=150, blank=True)
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "工作日调整"

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"
