"""The activity kinds this app plugs into courses (registered in apps.py):

* quiz: a Kunnskapstest block; done when an attempt in the current round passes;
* reflection: a Refleksjonsoppgave block; done when the answer is submitted in the current round;
* evaluation: the course evaluation, a step of the whole course; done when answered in the
  current round, and required for completion where the course says so.
"""

from django.utils.translation import gettext_lazy as _

from courses.activities import COURSE, ActivityKind

from . import selectors

QUIZ = "quiz"
REFLECTION = "reflection"
EVALUATION = "evaluation"


class QuizActivity(ActivityKind):
    name = QUIZ
    label = _("Kunnskapstest")

    def block_title(self, value) -> str:
        quiz = value.get("quiz") if value else None
        return quiz.title if quiz is not None else str(self.label)

    def module_states(self, *, user, module, enrolment, block_ids):
        return selectors.quiz_states(user=user, module=module, block_ids=block_ids, enrolment=enrolment)


class ReflectionActivity(ActivityKind):
    name = REFLECTION
    label = _("Refleksjonsoppgave")
    scripts = ("js/reflection-editor.js",)

    def module_states(self, *, user, module, enrolment, block_ids):
        return selectors.reflection_states(user=user, module=module, block_ids=block_ids)


class EvaluationStep(ActivityKind):
    name = EVALUATION
    label = _("Kursevaluering")
    scope = COURSE

    def required_for_course(self, course) -> bool:
        return course.evaluation_enabled and course.evaluation_required
