"""H5P core's validation rules, one at a time: for each, a small package built in code that
passes and one that fails, plus the real TrueFalse package and variants of it.

The rules are H5P core's (h5p-php-library H5PValidator) and Lumi's (PackageValidator); where
this platform differs on purpose, the README's H5P table says so and a test here shows it.
"""

import copy
import json
import re
import time
import zipfile

import pytest

from core.storage import private_storage
from h5p.models import H5PContent, H5PLibrary, H5PStatus
from h5p.package import inspect_package
from h5p.services import H5PPackageRejected, h5p_content_create
from h5p.validation import PACKAGE, PLAYER_CORE_API
from tests.h5p.packages import FIXTURE, H5P_JSON, LIBRARY_JSON, build, valid_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@test.example", password="x")


def inspect(files: dict):
    return inspect_package(build(files))


def errors(files: dict) -> list[str]:
    return inspect(files).errors


def warnings(files: dict) -> list[str]:
    return inspect(files).warnings


def accepted(files: dict) -> None:
    result = inspect(files)
    assert result.errors == [], result.errors
    assert result.package is not None


def library(**changes) -> dict:
    data = copy.deepcopy(LIBRARY_JSON)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def h5p_json(**changes) -> dict:
    data = copy.deepcopy(H5P_JSON)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def has(messages: list[str], file: str, *parts: str) -> bool:
    return any(m.startswith(f"{file}:") and all(p in m for p in parts) for m in messages)


# --- File types: H5P core's default whitelists ------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "H5P.Test-1.0/apply-when-upgrading.diff",  # the jQuery.ui package
        "H5P.Test-1.0/fix.patch",
        "H5P.Test-1.0/styles/test.css",
        "H5P.Test-1.0/fonts/icons.woff2",
        "H5P.Test-1.0/README.md",
    ],
)
def test_library_files_of_core_types_are_accepted(name):
    accepted(valid_files(**{name: "x"}))


@pytest.mark.parametrize(
    "name",
    [
        "content/notat.docx",
        "content/modell.glb",
        "content/tekst.vtt",
        "content/data.csv",
        "content/endring.diff",
    ],
)
def test_content_files_of_core_types_are_accepted_with_a_warning_when_unused(name):
    result = inspect(valid_files(**{name: "x"}))
    assert result.errors == []
    assert has(result.warnings, name, "bruker ikke denne filen")


@pytest.mark.parametrize(
    "name, where",
    [
        ("H5P.Test-1.0/tool.exe", "et bibliotek"),
        ("H5P.Test-1.0/Makefile", "et bibliotek"),
        ("content/stil.css", "innholdsmappen"),  # scripts and styles belong in libraries only
        ("content/bilde.webp", "innholdsmappen"),  # not in core's default list
    ],
)
def test_files_of_other_types_are_rejected_with_what_to_do(name, where):
    messages = errors(valid_files(**{name: "x"}))
    assert has(messages, name, "er ikke tillatt i " + where, "Fjern filen")


def test_the_whitelists_are_configurable(settings):
    settings.H5P_CONTENT_EXTENSIONS = ["json", "png", "webp"]
    accepted(valid_files(**{"content/bilde.webp": "x"}))
    assert has(errors(valid_files(**{"content/notat.pdf": "x"})), "content/notat.pdf", "ikke tillatt")
    settings.H5P_LIBRARY_EXTRA_EXTENSIONS = ["js", "css", "map"]
    accepted(valid_files(**{"H5P.Test-1.0/test.js.map": "{}"}))


def test_hidden_and_system_files_are_skipped_not_stored(admin, django_capture_on_commit_callbacks):
    files = valid_files(
        **{
            "__MACOSX/H5P.Test-1.0/._library.json": "x",
            ".DS_Store": "x",
            "H5P.Test-1.0/.eslintrc": "x",
            "content/.thumbs": "x",
        }
    )
    result = inspect(files)
    assert result.errors == []
    assert [p.file for p in result.problems] == [PACKAGE]
    assert "4 skjulte filer" in result.warnings[0]
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(files), user=admin, title="Skjult")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert not private_storage.exists("h5p/libraries/H5P.Test-1.0/.eslintrc")
    assert not private_storage.exists(f"{content.content_prefix}.thumbs")


