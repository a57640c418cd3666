"""H5P package validation, rule for rule as H5P core validates an upload.

The rules follow H5P core's PHP reference implementation (h5p-php-library,
class H5PValidator in h5p.classes.php: isValidPackage, getLibraryData,
isValidH5pData with the $h5pRequired/$h5pOptional and
$libraryRequired/$libraryOptional schemas) and the community Node server
(Lumi's h5p-nodejs-library, PackageValidator). Where the two differ, or
where this platform deliberately differs from both, the README's H5P table
says so. The archive's safety (sizes, ZIP bombs, paths, links) is checked
before this, by h5p.archive.

Every problem is collected, none stops the others: the result is a list of
Problem, each naming the file to fix and what to do, in Norwegian. Warnings
never reject a package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import app_settings

#: The H5P core API the player implements. The player is h5p-standalone 3.8.2 (package.json,
#: node_modules), which bundles H5P core's JavaScript and styles from h5p-php-library 1.27: its
#: dist/fonts hold h5p-core-30.woff2 and h5p-theme.woff2, which came with core 1.27, and core
#: 1.27 declares H5PCore::$coreApi = 1.27. A library whose library.json asks for a newer
#: coreApi needs functions this player lacks. Update this when the player is upgraded.
PLAYER_CORE_API = (1, 27)

#: The whole package, for problems that belong to no one file.
PACKAGE = "(pakken)"

# --- H5P core's schemas (H5PValidator), as regular expressions over UTF-8 bytes --------------
# PHP's preg_match without /u counts bytes and its \w is ASCII: bytes patterns match that.


def _re(pattern: str, *, ignore_case: bool = False) -> re.Pattern[bytes]:
    return re.compile(pattern.encode(), re.IGNORECASE if ignore_case else 0)


_MACHINE_NAME = _re(r"^[\w0-9\-\.]{1,255}$", ignore_case=True)
_VERSION = _re(r"^[0-9]{1,5}$")
_TEXT_255 = _re(r"^.{1,255}$")
_TEXT = _re(r"^.{1,}$")
_TEXT_5000 = _re(r"^.{1,5000}$")
_ZERO_ONE = _re(r"^(0|1)$")
_SIZE = _re(r"^[0-9]{1,4}$")
_DEPENDENCY = {"machineName": _MACHINE_NAME, "majorVersion": _VERSION, "minorVersion": _VERSION}
_EMBED_TYPES = ("iframe", "div")
# Core's path patterns are /^((\\|\/)?[a-z_\-\s0-9\.]+)+\.(js|css)$/i; these match the same
# names without nested repetition, so a long file name cannot make the match take forever.
_JS_PATH = _re(r"^[\\/]?[a-z_\-\s0-9\.]+(?:[\\/][a-z_\-\s0-9\.]+)*\.js$", ignore_case=True)
_CSS_PATH = _re(r"^[\\/]?[a-z_\-\s0-9\.]+(?:[\\/][a-z_\-\s0-9\.]+)*\.css$", ignore_case=True)
# Core: /^(-?[a-z]+){1,7}\.json$/i, written without nested repetition.
LANGUAGE_FILE = re.compile(r"^-?[a-z]+(?:-[a-z]+){0,6}\.json$", re.IGNORECASE)

H5P_REQUIRED: dict[str, Any] = {
    "title": _TEXT_255,
    "language": _re(r"^[-a-zA-Z]{1,10}$"),
    "preloadedDependencies": _DEPENDENCY,
    "mainLibrary": _re(r"^[$a-z_][0-9a-z_\.$]{1,254}$", ignore_case=True),
    "embedTypes": _EMBED_TYPES,
}
H5P_OPTIONAL: dict[str, Any] = {
    "contentType": _TEXT_255,
    "dynamicDependencies": _DEPENDENCY,
    "author": _TEXT_255,
    "authors": {"name": _TEXT_255, "role": _re(r"^\w+$")},
    "source": _re(r"^(http[s]?://.+)$"),
    "license": _re(
        r"^(CC BY|CC BY-SA|CC BY-ND|CC BY-NC|CC BY-NC-SA|CC BY-NC-ND|CC0 1\.0|GNU GPL|PD|ODC PDDL|"
        r"CC PDM|U|C)$"
    ),
    "licenseVersion": _re(r"^(1\.0|2\.0|2\.5|3\.0|4\.0)$"),
    "licenseExtras": _TEXT_5000,
    "yearsFrom": _re(r"^([0-9]{1,4})$"),
    "yearsTo": _re(r"^([0-9]{1,4})$"),
    "changes": {
        "date": _re(r"^[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}$"),
        "author": _TEXT_255,
        "log": _TEXT_5000,
    },
    "authorComments": _TEXT_5000,
    "w": _SIZE,
    "h": _SIZE,
    "metaKeywords": _TEXT,
    "metaDescription": _TEXT,
}
LIBRARY_REQUIRED: dict[str, Any] = {
    "title": _TEXT_255,
    "majorVersion": _VERSION,
    "minorVersion": _VERSION,
    "patchVersion": _VERSION,
    "machineName": _MACHINE_NAME,
    "runnable": _ZERO_ONE,
}
LIBRARY_OPTIONAL: dict[str, Any] = {
    "author": _TEXT_255,
    "license": _re(
        r"^(cc-by|cc-by-sa|cc-by-nd|cc-by-nc|cc-by-nc-sa|cc-by-nc-nd|pd|cr|MIT|GPL1|GPL2|GPL3|MPL|MPL2)$"
    ),
    "description": _TEXT,
    "metadataSettings": {"disable": _ZERO_ONE, "disableExtraTitleField": _ZERO_ONE},
    "dynamicDependencies": _DEPENDENCY,
    "preloadedDependencies": _DEPENDENCY,
    "editorDependencies": _DEPENDENCY,
    "preloadedJs": {"path": _JS_PATH},
    "preloadedCss": {"path": _CSS_PATH},
    "dropLibraryCss": {"machineName": _MACHINE_NAME},
    "w": _SIZE,
    "h": _SIZE,
    "embedTypes": _EMBED_TYPES,
    "fullscreen": _ZERO_ONE,
    "coreApi": {"majorVersion": _VERSION, "minorVersion": _VERSION},
}

# What a field must look like, said to the person who fixes it.
FIELD_HINTS = {
    "title": gettext_lazy("en tittel på 1–255 tegn"),
    "language": gettext_lazy("en språkkode som «nb», «en» eller «und»"),
    "machineName": gettext_lazy("et maskinnavn som «H5P.TrueFalse» (bokstaver, tall, _, - og .)"),
    "mainLibrary": gettext_lazy("maskinnavnet til hovedbiblioteket, som «H5P.TrueFalse»"),
    "majorVersion": gettext_lazy("et heltall"),
    "minorVersion": gettext_lazy("et heltall"),
    "patchVersion": gettext_lazy("et heltall"),
    "runnable": gettext_lazy("0 eller 1"),
    "fullscreen": gettext_lazy("0 eller 1"),
    "source": gettext_lazy("en adresse som begynner med http:// eller https://"),
    "path": gettext_lazy("en relativ filsti til en .js- eller .css-fil"),
}


@dataclass(frozen=True)
class Problem:
    """One problem: the file to fix (a path in the package, or PACKAGE) and what to do."""

    file: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return self.message if self.file == PACKAGE else f"{self.file}: {self.message}"


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    #: library folder → its library.json, for every library folder whose library.json could be read
    libraries: dict[str, dict] = field(default_factory=dict)
    h5p_json: dict | None = None
    content_json: dict | None = None

    def error(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, message))

    def warn(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


# --- Which files H5P reads -----------------------------------------------------------------


def is_ignored(name: str) -> bool:
    """H5P core skips (neither checks nor extracts) every file or folder whose name starts with
    «.» or «_» (/(^[\\._]|\\/[\\._])/ in isValidPackage): .DS_Store, __MACOSX/ and the like."""
    return any(part[:1] in {".", "_"} for part in name.split("/") if part)


def is_metadata(name: str) -> bool:
    """The JSON files validation reads: h5p.json, content.json, and each library's library.json,
    semantics.json and language files."""
    if name in {"h5p.json", "content/content.json"}:
        return True
    parts = name.split("/")
    if len(parts) == 2 and parts[0] != "content":
        return parts[1] in {"library.json", "semantics.json"}
    return len(parts) == 3 and parts[0] != "content" and parts[1] == "language"


def content_extensions() -> frozenset[str]:
    return frozenset(ext.lower() for ext in app_settings.H5P_CONTENT_EXTENSIONS)


def library_extensions() -> frozenset[str]:
    return content_extensions() | frozenset(ext.lower() for ext in app_settings.H5P_LIBRARY_EXTRA_EXTENSIONS)


# Named separately: markup and code in the content folder would run on the player's origin.
MARKUP_AND_CODE = frozenset(
    {"html", "htm", "xhtml", "php", "phtml", "js", "mjs", "py", "sh", "cgi", "asp", "aspx", "jsp"}
)


def extension_of(name: str) -> str:
    """The file type, lower case, as PurePosixPath(name).suffix without its dot (faster)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot + 1 :].lower() if 0 < dot < len(base) - 1 else ""


