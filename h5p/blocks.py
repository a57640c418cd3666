"""The module block that places H5P content in a module (contributed to ModulePage.body)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from people.mfa import privileges_usable

from . import player_origin

# Shown where course holders upload H5P and where they choose its completion rule.
BROWSER_SCORE_NOTICE = _(
    "H5P regner ut poeng i nettleseren, så en deltaker med tekniske kunnskaper kan endre dem. "
    "Ikke bruk H5P alene når bestått eller ikke bestått har stor betydning; bruk plattformens kunnskapstest."
)


class H5PBlock(blocks.StructBlock):
    """Interactive H5P content, played in a sandboxed frame; its result can complete the module."""

    content = SnippetChooserBlock("h5p.H5PContent", label=_("H5P-innhold"))
    completion_rule = blocks.ChoiceBlock(
        label=_("Regnes som fullført når"),
        choices=[
            ("opened", _("deltakeren har åpnet innholdet")),
            ("completed", _("deltakeren har besvart eller fullført innholdet")),
            ("score", _("deltakeren har fått minst X prosent")),
        ],
        default="completed",
        help_text=BROWSER_SCORE_NOTICE,
    )
    pass_percent = blocks.IntegerBlock(
        label=_("X: prosent som kreves"), min_value=0, max_value=100, default=80, required=False
    )

    def get_context(self, value, parent_context=None):
        """The frame's address: the player on the platform's host, or on its own host with a ticket
        for the signed-in learner (H5P_PLAYER_ORIGIN, h5p/player_origin.py)."""
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        request, page, block_id = parent.get("request"), parent.get("page"), parent.get("block_id")
        origin = player_origin.player_origin()
        context["player_origin"] = origin
        user = getattr(request, "user", None)
        if origin and page and block_id and value.get("content") and user and user.is_authenticated:
            context["player_src"] = player_origin.frame_src(
                request,
                module_id=page.id,
                block_id=block_id,
                content=value["content"],
                allow_editors=privileges_usable(request),
            )
        return context

    class Meta:
        icon = "media"
        label = _("H5P-aktivitet")
        template = "h5p/blocks/h5p.html"


ACTIVITY_BLOCK_TYPES = {"h5p", "quiz", "reflection"}  # blocks whose completion completes the module


def module_activity_blocks() -> list[tuple[str, blocks.Block]]:
    """What this app adds to a module's body (see courses.activities)."""
    return [("h5p", H5PBlock())]