def test_top_level_files_other_than_h5p_json_are_a_warning():
    assert has(
        warnings(valid_files(**{"H5P_CONTENT_HERE.txt": ""})), "H5P_CONTENT_HERE.txt", "blir ikke lagret"
    )


# --- h5p.json -----------------------------------------------------------------------------------


def test_h5p_json_every_missing_field_is_reported_at_once():
    messages = errors(valid_files(**{"h5p.json": {"title": "Bare tittel"}}))
    for field in ("language", "preloadedDependencies", "mainLibrary", "embedTypes"):
        assert has(messages, "h5p.json", f"«{field}» mangler"), messages


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"language": "norsk bokmål"}, "«language» har en ugyldig verdi"),
        ({"title": "x" * 256}, "«title» har en ugyldig verdi"),
        ({"title": "æ" * 128}, "«title» har en ugyldig verdi"),  # core counts bytes: 256
        ({"embedTypes": ["frame"]}, "«frame» er ikke tillatt i «embedTypes»"),
        ({"mainLibrary": "H5P Test"}, "«mainLibrary» har en ugyldig verdi"),
        ({"license": "MIT"}, "«license» har en ugyldig verdi"),
        ({"source": "ftp://eksempel.no"}, "«source» har en ugyldig verdi"),
        ({"authors": [{"name": "Kari"}]}, "authors[0].role» mangler"),
        (
            {
                "preloadedDependencies": [
                    {"machineName": "H5P.Test", "majorVersion": "1", "minorVersion": "x"}
                ]
            },
            "«minorVersion» har en ugyldig verdi",
        ),
        ({"mainLibrary": "H5P.Annet"}, "står ikke blant preloadedDependencies"),
    ],
)
def test_h5p_json_schema_as_core(changes, expected):
    assert has(errors(valid_files(**{"h5p.json": h5p_json(**changes)})), "h5p.json", expected)


def test_h5p_json_with_core_s_optional_fields_is_accepted():
    accepted(
        valid_files(
            **{
                "h5p.json": h5p_json(
                    license="CC BY-SA",
                    licenseVersion="4.0",
                    authors=[{"name": "Kari Nordmann", "role": "Author"}],
                    source="https://h5p.org",
                    language="und",
                    embedTypes=["div", "iframe"],
                )
            }
        )
    )


def test_missing_or_broken_h5p_json_says_so():
    files = valid_files()
    del files["h5p.json"]
    assert has(errors(files), "h5p.json", "Pakken mangler h5p.json")
    assert has(errors(valid_files(**{"h5p.json": "{nei"})), "h5p.json", "ikke gyldig JSON (linje 1")
    assert has(errors(valid_files(**{"h5p.json": "[]"})), "h5p.json", "JSON-objekt")


# --- library.json and library folders -----------------------------------------------------------


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"runnable": True}, "«runnable» har en ugyldig verdi"),  # PHP: a boolean is not 0 or 1
        ({"runnable": 2}, "«runnable» har en ugyldig verdi"),
        ({"patchVersion": None}, "«patchVersion» mangler"),
        ({"title": None}, "«title» mangler"),
        ({"majorVersion": 1.5}, "«majorVersion» har en ugyldig verdi"),
        ({"license": "Apache"}, "«license» har en ugyldig verdi"),
        ({"embedTypes": ["span"]}, "«span» er ikke tillatt"),
        ({"preloadedJs": [{"path": "test.jsx"}]}, "«path» har en ugyldig verdi"),
        ({"preloadedCss": [{"path": "stil.js"}]}, "«path» har en ugyldig verdi"),
        ({"coreApi": {"majorVersion": 1}}, "coreApi.minorVersion» mangler"),
        ({"metadataSettings": {"disable": 0}}, "metadataSettings.disableExtraTitleField» mangler"),
    ],
)
def test_library_json_schema_as_core(changes, expected):
    messages = errors(valid_files(**{"H5P.Test-1.0/library.json": library(**changes)}))
    assert has(messages, "H5P.Test-1.0/library.json", expected), messages