# --- The rules ------------------------------------------------------------------------------


def validate(
    names: Iterable[str],
    payloads: dict[str, bytes],
    *,
    installed: Callable[[set[str]], set[tuple[str, int, int]]],
) -> Validation:
    """Validate a package from its member names (files, not folders) and the JSON files read
    (is_metadata). `installed(machine_names)` gives the library versions the store has
    among those names, as (machineName, major, minor)."""
    result = Validation()
    names = [name for name in names if not name.endswith("/")]
    ignored = [name for name in names if is_ignored(name)]
    names = [name for name in names if not is_ignored(name)]
    present = set(names)
    if ignored:
        result.warn(
            PACKAGE,
            _(
                "%(count)s skjulte filer eller systemfiler (navn som begynner med «.» eller «_», for "
                "eksempel %(example)s) hoppes over og lagres ikke, slik H5P gjør."
            )
            % {"count": len(ignored), "example": ignored[0]},
        )
    _check_extensions(result, names)
    for name in names:
        if "/" not in name and name != "h5p.json":
            result.warn(
                name,
                _("Filen ligger utenfor H5P-strukturen og blir ikke lagret. Du trenger ikke gjøre noe."),
            )
    _check_h5p_json(result, present, payloads)
    _check_content_json(result, present, payloads)
    folders = sorted({name.split("/", 1)[0] for name in names if "/" in name} - {"content"})
    for folder in folders:
        _check_library(result, folder, present, payloads)
    _check_dependencies(result, installed)
    return result


