"""The platform's one standard course evaluation (kursevaluering), shared by every course.

Keeping one form for all courses makes the answers comparable across courses
and over time. The fields match EvaluationResponse.
"""

from django.utils.translation import gettext_lazy as _

# (field on EvaluationResponse, statement the learner rates from 1 to 5)
LIKERT_ITEMS = [
    ("relevance", _("Kurset var relevant for arbeidet eller rollen min.")),
    ("usefulness", _("Jeg kan bruke det jeg lærte i praksis.")),
    ("user_perspective", _("Kurset fikk godt fram brukerens perspektiv og brukermedvirkning.")),
    ("overall", _("Alt i alt er jeg fornøyd med kurset.")),
]
LIKERT_CHOICES = [
    (1, _("1 – Helt uenig")),
    (2, _("2 – Litt uenig")),
    (3, _("3 – Verken enig eller uenig")),
    (4, _("4 – Litt enig")),
    (5, _("5 – Helt enig")),
]
FREE_TEXT_ITEMS = [
    ("most_useful", _("Hva var mest nyttig?")),
    ("improve", _("Hva bør bli bedre?")),
]