def test_empty_dependency_lists_are_accepted():
    accepted(
        valid_files(**{"H5P.Test-1.0/library.json": library(preloadedDependencies=[], editorDependencies=[])})
    )


def test_a_pathological_script_path_is_refused_quickly():
    start = time.perf_counter()
    messages = errors(
        valid_files(**{"H5P.Test-1.0/library.json": library(preloadedJs=[{"path": "a/" * 3000 + "b.jsx"}])})
    )
    assert time.perf_counter() - start < 2
    assert has(messages, "H5P.Test-1.0/library.json", "«path» har en ugyldig verdi")


def test_a_complete_library_json_is_accepted():
    accepted(
        valid_files(
            **{
                "H5P.Test-1.0/library.json": library(
                    license="MIT",
                    author="Joubel",
                    description="En test",
                    fullscreen=0,
                    embedTypes=["iframe"],
                    metadataSettings={"disable": 0, "disableExtraTitleField": 1},
                    coreApi={"majorVersion": 1, "minorVersion": 19},
                    preloadedCss=[{"path": "styles/test.css"}],
                    dropLibraryCss=[{"machineName": "H5P.Test"}],
                ),
                "H5P.Test-1.0/styles/test.css": ".x{}",
            }
        )
    )


def test_a_folder_that_is_not_a_library_is_rejected():
    messages = errors(valid_files(**{"bilder/a.png": "x"}))
    assert has(messages, "bilder/library.json", "mangler library.json")


def test_broken_library_json_is_rejected_with_the_folder_named():
    messages = errors(valid_files(**{"H5P.Test-1.0/library.json": "{"}))
    assert has(messages, "H5P.Test-1.0/library.json", "ikke gyldig JSON")


def test_library_folder_named_by_machine_name_only_is_accepted_and_installed(
    admin, django_capture_on_commit_callbacks
):
    files = valid_files()
    files["H5P.Test/library.json"] = files.pop("H5P.Test-1.0/library.json")
    files["H5P.Test/test.js"] = files.pop("H5P.Test-1.0/test.js")
    accepted(files)
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(files), user=admin, title="Uten versjon i mappenavnet")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert private_storage.exists("h5p/libraries/H5P.Test-1.0/test.js")


@pytest.mark.parametrize("folder", ["H5P.Test-2.0", "H5P.Annet-1.0", "H5P.Test-1.0.0"])
def test_library_folder_not_matching_library_json_is_rejected(folder):
    files = valid_files()
    files[f"{folder}/library.json"] = files.pop("H5P.Test-1.0/library.json")
    files[f"{folder}/test.js"] = files.pop("H5P.Test-1.0/test.js")
    messages = errors(files)
    assert has(messages, f"{folder}/", "passer ikke med library.json (H5P.Test-1.0)"), messages


def test_the_same_library_twice_is_rejected():
    files = valid_files(**{"H5P.Test/library.json": LIBRARY_JSON, "H5P.Test/test.js": "x"})
    assert any("ligger to ganger" in m for m in errors(files))


@pytest.mark.parametrize("key, name", [("preloadedJs", "mangler.js"), ("preloadedCss", "mangler.css")])
def test_a_preloaded_file_missing_from_its_library_is_rejected(key, name):
    data = library(**{key: [*LIBRARY_JSON.get(key, []), {"path": name}]})
    messages = errors(valid_files(**{"H5P.Test-1.0/library.json": data}))
    assert has(messages, "H5P.Test-1.0/library.json", f"{key} nevner «{name}»", "blank"), messages


def test_preloaded_files_in_subfolders_with_either_slash_are_found():
    accepted(
        valid_files(
            **{
                "H5P.Test-1.0/library.json": library(preloadedJs=[{"path": "js/a.js"}, {"path": "js\\b.js"}]),
                "H5P.Test-1.0/js/a.js": "",
                "H5P.Test-1.0/js/b.js": "",
            }
        )
    )