def _check_extensions(result: Validation, names: list[str]) -> None:
    content_allowed, library_allowed = content_extensions(), library_extensions()
    for name in names:
        if "/" not in name:
            continue  # top-level files other than h5p.json are neither read nor stored
        extension = extension_of(name)
        in_content = name.startswith("content/")
        allowed = content_allowed if in_content else library_allowed
        if extension in allowed:
            continue
        if in_content and extension in MARKUP_AND_CODE:
            result.error(
                name,
                _("HTML- og skriptfiler er ikke tillatt i innholdsmappen. Fjern filen fra pakken."),
            )
            continue
        result.error(
            name,
            _(
                "Filtypen %(extension)s er ikke tillatt i %(where)s. Fjern filen, eller lagre den i "
                "en tillatt filtype: %(allowed)s."
            )
            % {
                "extension": f".{extension}" if extension else _("(uten filendelse)"),
                "where": _("innholdsmappen") if in_content else _("et bibliotek"),
                "allowed": ", ".join(sorted(allowed)),
            },
        )


def _parse_json(result: Validation, name: str, payload: bytes) -> tuple[bool, Any]:
    """(True, value) for valid JSON; PHP's json_decode also refuses a bare null."""
    try:
        value = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        result.error(
            name, _("Filen er ikke lagret som UTF-8-tekst. Lagre den som UTF-8 og last opp på nytt.")
        )
        return False, None
    except json.JSONDecodeError as error:
        result.error(
            name,
            _("Filen er ikke gyldig JSON (linje %(line)s, kolonne %(column)s: %(reason)s). Rett feilen.")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg},
        )
        return False, None
    if value is None:
        result.error(name, _("Filen er ikke gyldig JSON (den er tom eller «null»). Rett filen."))
        return False, None
    return True, value


