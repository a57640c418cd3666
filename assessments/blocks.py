"""Blocks for assessments.

Two families live here:

* question blocks, the StreamField a course holder builds a quiz from
  (Quiz.questions). Every block and every option or pair in it keeps a stable
  id, which attempts and item analysis refer to.
* module blocks (QuizBlock, ReflectionBlock) that place a quiz or a
  reflection task in a module's body; this app contributes them to
  ModulePage.body (module_activity_blocks, named in apps.py).
"""

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class QuestionType:
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"
    ORDERING = "ordering"
    LIKERT = "likert"

    UNGRADED = {LIKERT}


class _QuestionBlock(blocks.StructBlock):
    """What every question has: the question text and feedback for a right and a wrong answer."""

    text = blocks.TextBlock(label=_("Spørsmål"), max_length=1000)
    feedback_correct = blocks.TextBlock(label=_("Tilbakemelding ved riktig svar"), required=False)
    feedback_incorrect = blocks.TextBlock(label=_("Tilbakemelding ved feil svar"), required=False)


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Svaralternativ"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Riktig"), required=False)
    feedback = blocks.CharBlock(
        label=_("Tilbakemelding på dette alternativet"), max_length=500, required=False
    )

    class Meta:
        icon = "radio-empty"
        label = _("Alternativ")


def _error(field: str, message) -> StructBlockValidationError:
    return StructBlockValidationError(block_errors={field: ValidationError(message)})


class SingleChoiceBlock(_QuestionBlock):
    """Flervalg, ett riktig svar."""

    options = blocks.ListBlock(OptionBlock(), min_num=2, label=_("Svaralternativer"))

    class Meta:
        icon = "radio-full"
        label = _("Flervalg (ett riktig svar)")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise _error("options", _("Merk nøyaktig ett alternativ som riktig."))
        return value


class MultipleResponseBlock(_QuestionBlock):
    """Flervalg, flere riktige svar."""

    options = blocks.ListBlock(OptionBlock(), min_num=2, label=_("Svaralternativer"))
    partial_credit = blocks.BooleanBlock(
        label=_("Gi delpoeng"),
        required=False,
        help_text=_(
            "Delpoeng: riktige valg minus gale valg, delt på antall riktige. Ellers må alt være riktig."
        ),
    )

    class Meta:
        icon = "tasks"
        label = _("Flervalg (flere riktige svar)")

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise _error("options", _("Merk minst ett alternativ som riktig."))
        return value


class TrueFalseBlock(_QuestionBlock):
    """Sant eller usant."""

    correct = blocks.ChoiceBlock(
        label=_("Riktig svar"), choices=[("true", _("Sant")), ("false", _("Usant"))], default="true"
    )

    class Meta:
        icon = "help"
        label = _("Sant eller usant")


class PairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Venstre side"), max_length=300)
    answer = blocks.CharBlock(label=_("Hører sammen med"), max_length=300)

    class Meta:
        icon = "link"
        label = _("Par")


class MatchingBlock(_QuestionBlock):
    """Koble sammen par."""

    pairs = blocks.ListBlock(PairBlock(), min_num=2, label=_("Par"))
    partial_credit = blocks.BooleanBlock(label=_("Gi delpoeng per riktig par"), required=False)

    class Meta:
        icon = "link"
        label = _("Koble sammen")

    def clean(self, value):
        value = super().clean(value)
        answers = [pair["answer"].strip().casefold() for pair in value["pairs"]]
        if len(set(answers)) != len(answers):
            raise _error("pairs", _("Høyre side må være ulik for hvert par."))
        return value


class OrderingBlock(_QuestionBlock):
    """Sett i riktig rekkefølge."""

    steps = blocks.ListBlock(
        blocks.CharBlock(label=_("Steg"), max_length=300),
        min_num=2,
        label=_("Steg i riktig rekkefølge"),
        help_text=_("Skriv stegene i riktig rekkefølge; deltakeren ser dem stokket."),
    )
    partial_credit = blocks.BooleanBlock(label=_("Gi delpoeng per steg på riktig plass"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Rekkefølge")


class LikertBlock(blocks.StructBlock):
    """An ungraded self-rating from 1 to 5, for reflection; it never counts towards the score."""

    text = blocks.TextBlock(label=_("Påstand"), max_length=1000)

    class Meta:
        icon = "pick"
        label = _("Egenvurdering 1–5 (uten poeng)")


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_response = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
    likert = LikertBlock()


class QuizChooserBlock(SnippetChooserBlock):
    """The quiz of a quiz block, read through the shared cache.

    A module page renders its quiz blocks on every view; the quizzes (content, the same for every
    learner) come from the cache under the content generation, which saving or deleting a quiz
    replaces (assessments/apps.py). Migrations record it as the SnippetChooserBlock it extends:
    it stores the same value.
    """

    def bulk_to_python(self, values):
        from .selectors import quizzes_in_bulk

        found = quizzes_in_bulk([value for value in values if value is not None])
        # Like ChooserBlock.bulk_to_python: the values' order, None kept, one instance per value.
        return [copy.copy(found[value]) if value in found else None for value in values]

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.snippets.blocks.SnippetChooserBlock", args, kwargs


class QuizBlock(blocks.StructBlock):
    """A quiz (kunnskapstest) of the module's course; passing it completes the activity."""

    quiz = QuizChooserBlock(
        "assessments.Quiz",
        label=_("Kunnskapstest"),
        help_text=_("Velg en kunnskapstest som hører til dette kurset."),
    )

    class Meta:
        icon = "tasks"
        label = _("Kunnskapstest")
        template = "assessments/blocks/quiz.html"


class ReflectionBlock(blocks.StructBlock):
    """A reflection task: the learner writes about their own practice; submitting completes it."""

    prompt = blocks.TextBlock(label=_("Refleksjonsspørsmål"), max_length=1000)
    guidance = blocks.TextBlock(
        label=_("Veiledning"), required=False, help_text=_("Hjelp til hva svaret kan handle om.")
    )
    min_words = blocks.IntegerBlock(
        label=_("Minste antall ord"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("Tomt: ingen grense."),
    )

    class Meta:
        icon = "edit"
        label = _("Refleksjonsoppgave")
        template = "assessments/blocks/reflection.html"


def module_activity_blocks() -> list[tuple[str, blocks.Block]]:
    """What this app adds to a module's body (see courses.activities)."""
    return [("quiz", QuizBlock()), ("reflection", ReflectionBlock())]