@pytest.mark.parametrize("name", ["nb.json", "es-mx.json", "zh-hans-cn.json"])
def test_valid_language_files_are_accepted(name):
    accepted(valid_files(**{f"H5P.Test-1.0/language/{name}": {"semantics": []}}))


def test_a_language_file_that_is_not_json_is_rejected():
    messages = errors(valid_files(**{"H5P.Test-1.0/language/nb.json": '{"semantics": [}'}))
    assert has(messages, "H5P.Test-1.0/language/nb.json", "ikke gyldig JSON")


@pytest.mark.parametrize("name", ["nb_NO.json", "norsk.txt.json", "a-b-c-d-e-f-g-h.json"])
def test_a_language_file_with_an_invalid_name_is_rejected(name):
    messages = errors(valid_files(**{f"H5P.Test-1.0/language/{name}": "{}"}))
    assert has(messages, f"H5P.Test-1.0/language/{name}", "Ugyldig navn på språkfil")


def test_semantics_json_must_be_valid_json():
    accepted(valid_files(**{"H5P.Test-1.0/semantics.json": json.dumps([{"name": "q", "type": "text"}])}))
    messages = errors(valid_files(**{"H5P.Test-1.0/semantics.json": "[{"}))
    assert has(messages, "H5P.Test-1.0/semantics.json", "ikke gyldig JSON")


# --- coreApi against the player's core ----------------------------------------------------------


def test_core_api_up_to_the_player_s_is_accepted_and_newer_is_rejected():
    major, minor = PLAYER_CORE_API
    current = {"majorVersion": major, "minorVersion": minor}
    accepted(valid_files(**{"H5P.Test-1.0/library.json": library(coreApi=current)}))
    for newer in (
        {"majorVersion": major, "minorVersion": minor + 1},
        {"majorVersion": major + 1, "minorVersion": 0},
    ):
        messages = errors(valid_files(**{"H5P.Test-1.0/library.json": library(coreApi=newer)}))
        assert has(messages, "H5P.Test-1.0/library.json", "krever H5P core", f"støtter {major}.{minor}"), (
            messages
        )


# --- Dependencies -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["preloadedDependencies", "dynamicDependencies"])
def test_a_dependency_the_player_loads_must_be_packaged_or_installed(kind):
    dependency = [{"machineName": "H5P.Mangler", "majorVersion": 1, "minorVersion": 2}]
    messages = errors(valid_files(**{"H5P.Test-1.0/library.json": library(**{kind: dependency})}))
    assert has(messages, "H5P.Test-1.0/library.json", "Trenger biblioteket H5P.Mangler 1.2")


def test_a_missing_editor_library_is_only_a_warning(admin, django_capture_on_commit_callbacks):
    dependency = [{"machineName": "H5PEditor.Mangler", "majorVersion": 1, "minorVersion": 0}]
    files = valid_files(**{"H5P.Test-1.0/library.json": library(editorDependencies=dependency)})
    result = inspect(files)
    assert result.errors == []
    assert has(result.warnings, "H5P.Test-1.0/library.json", "H5PEditor.Mangler 1.0", "bare for å redigere")
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(files), user=admin, title="Uten redigering")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY


def test_a_dependency_installed_earlier_resolves_a_package_without_it(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(valid_files()), user=admin, title="Først")
    content_only = {"h5p.json": H5P_JSON, "content/content.json": {"question": "Igjen?"}}
    accepted(content_only)
    assert H5PLibrary.objects.count() == 1


def test_an_installed_upgrade_of_the_main_library_does_not_stand_in_for_the_version_named(
    admin, django_capture_on_commit_callbacks
):
    """H5P core (libraryHasUpgrade) accepts a package whose libraries are missing when a newer
    version of its main library is installed, and its editor migrates the content later. Here the
    player loads exactly the versions h5p.json names and nothing migrates content: refused (README)."""
    newer = {
        "h5p.json": h5p_json(
            preloadedDependencies=[{"machineName": "H5P.Test", "majorVersion": "1", "minorVersion": "2"}]
        ),
        "content/content.json": {"question": "Nyere?"},
        "H5P.Test-1.2/library.json": library(minorVersion=2),
        "H5P.Test-1.2/test.js": "window.H5P = window.H5P || {};",
    }
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(newer), user=admin, title="Nyere")
    assert set(H5PLibrary.objects.values_list("machine_name", "minor_version")) == {("H5P.Test", 2)}
    messages = errors({"h5p.json": H5P_JSON, "content/content.json": {"question": "Eldre?"}})
    assert has(messages, "h5p.json", "Trenger biblioteket H5P.Test 1.0"), messages