def _check_h5p_json(result: Validation, present: set[str], payloads: dict[str, bytes]) -> None:
    if "h5p.json" not in present:
        result.error(
            "h5p.json",
            _(
                "Pakken mangler h5p.json. Er filen en H5P-pakke? Last den ned på nytt fra "
                "H5P-verktøyet («Last ned»/«Reuse»)."
            ),
        )
        return
    ok, data = _parse_json(result, "h5p.json", payloads.get("h5p.json", b""))
    if not ok:
        return
    if not isinstance(data, dict):
        result.error("h5p.json", _("h5p.json må være et JSON-objekt ({ … })."))
        return
    result.h5p_json = data
    _check_schema(result, "h5p.json", data, H5P_REQUIRED, H5P_OPTIONAL)
    _check_core_api(result, "h5p.json", data, data.get("title"))
    main = data.get("mainLibrary")
    preloaded = data.get("preloadedDependencies")
    if (
        isinstance(main, str)
        and isinstance(preloaded, list)
        and not any(isinstance(dep, dict) and dep.get("machineName") == main for dep in preloaded)
    ):
        result.error(
            "h5p.json",
            _(
                "Hovedbiblioteket «%(main)s» (mainLibrary) står ikke blant preloadedDependencies. "
                "Eksporter pakken på nytt fra H5P-verktøyet."
            )
            % {"main": main},
        )


def _check_content_json(result: Validation, present: set[str], payloads: dict[str, bytes]) -> None:
    name = "content/content.json"
    if name not in present:
        result.error(
            name,
            _("Pakken mangler content/content.json (innholdet). Last ned pakken på nytt fra H5P-verktøyet."),
        )
        return
    ok, data = _parse_json(result, name, payloads.get(name, b""))
    if not ok:
        return
    if not isinstance(data, dict):
        result.error(name, _("content.json må være et JSON-objekt ({ … })."))
        return
    result.content_json = data
    used: set[str] = set()
    for json_path, value, mime in content_files(data):
        target = value.split("#", 1)[0]  # the editor marks new files «…#tmp»
        scheme = _SCHEME.match(target)
        if scheme:
            if scheme.group(1).lower() not in {"http", "https"}:
                result.error(
                    name,
                    _("%(where)s viser til «%(path)s»; bare filer i pakken og http(s)-adresser er tillatt.")
                    % {"where": json_path, "path": value},
                )
            _warn_unless_playable(result, name, json_path, value, target, mime)
            continue  # external media (YouTube, Vimeo, a web address): played from there
        if is_external(target, mime):
            _warn_unless_playable(result, name, json_path, value, target, mime)
            continue  # a link as typed in H5P's editor: «//host/…», or a YouTube/Vimeo/… source
        if target.startswith(("/", "\\")) or any(part == ".." for part in target.split("/")):
            result.error(
                name,
                _("%(where)s viser til «%(path)s», som peker ut av innholdsmappen. Bruk en fil i content/.")
                % {"where": json_path, "path": value},
            )
            continue
        local = f"content/{target}"
        used.add(local)
        if local not in present and _HOST_LIKE.match(target):
            result.error(
                name,
                _(
                    "%(where)s viser til «%(path)s», som ser ut som en nettadresse uten «https://», men "
                    "ikke er merket som en video fra YouTube, Vimeo eller lignende, og filen er ikke med i "
                    "pakken. Skriv adressen med https:// foran i H5P-verktøyet og eksporter på nytt."
                )
                % {"where": json_path, "path": target},
            )
        elif local not in present:
            result.error(
                name,
                _(
                    "%(where)s viser til filen «%(path)s», som ikke er med i pakken. Legg filen i "
                    "content/%(path)s, eller fjern den fra innholdet i H5P-verktøyet og eksporter på nytt."
                )
                % {"where": json_path, "path": target},
            )
    for other in sorted(present):
        if other.startswith("content/") and other != name and other not in used:
            result.warn(
                other,
                _("Innholdet (content.json) bruker ikke denne filen. Den lagres likevel; du kan fjerne den."),
            )


#: A URL scheme («https:», «javascript:»).
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: The «mime» H5P's editor (H5PEditor.AV: useUrl, C.providers) gives a link to a video service
#: instead of a file type: «video/» or «audio/» and the provider's name. H5P's video handlers
#: (H5P.VideoYouTube, H5P.VideoVimeo, H5P.VideoPanopto, H5P.VideoEchoVideo) play such a source
#: from the service and never read it as a file of the content folder.
EXTERNAL_SOURCE_TYPES = frozenset(
    f"{kind}/{provider}"
    for kind in ("video", "audio")
    for provider in ("youtube", "vimeo", "panopto", "echo360")
)
#: A web address typed without its scheme: H5PEditor.AV stores the link exactly as typed, and its
#: YouTube and Vimeo patterns also match «youtube.com/watch?v=…», «youtu.be/…», «vimeo.com/…».
_HOST_LIKE = re.compile(
    r"^(?:www\.[^/]+|(?:[a-z0-9-]+\.)*(?:youtube(?:-nocookie)?\.com|youtu\.be|y2u\.be|vimeo\.com))(?:[/?#:]|$)",
    re.IGNORECASE,
)


