from django.conf import settings
from django.db import models


class ManagerDigest(models.Model):
    """That a manager's weekly digest for a week went out: the unique row is the claim."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the week")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["manager", "week"], name="reports_digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.manager_id} {self.week}"