# --- Content paths ------------------------------------------------------------------------------


VIDEO = {
    "chapters": [
        {"params": {"content": []}},
        {"params": {"sources": [{"path": "https://www.youtube.com/watch?v=abc", "mime": "video/YouTube"}]}},
    ]
}


def test_external_video_sources_are_allowed():
    """The issue's Interactive Book: a YouTube source is not a missing file."""
    vimeo = {"video": {"files": [{"path": "https://vimeo.com/123", "mime": "video/Vimeo"}]}}
    accepted(valid_files(**{"content/content.json": VIDEO}))
    accepted(valid_files(**{"content/content.json": vimeo}))


def video(path: str, mime: str | None) -> dict:
    """An Interactive Video's source as H5PEditor.AV stores it: the link exactly as typed."""
    source = {"path": path} if mime is None else {"path": path, "mime": mime}
    return {"interactiveVideo": {"video": {"files": [source]}}}


@pytest.mark.parametrize(
    "path, mime",
    [
        # H5PEditor.AV's YouTube and Vimeo patterns match addresses typed without a scheme.
        ("youtube.com/watch?v=dQw4w9WgXcQ", "video/YouTube"),
        ("www.youtube.com/watch?v=dQw4w9WgXcQ", "video/YouTube"),
        ("youtu.be/dQw4w9WgXcQ", "video/YouTube"),
        ("vimeo.com/76979871", "video/Vimeo"),
        ("vimeo.com/76979871", "audio/Vimeo"),  # the widget is shared by audio fields
        # Protocol-relative, whatever the type.
        ("//www.youtube.com/watch?v=dQw4w9WgXcQ", "video/YouTube"),
        ("//cdn.example.no/film.mp4", "video/mp4"),
        ("//vimeo.com/76979871", None),
        # Panopto and Echo360 sources: the provider's type, however the link is written.
        ("https://uit.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=abc", "video/Panopto"),
        ("uit.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=abc", "video/Panopto"),
        ("https://echo360.org.uk/media/abc/h5p", "video/Echo360"),
        ("youtube.com/watch?v=dQw4w9WgXcQ", "VIDEO/YOUTUBE"),  # the type is read case-blind
    ],
)
def test_video_links_as_h5p_s_editor_stores_them_are_external(path, mime):
    """Neither a missing file nor a path out of the content folder: played from the service."""
    result = inspect(valid_files(**{"content/content.json": video(path, mime)}))
    assert result.errors == [], result.errors
    not_playable = [w for w in result.warnings if "vil ikke spilles av" in w]
    # The player's Content-Security-Policy lets in YouTube and Vimeo only (h5p.views VIDEO_*): for
    # other sites the package is accepted, as H5P core accepts it, with a warning that says so.
    plays = any(host in path for host in ("youtube.com", "youtu.be", "vimeo.com"))
    assert (not_playable == []) == plays, result.warnings
    assert not any("content.json" in w and "vil ikke spilles av" not in w for w in result.warnings)


@pytest.mark.parametrize(
    "path, plays",
    [
        ("https://www.youtube.com/watch?v=abc", True),
        ("https://www.youtube-nocookie.com/embed/abc", True),
        ("https://player.vimeo.com/video/123", True),
        ("https://cdn.example.no/film.mp4", False),
        ("https://www.youtube.com.example.no/film.mp4", False),
        ("https://example.no/youtube.com/film.mp4", False),
    ],
)
def test_only_youtube_and_vimeo_links_play_other_sites_get_a_warning(path, plays):
    result = inspect(valid_files(**{"content/content.json": video(path, "video/mp4")}))
    assert result.errors == [], result.errors
    warned = [w for w in result.warnings if "vil ikke spilles av" in w and path in w]
    assert (warned == []) == plays, result.warnings