#: What the player's Content-Security-Policy lets in from other sites (h5p.views: VIDEO_*):
#: YouTube's and Vimeo's players, through H5P.Video's handlers for them.
_PLAYABLE_ELSEWHERE = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*:)?(?://)?(?:[a-z0-9-]+\.)*(?:youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com)(?:[/?#:]|$)",
    re.IGNORECASE,
)
_PLAYABLE_TYPES = frozenset({"video/youtube", "video/vimeo"})


def _warn_unless_playable(
    result: Validation, name: str, json_path: str, value: str, target: str, mime
) -> None:
    """A warning for a link the player will not load: it plays media from other sites only from
    YouTube and Vimeo (its Content-Security-Policy refuses the rest). H5P core accepts such links,
    so the package is not refused; the course holder is told before learners find out."""
    provider_type = isinstance(mime, str) and mime.strip().lower() in _PLAYABLE_TYPES
    if provider_type or _PLAYABLE_ELSEWHERE.match(target):
        return
    result.warn(
        name,
        _(
            "%(where)s henter «%(path)s» fra en annen nettside. Spilleren viser bare video fra YouTube "
            "og Vimeo fra andre nettsider, så denne vil ikke spilles av. Legg filen i pakken i stedet."
        )
        % {"where": json_path, "path": value},
    )


def is_external(path: str, mime: Any = None) -> bool:
    """Whether a content.json file object is a link, not a file of the content folder: a
    protocol-relative address («//www.youtube.com/…»), or a source whose «mime» names a video
    service (EXTERNAL_SOURCE_TYPES), whatever form the address has (with or without a scheme).
    http(s) addresses are checked by the caller; other schemes are never external."""
    if path.startswith("//"):
        return True
    return isinstance(mime, str) and mime.strip().lower() in EXTERNAL_SOURCE_TYPES


