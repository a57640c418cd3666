"""H5P results per activity for a course's holders: learners, attempts, score distribution, and
per part of compound content (each question of a Question Set, each task on a slide) the share
answered fully correct, read from the statements the players sent.

Only counts: no learner is named, and nothing of a learner's answers is shown. Five queries for
a course however many modules, activities, learners and statements it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, ModulePage
from courses.selectors import module_blocks
from h5p.activities import H5P
from h5p.models import H5PContent, H5PResult, H5PStatement
from h5p.selectors import answer_statements

from .replica import reports_database

# Best scores are counted in these bands (lower bound inclusive; the last includes 100 %).
BANDS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))
BAND_LABELS = ("0–19 %", "20–39 %", "40–59 %", "60–79 %", "80–100 %")


@dataclass
class PartStatistics:
    """One part (question) of an activity: how often it was answered and how often fully right."""

    sub_content_id: str
    title: str
    answers: int
    learners: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        return 100 * self.correct / self.answers if self.answers else None


@dataclass
class ActivityStatistics:
    module_id: int
    module_title: str
    block_id: str
    title: str
    completion_rule: str
    learners: int = 0
    attempts: int = 0
    completed: int = 0
    scored: int = 0
    mean_best: float | None = None
    #: (band label, learners whose best score is in it)
    distribution: list[tuple[str, int]] = field(default_factory=list)
    parts: list[PartStatistics] = field(default_factory=list)

    @property
    def not_scored(self) -> int:
        return self.learners - self.scored


def _band_counts() -> dict:
    return {
        f"band_{index}": Count("pk", filter=Q(best_percent__gte=low, best_percent__lt=high))
        for index, (low, high) in enumerate(BANDS)
    }


def course_h5p_statistics(*, course: CoursePage) -> list[ActivityStatistics]:
    """Every H5P block in the course's modules, in page order, with its figures (read from the
    reports database, a replica when one is configured)."""
    using = reports_database()
    modules = list(
        ModulePage.objects.using(using).child_of(course).order_by("path").only("pk", "title", "body")
    )
    activities: dict[tuple[int, str], ActivityStatistics] = {}
    content_ids = set()
    content_of: dict[tuple[int, str], int | None] = {}
    for module in modules:
        for block in module_blocks(module, block_type=H5P):
            value = block.get("value") or {}
            content_ids.add(value.get("content"))
            content_of[(module.pk, block["id"])] = value.get("content")
            activities[(module.pk, block["id"])] = ActivityStatistics(
                module_id=module.pk,
                module_title=module.title,
                block_id=block["id"],
                title="",
                completion_rule=value.get("completion_rule", "completed"),
            )
    if not activities:
        return []
    contents = {
        pk: (title, type_revision)
        for pk, title, type_revision in H5PContent.objects.using(using)
        .filter(pk__in=content_ids)
        .values_list("pk", "title", "type_revision")
    }
    for key, activity in activities.items():
        activity.title = contents.get(content_of[key], (str(_("(innholdet er slettet)")),))[0]

    # Only what learners did with the content each block shows now, since its content type was
    # last changed: a block pointed at other content, or content replaced by another type, starts
    # again (the earlier answers stay stored as history).
    current_results, current_statements = Q(pk__in=[]), Q(pk__in=[])
    for (module_id, block_id), content_id in content_of.items():
        if content_id not in contents:
            continue
        type_revision = contents[content_id][1]
        current_results |= Q(
            module_id=module_id,
            block_id=block_id,
            content_id=content_id,
            content_revision__gte=type_revision,
        )
        current_statements |= Q(
            result__module_id=module_id,
            result__block_id=block_id,
            content_id=content_id,
            revision__gte=type_revision,
        )

    module_ids = [module.pk for module in modules]
    results = (
        H5PResult.objects.using(using)
        .filter(current_results, module_id__in=module_ids)
        .values("module_id", "block_id")
        .annotate(
            learners=Count("pk"),
            attempts=Sum("attempts"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            scored=Count("pk", filter=Q(best_percent__isnull=False)),
            mean_best=Avg("best_percent"),
            **_band_counts(),
        )
        .order_by()
    )
    for row in results:
        activity = activities.get((row["module_id"], row["block_id"]))
        if activity is None:  # a block since removed from the module
            continue
        activity.learners, activity.attempts = row["learners"], row["attempts"] or 0
        activity.completed, activity.scored, activity.mean_best = (
            row["completed"],
            row["scored"],
            row["mean_best"],
        )
        activity.distribution = [(label, row[f"band_{i}"]) for i, label in enumerate(BAND_LABELS)]
    for activity in activities.values():
        if not activity.distribution:
            activity.distribution = [(label, 0) for label in BAND_LABELS]

    parts_of = H5PStatement.objects.using(using).filter(
        current_statements, result__module_id__in=module_ids, top_level=False
    )
    # A part that has parts of its own (a chapter of a book, a question set on a slide) is left out:
    # its questions are listed, and its score is only theirs added up.
    containers = set(
        parts_of.exclude(parent_sub_content_id="")
        .values_list("result__module_id", "result__block_id", "parent_sub_content_id")
        .distinct()
        .order_by()
    )
    answered = (
        parts_of.filter(answer_statements(), score_max__gt=0)
        .values("result__module_id", "result__block_id", "sub_content_id")
        .annotate(
            answers=Count("pk"),
            learners=Count("result", distinct=True),
            correct=Count("pk", filter=Q(score_raw=F("score_max"))),
            title=Max("title"),
            first=Max("pk"),
        )
        .order_by("first")
    )
    for row in answered:
        key = (row["result__module_id"], row["result__block_id"])
        if key not in activities or (*key, row["sub_content_id"]) in containers:
            continue
        activities[key].parts.append(
            PartStatistics(
                sub_content_id=row["sub_content_id"],
                title=row["title"] or str(_("(uten tittel)")),
                answers=row["answers"],
                learners=row["learners"],
                correct=row["correct"],
            )
        )
    return list(activities.values())


def h5p_statistics_table(activities: list[ActivityStatistics]):
    """(header, rows) for the CSV export: a row per activity, then a row per part of it."""
    header = [
        str(_("Modul")),
        str(_("Aktivitet")),
        str(_("Deltakere")),
        str(_("Forsøk")),
        str(_("Fullført")),
        str(_("Snitt beste resultat (%)")),
        *[f"{_('Beste resultat')} {label}" for label in BAND_LABELS],
        str(_("Del (spørsmål)")),
        str(_("Svar")),
        str(_("Andel helt riktig (%)")),
    ]
    rows = []
    for activity in activities:
        mean = round(activity.mean_best, 1) if activity.mean_best is not None else ""
        base = [activity.module_title, activity.title]
        rows.append(
            [
                *base,
                activity.learners,
                activity.attempts,
                activity.completed,
                mean,
                *[count for _label, count in activity.distribution],
                "",
                "",
                "",
            ]
        )
        for part in activity.parts:
            share = round(part.share_correct, 1) if part.share_correct is not None else ""
            rows.append(
                [*base, part.learners, "", "", "", *[""] * len(BANDS), part.title, part.answers, share]
            )
    return header, rows