@pytest.mark.parametrize("path", ["youtube.com/watch?v=dQw4w9WgXcQ", "www.example.no/film.mp4"])
@pytest.mark.parametrize("mime", [None, "video/mp4", "video/unknown"])
def test_an_address_without_scheme_not_marked_as_a_video_service_says_to_add_https(path, mime):
    """H5P's player reads such a source as a file of the content folder: it would not play."""
    messages = errors(valid_files(**{"content/content.json": video(path, mime)}))
    assert has(messages, "content/content.json", f"«{path}»", "nettadresse uten «https://»"), messages


def test_a_video_service_type_does_not_open_other_schemes():
    messages = errors(valid_files(**{"content/content.json": video("javascript:alert(1)", "video/YouTube")}))
    assert has(messages, "content/content.json", "bare filer i pakken og http(s)-adresser er tillatt")


def test_a_local_file_named_like_a_host_is_still_a_local_file():
    content = {"image": {"path": "www.logo.png", "mime": "image/png"}}
    accepted(valid_files(**{"content/content.json": content, "content/www.logo.png": "x"}))
    messages = errors(valid_files(**{"content/content.json": content}))
    assert has(messages, "content/content.json", "«www.logo.png»")


def test_a_local_file_content_json_names_must_be_in_the_package():
    content = {"image": {"path": "images/bilde.png", "mime": "image/png"}}
    messages = errors(valid_files(**{"content/content.json": content}))
    assert has(
        messages, "content/content.json", "image.path viser til filen «images/bilde.png»", "Legg filen i"
    )
    assert not any(m.startswith("h5p.json") for m in messages)
    accepted(valid_files(**{"content/content.json": content, "content/images/bilde.png": "x"}))


def test_an_editor_tmp_marker_is_not_part_of_the_file_name():
    content = {"image": {"path": "images/bilde.png#tmp", "mime": "image/png"}}
    accepted(valid_files(**{"content/content.json": content, "content/images/bilde.png": "x"}))


@pytest.mark.parametrize(
    "path", ["../../h5p.json", "/etc/passwd", "javascript:alert(1)", "file:///etc/passwd"]
)
def test_content_paths_outside_the_package_or_web_are_rejected(path):
    messages = errors(valid_files(**{"content/content.json": {"file": {"path": path, "mime": "text/plain"}}}))
    assert has(messages, "content/content.json", "file.path viser til"), messages


# --- Every problem at once, grouped by file -----------------------------------------------------


def test_every_problem_is_reported_at_once_by_file():
    files = valid_files(
        **{
            "h5p.json": h5p_json(language="norsk bokmål"),
            "content/content.json": {"image": {"path": "bilde.png", "mime": "image/png"}},
            "H5P.Test-1.0/library.json": library(preloadedJs=[{"path": "test.js"}, {"path": "borte.js"}]),
            "H5P.Test-1.0/language/nb.json": "{",
            "H5P.Test-1.0/tool.exe": "x",
            "content/ubrukt.png": "x",
        }
    )
    result = inspect(files)
    files_with_errors = {p.file for p in result.problems if not p.warning}
    assert files_with_errors == {
        "h5p.json",
        "content/content.json",
        "H5P.Test-1.0/library.json",
        "H5P.Test-1.0/language/nb.json",
        "H5P.Test-1.0/tool.exe",
    }
    assert {p.file for p in result.problems if p.warning} == {"content/ubrukt.png"}


def test_a_rejection_carries_the_problems_by_file(admin):
    with pytest.raises(H5PPackageRejected) as rejected:
        h5p_content_create(
            data=build(valid_files(**{"H5P.Test-1.0/x.exe": "x", "content/ubrukt.png": "x"})),
            user=admin,
            title="x",
        )
    assert {(p.file, p.warning) for p in rejected.value.problems} == {
        ("H5P.Test-1.0/x.exe", False),
        ("content/ubrukt.png", True),
    }
    assert not H5PContent.objects.exists()