def content_files(value: Any, path: str = "content.json") -> list[tuple[str, str, Any]]:
    """(where, path, mime) for every file object in content.json: H5P stores images, audio, video
    and files as {"path": …, "mime": …, "copyright": …}."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        file_path = value.get("path")
        if isinstance(file_path, str) and ("mime" in value or "copyright" in value or "." in file_path):
            found.append((f"{path}.path", file_path, value.get("mime")))
        for key, item in value.items():
            if key != "path":
                found.extend(content_files(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(content_files(item, f"{path}[{index}]"))
    return found


def _check_library(result: Validation, folder: str, present: set[str], payloads: dict[str, bytes]) -> None:
    library_json = f"{folder}/library.json"
    if not _MACHINE_NAME.match(folder.encode()):
        result.error(
            f"{folder}/",
            _("Mappenavnet «%(folder)s» er ikke et gyldig biblioteknavn (bokstaver, tall, _, - og .).")
            % {"folder": folder},
        )
        return
    if library_json not in present:
        result.error(
            library_json,
            _(
                "Mappen «%(folder)s» mangler library.json. Hver mappe ved siden av content/ må være et "
                "H5P-bibliotek; fjern mappen eller eksporter pakken på nytt."
            )
            % {"folder": folder},
        )
        return
    ok, data = _parse_json(result, library_json, payloads.get(library_json, b""))
    semantics = f"{folder}/semantics.json"
    if semantics in present:
        _parse_json(result, semantics, payloads.get(semantics, b""))
    for name in sorted(n for n in present if n.startswith(f"{folder}/language/")):
        file_name = name.removeprefix(f"{folder}/language/")
        if not LANGUAGE_FILE.match(file_name):
            result.error(
                name, _("Ugyldig navn på språkfil; den skal hete som en språkkode, for eksempel «nb.json».")
            )
            continue
        _parse_json(result, name, payloads.get(name, b""))
    if not ok:
        return
    if not isinstance(data, dict):
        result.error(library_json, _("library.json må være et JSON-objekt ({ … })."))
        return
    _check_schema(result, library_json, data, LIBRARY_REQUIRED, LIBRARY_OPTIONAL)
    _check_core_api(result, library_json, data, data.get("title") or folder)
    for key in ("preloadedJs", "preloadedCss"):
        for item in data.get(key) or [] if isinstance(data.get(key), list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                path = item["path"].replace("\\", "/").lstrip("/")
                if f"{folder}/{path}" not in present:
                    result.error(
                        library_json,
                        _(
                            "%(key)s nevner «%(path)s», men filen finnes ikke i %(folder)s/. Uten den blir "
                            "aktiviteten blank. Legg filen inn, eller eksporter pakken på nytt."
                        )
                        % {"key": key, "path": path, "folder": folder},
                    )
    identity = [data.get(k) for k in ("machineName", "majorVersion", "minorVersion")]
    if not (
        _scalar(identity[0])
        and _MACHINE_NAME.match(_scalar(identity[0]))
        and all(_scalar(v) and _VERSION.match(_scalar(v)) for v in identity[1:])
    ):
        return  # reported by the schema check; the folder cannot be compared with it
    expected = f"{data['machineName']}-{data['majorVersion']}.{data['minorVersion']}"
    if folder not in {data["machineName"], expected}:
        result.error(
            f"{folder}/",
            _(
                "Mappenavnet «%(folder)s» passer ikke med library.json (%(expected)s). Gi mappen navnet "
                "«%(expected)s» eller «%(name)s»."
            )
            % {"folder": folder, "expected": expected, "name": data["machineName"]},
        )
        return
    key = (data["machineName"], int(data["majorVersion"]), int(data["minorVersion"]))
    for other, other_data in result.libraries.items():
        if _library_key(other_data) == key:
            result.error(
                f"{folder}/",
                _(
                    "Biblioteket %(library)s ligger to ganger i pakken (%(other)s/ og %(folder)s/). "
                    "Fjern den ene."
                )
                % {"library": _label(key), "other": other, "folder": folder},
            )
            return
    result.libraries[folder] = data


def _library_key(data: dict) -> tuple[str, int, int]:
    return (data["machineName"], int(data["majorVersion"]), int(data["minorVersion"]))


def _label(key: tuple[str, int, int]) -> str:
    return f"{key[0]} {key[1]}.{key[2]}"


def _check_core_api(result: Validation, file: str, data: dict, title: Any) -> None:
    """isValidH5pData: a coreApi newer than the player's is refused (none means 1.0)."""
    core_api = data.get("coreApi")
    if not isinstance(core_api, dict) or not core_api:
        return
    try:
        wanted = (int(core_api.get("majorVersion", 0)), int(core_api.get("minorVersion", 0)))
    except (TypeError, ValueError):
        return  # the schema check has reported it
    if wanted > PLAYER_CORE_API:
        result.error(
            file,
            _(
                "«%(title)s» krever H5P core %(wanted)s, men spilleren her støtter %(current)s. Bruk en "
                "eldre versjon av innholdstypen, eller be en administrator oppgradere spilleren."
            )
            % {
                "title": title,
                "wanted": "{}.{}".format(*wanted),
                "current": "{}.{}".format(*PLAYER_CORE_API),
            },
        )


def _check_schema(result: Validation, file: str, data: dict, required: dict, optional: dict) -> None:
    for key, requirement in required.items():
        if data.get(key) is None:  # PHP isset(): a null value counts as missing
            result.error(
                file,
                _("Feltet «%(field)s» mangler. Eksporter pakken på nytt fra H5P-verktøyet.") % {"field": key},
            )
        else:
            _check_requirement(result, file, key, data[key], requirement)
    for key, requirement in optional.items():
        if key in data and data[key] is not None:
            _check_requirement(result, file, key, data[key], requirement)


