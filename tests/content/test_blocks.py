import pytest
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from content.blocks import ImageBlock, ModuleBodyBlock, VideoBlock
from courses.models import ModulePage

pytestmark = pytest.mark.django_db


def document(name: str) -> Document:
    doc = Document(title=name)
    doc.file.save(name, ContentFile(b"data"), save=True)
    return doc


def test_rich_text_offers_only_what_courses_need():
    rich_text = ModuleBodyBlock().child_blocks["rich_text"]
    assert rich_text.features == ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    assert rich_text.features is not None and "image" not in rich_text.features


CONTENT_BLOCKS = {"rich_text", "image", "video", "experience_voice", "callout", "document"}


def test_module_body_offers_the_shared_blocks_and_those_of_the_installed_activity_apps():
    assert set(ModuleBodyBlock().child_blocks) == CONTENT_BLOCKS
    body = ModulePage._meta.get_field("body").stream_block
    assert set(body.child_blocks) == CONTENT_BLOCKS | {"h5p", "quiz", "reflection"}


def test_module_body_migrations_describe_the_content_blocks_only():
    """Which activity blocks a body offers depends on the apps a site installs; the courses
    app's migrations must be the same on every site."""
    _name, path, args, _kwargs = ModulePage._meta.get_field("body").deconstruct()
    assert path == "wagtail.fields.StreamField"
    assert {name for name, _index in args[0]} == CONTENT_BLOCKS


def test_image_requires_alt_text():
    block = ImageBlock()
    image = Image.objects.create(title="Bilde", file=get_test_image_file())
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in error.value.block_errors
    value = block.clean(
        block.to_python({"image": image.pk, "alt_text": "To personer i samtale", "caption": ""})
    )
    assert 'alt="To personer i samtale"' in block.render(value)


def video_value(*, embed="", file=None):
    return VideoBlock().to_python(
        {"title": "Film", "embed": embed, "file": file, "transcript": "<p>Hei og velkommen.</p>"}
    )


def test_video_needs_exactly_one_source():
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(video_value())
    clip = document("film.mp4")
    with pytest.raises(StructBlockValidationError):
        block.clean(video_value(embed="https://www.youtube.com/watch?v=abc", file=clip.pk))


def test_video_file_must_be_a_video_format():
    with pytest.raises(StructBlockValidationError) as error:
        VideoBlock().clean(video_value(file=document("notater.pdf").pk))
    assert "file" in error.value.block_errors


def test_video_file_renders_with_its_transcript():
    block = VideoBlock()
    html = block.render(block.clean(video_value(file=document("film.mp4").pk)))
    assert "<video controls" in html
    assert "Vis transkripsjon" in html and "Hei og velkommen." in html


def test_transcript_is_required():
    block = VideoBlock()
    value = block.to_python({"title": "Film", "embed": "", "file": document("f.webm").pk, "transcript": ""})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "transcript" in error.value.block_errors


def test_experience_voice_and_callout_render_semantically():
    body = ModuleBodyBlock()
    value = body.to_python(
        [
            {
                "type": "experience_voice",
                "value": {"quote": "Jeg ble sett.", "name": "Kari", "role": "pårørende"},
            },
            {
                "type": "callout",
                "value": {"kind": "important", "title": "Taushetsplikt", "text": "<p>Husk den.</p>"},
            },
        ]
    )
    html = body.render(value)
    assert "<blockquote" in html and "Jeg ble sett." in html and "Kari" in html and "pårørende" in html
    assert 'role="note"' in html and "Viktig: </span>Taushetsplikt" in html


def test_downloadable_document_shows_type_and_size():
    body = ModuleBodyBlock()
    doc = document("sjekkliste.pdf")
    html = body.render(
        body.to_python([{"type": "document", "value": {"document": doc.pk, "title": "", "description": ""}}])
    )
    assert doc.url in html and "PDF" in html and "sjekkliste" in html
