"""Forms the Wagtail admin uses to edit course pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class ModulePageForm(WagtailAdminPageForm):
    """A module may only show quizzes of its own course: attempts and completion are per course."""

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is None or self.parent_page is None:
            return cleaned
        course_id = self.parent_page.pk
        foreign = [
            block.value["quiz"]
            for block in body
            if block.block_type == "quiz"
            and block.value["quiz"]
            and block.value["quiz"].course_id != course_id
        ]
        if foreign:
            titles = ", ".join(f"«{quiz.title}»" for quiz in foreign)
            self.add_error(
                "body",
                ValidationError(
                    _("Kunnskapstesten %(titles)s hører til et annet kurs. Velg en test for dette kurset.")
                    % {"titles": titles}
                ),
            )
        return cleaned


class CoursePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("evaluation_required") and not cleaned.get("evaluation_enabled"):
            self.add_error(
                "evaluation_required", _("Slå på kursevaluering for å kunne kreve den for å fullføre kurset.")
            )
        return cleaned