# --- The real TrueFalse package and variants of it ----------------------------------------------


def real_files() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURE) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def test_the_real_true_false_package_passes_with_only_its_stray_file_warned():
    result = inspect_package(FIXTURE.read_bytes())
    assert result.errors == []
    assert [p.file for p in result.problems] == ["H5P_CONTENT_HERE.txt"]
    assert len(result.package.libraries) == 10


def test_the_real_package_without_a_preloaded_script_is_rejected():
    files = real_files()
    metadata = json.loads(files["H5P.TrueFalse-1.6/library.json"])
    missing = metadata["preloadedJs"][0]["path"]
    del files[f"H5P.TrueFalse-1.6/{missing}"]
    messages = errors(files)
    assert has(messages, "H5P.TrueFalse-1.6/library.json", f"«{missing}»"), messages


def test_the_real_package_with_a_broken_language_file_and_a_newer_core_api_lists_both():
    files = real_files()
    language = next(name for name in files if name.startswith("H5P.TrueFalse-1.6/language/"))
    files[language] = files[language][:-5]
    metadata = json.loads(files["H5P.Question-1.4/library.json"])
    metadata["coreApi"] = {"majorVersion": 9, "minorVersion": 0}
    files["H5P.Question-1.4/library.json"] = json.dumps(metadata).encode()
    messages = errors(files)
    assert has(messages, language, "ikke gyldig JSON")
    assert has(messages, "H5P.Question-1.4/library.json", "krever H5P core 9.0")


def test_the_real_package_renamed_library_folder_is_rejected():
    files = {
        (name.replace("H5P.Transition-1.0/", "H5P.Overgang-1.0/", 1)): payload
        for name, payload in real_files().items()
    }
    messages = errors(files)
    assert has(messages, "H5P.Overgang-1.0/", "passer ikke med library.json (H5P.Transition-1.0)")


# --- The upload form: the report under the field ----------------------------------------------


def test_admin_upload_shows_the_grouped_report_and_names_the_file_to_choose_again(client, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(admin)
    package = build(
        valid_files(
            **{
                "H5P.Test-1.0/library.json": library(preloadedJs=[{"path": "borte.js"}]),
                "content/content.json": VIDEO | {"bilde": {"path": "mangler.png", "mime": "image/png"}},
                "content/ubrukt.png": "x",
            }
        )
    )
    response = client.post(
        reverse("wagtailsnippets_h5p_h5pcontent:add"),
        {"upload": SimpleUploadedFile("min-bok.h5p", package), "title": "Boka"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["upload"] == [
        "Pakken «min-bok.h5p» ble ikke lastet opp: den har 2 feil. Se rapporten under feltet."
    ]
    page = response.content.decode()
    report = page[page.index('id="h5p-upload-report"') :]
    assert "Rapport for «min-bok.h5p»" in report
    assert "velg så «min-bok.h5p»" in report  # the file input cannot be refilled
    assert report.index("<code>content/content.json</code>") < report.index("<code>content/ubrukt.png</code>")
    assert "<code>H5P.Test-1.0/library.json</code>" in report and "borte.js" in report
    assert "Advarsel:" in report and "bruker ikke denne filen" in report
    assert "youtube" not in report.lower()  # the external video is no problem
    # The field is described by its error and the report; the script moves the focus there.
    file_input = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert re.search(r'aria-describedby="[^"]*upload-errors h5p-upload-report"', file_input), file_input
    assert 'aria-invalid="true"' in file_input
    assert "js/h5p-upload-report.js" in page
    assert 'value="Boka"' in page  # the other fields keep their values
    assert not H5PContent.objects.exists()


def test_admin_upload_of_an_accepted_package_keeps_its_warnings(
    client, admin, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_h5p_h5pcontent:add"),
            {
                "upload": SimpleUploadedFile("ok.h5p", build(valid_files(**{"content/ubrukt.png": "x"}))),
                "title": "OK",
            },
        )
    assert response.status_code == 302
    assert any("content/ubrukt.png" in warning for warning in H5PContent.objects.get().warnings)
