"""StreamField blocks shared by every page that carries learning content.

Each block has a template in content/templates/content/blocks/ and renders
semantic, accessible HTML. Activity blocks belong to the apps of their
activity kinds (assessments, h5p, ...), which report to the completion
service when a learner is done.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# What course text needs and nothing more: no colours, fonts, tables or raw HTML.
COURSE_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
VIDEO_FILE_EXTENSIONS = (".mp4", ".webm")


class CourseRichTextBlock(blocks.RichTextBlock):
    """Running text with headings, lists and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", COURSE_RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Tekst")
        template = "content/blocks/rich_text.html"


class ImageBlock(blocks.StructBlock):
    """An image that always carries a text alternative for screen readers."""

    image = ImageChooserBlock(label=_("Bilde"))
    alt_text = blocks.CharBlock(
        label=_("Alternativ tekst"),
        max_length=250,
        help_text=_("Beskriv hva bildet viser for dem som ikke ser det."),
    )
    caption = blocks.CharBlock(label=_("Bildetekst"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bilde")
        template = "content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video from an embed address or an uploaded file, always with a transcript."""

    title = blocks.CharBlock(label=_("Tittel"), max_length=200)
    embed = EmbedBlock(label=_("Videoadresse (embed)"), required=False)
    file = DocumentChooserBlock(
        label=_("Videofil (MP4 eller WebM)"),
        required=False,
    )
    transcript = blocks.RichTextBlock(
        label=_("Transkripsjon"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("Påkrevd: tekstversjon av det som sies og vises i videoen (WCAG 1.2)."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        has_embed, has_file = bool(value.get("embed")), bool(value.get("file"))
        if has_embed == has_file:
            if has_embed:
                message = _("Velg enten en videoadresse eller en videofil, ikke begge.")
            else:
                message = _("Legg inn en videoadresse eller velg en videofil.")
            raise StructBlockValidationError(
                block_errors={"embed": ValidationError(message), "file": ValidationError(message)}
            )
        if has_file and not value["file"].file.name.lower().endswith(VIDEO_FILE_EXTENSIONS):
            raise StructBlockValidationError(
                block_errors={"file": ValidationError(_("Videofilen må være MP4 eller WebM."))}
            )
        return value


class ExperienceVoiceBlock(blocks.StructBlock):
    """Erfaringsstemme: experience knowledge in the words of someone who has it."""

    quote = blocks.TextBlock(label=_("Sitat"))
    name = blocks.CharBlock(label=_("Navn"), max_length=120)
    role = blocks.CharBlock(
        label=_("Rolle eller erfaring"),
        max_length=160,
        required=False,
        help_text=_("For eksempel «lever med KOLS» eller «pårørende»."),
    )

    class Meta:
        icon = "openquote"
        label = _("Erfaringsstemme")
        template = "content/blocks/experience_voice.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box for a tip, a fact or something important."""

    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("info", _("Fakta")), ("tip", _("Tips")), ("important", _("Viktig"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Overskrift"), max_length=160)
    text = blocks.RichTextBlock(label=_("Tekst"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Faktaboks")
        template = "content/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    """A document the learner can download, with its type and size shown."""

    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(
        label=_("Lenketekst"),
        max_length=200,
        required=False,
        help_text=_("Tom: dokumentets tittel brukes."),
    )
    description = blocks.TextBlock(label=_("Beskrivelse"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokument til nedlasting")
        template = "content/blocks/document.html"


class ModuleBodyBlock(blocks.StreamBlock):
    """The content blocks a module's body may contain.

    Activity blocks (a quiz, a reflection task, H5P, ...) are not declared here:
    the app of each activity kind contributes its own, and courses adds them
    when it builds ModulePage.body (courses.activities).
    """

    rich_text = CourseRichTextBlock()
    image = ImageBlock()
    video = VideoBlock()
    experience_voice = ExperienceVoiceBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