def _scalar(value: Any) -> bytes | None:
    """What PHP's preg_match sees: strings and integers (never booleans, floats, arrays)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, str):
        return value.encode()
    return None


def _check_requirement(result: Validation, file: str, key: str, value: Any, requirement: Any) -> None:
    """isValidRequirement: a pattern, a set of allowed options, or sub-fields of an object (or of
    every object in a list)."""
    if isinstance(requirement, re.Pattern):
        scalar = _scalar(value)
        if scalar is None or not requirement.match(scalar):
            hint = FIELD_HINTS.get(key)
            message = _("Feltet «%(field)s» har en ugyldig verdi (%(value)s).") % {
                "field": key,
                "value": json.dumps(value, ensure_ascii=False)[:80],
            }
            if hint:
                message += " " + _("Det skal være %(hint)s.") % {"hint": hint}
            result.error(file, message)
        return
    if isinstance(requirement, tuple):  # allowed options
        values = value if isinstance(value, list) else None
        if values is None:
            result.error(file, _("Feltet «%(field)s» skal være en liste.") % {"field": key})
            return
        for item in values:
            if item not in requirement:
                result.error(
                    file,
                    _("«%(value)s» er ikke tillatt i «%(field)s»; tillatt er %(allowed)s.")
                    % {"value": item, "field": key, "allowed": ", ".join(requirement)},
                )
        return
    # Sub-fields: an object, or a list of objects.
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        items = [value]
    else:
        result.error(file, _("Feltet «%(field)s» skal være en liste eller et objekt.") % {"field": key})
        return
    for index, item in enumerate(items):
        where = f"{key}[{index}]" if isinstance(value, list) else key
        if not isinstance(item, dict):
            result.error(file, _("«%(field)s» skal være et objekt.") % {"field": where})
            continue
        for sub_key, sub_requirement in requirement.items():
            if item.get(sub_key) is None:
                result.error(file, _("«%(field)s» mangler.") % {"field": f"{where}.{sub_key}"})
            else:
                _check_requirement(result, file, sub_key, item[sub_key], sub_requirement)


def _dependencies(data: dict, kind: str) -> list[tuple[str, int, int]]:
    found = []
    for dep in data.get(kind) or [] if isinstance(data.get(kind), list) else []:
        try:
            found.append((dep["machineName"], int(dep["majorVersion"]), int(dep["minorVersion"])))
        except (KeyError, TypeError, ValueError):
            continue  # reported by the schema check
    return found


def _check_dependencies(
    result: Validation, installed: Callable[[set[str]], set[tuple[str, int, int]]]
) -> None:
    """Every library h5p.json or a packaged library loads (preloaded, dynamic) must be in the
    package or installed. Editor libraries are never loaded by the player: a missing one is a
    warning (H5P core refuses it, since its hosts also offer the editor).

    Unlike core, an installed newer version of the main library (libraryHasUpgrade) forgives
    nothing: core's editor migrates such content with the library's upgrades.js, while here the
    player loads exactly the versions named and nothing migrates content (README)."""
    needs: list[tuple[str, str, tuple[str, int, int]]] = []  # (file, kind, library)
    sources = [("h5p.json", result.h5p_json)] if result.h5p_json else []
    sources += [(f"{folder}/library.json", data) for folder, data in result.libraries.items()]
    for file, data in sources:
        for kind in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
            needs.extend((file, kind, dep) for dep in _dependencies(data, kind))
    packaged = {_library_key(data) for data in result.libraries.values()}
    if not needs and not packaged:
        return
    # One question to the store, for the packaged libraries too (extraction reuses the answer).
    available = packaged | installed({dep[0] for _file, _kind, dep in needs} | {key[0] for key in packaged})
    reported: set[tuple[str, tuple]] = set()
    for file, kind, dep in needs:
        if dep in available or (file, dep) in reported:
            continue
        reported.add((file, dep))
        if kind == "editorDependencies":
            result.warn(
                file,
                _(
                    "Redigeringsbiblioteket %(library)s er verken med i pakken eller installert. Det "
                    "trengs bare for å redigere i H5P-verktøyet, ikke for å spille av innholdet."
                )
                % {"library": _label(dep)},
            )
        else:
            result.error(
                file,
                _(
                    "Trenger biblioteket %(library)s, som verken er med i pakken eller installert. "
                    "Eksporter pakken på nytt med alle bibliotekene, eller be en administrator "
                    "installere det."
                )
                % {"library": _label(dep)},
            )


def group(problems: Iterable[Problem]) -> list[dict]:
    """Problems by file, files in package order of importance (the package, h5p.json, content,
    libraries), errors before warnings within each file."""
    files: dict[str, list[Problem]] = {}
    for problem in problems:
        files.setdefault(problem.file, []).append(problem)

    def order(file: str) -> tuple:
        rank = 0 if file == PACKAGE else 1 if file == "h5p.json" else 2 if file.startswith("content/") else 3
        return (rank, file)

    return [
        {
            "file": file,
            "errors": [p.message for p in files[file] if not p.warning],
            "warnings": [p.message for p in files[file] if p.warning],
        }
        for file in sorted(files, key=order)
    ]
