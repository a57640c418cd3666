"""The first text of the privacy statement (personvernerklæring) and the accessibility statement
(tilgjengelighetserklæring).

The data migration puts them on the site once (0005_statement_pages) and the demo loader makes
sure they exist; after that they are ordinary pages that editors keep up to date in the admin.
The accessibility statement follows the structure of the Norwegian model statement from
Tilsynet for universell utforming av ikt (uutilsynet): status, what conforms, known deviations,
feedback and how to complain.
"""

from __future__ import annotations

from html import escape

from django.utils import timezone

PRIVACY_SLUG = "personvern"
ACCESSIBILITY_SLUG = "tilgjengelighet"
PRIVACY_TITLE = "Personvernerklæring"
ACCESSIBILITY_TITLE = "Tilgjengelighetserklæring"
PRIVACY_LEAD = (
    "Hvilke opplysninger kursplattformen lagrer om deg, hvorfor, hvor lenge, og hvilke rettigheter du har."
)
ACCESSIBILITY_LEAD = (
    "Hvordan kursplattformen oppfyller kravene til universell utforming, og hva som ikke er på plass ennå."
)


def _mail(contact_email: str) -> str:
    address = escape(contact_email)
    return f'<a href="mailto:{address}">{address}</a>'


def privacy_body(*, organisation: str, contact_email: str) -> str:
    org, mail = escape(organisation), _mail(contact_email)
    return f"""
<h2>Hvem er ansvarlig</h2>
<p>{org} er behandlingsansvarlig for personopplysningene på kursplattformen. Spørsmål om
personvern sender du til {mail}.</p>

<h2>Hva vi lagrer</h2>
<ul>
<li><b>Kontoen din:</b> navn, e-postadresse, om du er helsepersonell, brukerrepresentant eller
annet, yrke hvis du oppgir det, og hvilket språk du vil bruke. Passordet lagres bare som en
kryptografisk kontrollsum, aldri i klartekst.</li>
<li><b>Arbeidssted og påkrevd opplæring:</b> hvis arbeidsgiveren din bruker plattformen, hvilken
enhet du hører til, rollen din der, og hvilke kurs som er påkrevd for deg med frister.</li>
<li><b>Framdrift:</b> hvilke kurs du er påmeldt, hvilke moduler og aktiviteter du har fullført, og
når.</li>
<li><b>Kunnskapstester og interaktive oppgaver:</b> svarene dine, poeng, antall forsøk og om du
besto.</li>
<li><b>Refleksjoner:</b> det du skriver i refleksjonsoppgaver, er privat. Bare du ser det, med mindre
du selv velger å dele en refleksjon med kursholderne.</li>
<li><b>Kursevaluering:</b> svarene lagres uten noen kobling til deg (anonymt), og resultatene vises
først når minst fem har svart.</li>
<li><b>Egenvurdering:</b> hvis kurset ber om det, hvor trygg du vurderer deg selv før og etter
kurset. Kursholderne ser bare gjennomsnitt.</li>
<li><b>Kursbevis:</b> navn, kurs, dato, serienummer og kontrollkode. Den som har serienummeret og
kontrollkoden, kan sjekke at kursbeviset er ekte.</li>
<li><b>Tekniske opplysninger:</b> en informasjonskapsel for innlogging og en for språkvalg.
IP-adressen brukes kortvarig for å stanse misbruk (for mange innloggingsforsøk). Vi bruker ikke
informasjonskapsler til analyse eller reklame.</li>
</ul>

<h2>Hvorfor vi lagrer det</h2>
<p>Vi bruker opplysningene for å gi deg tilgang til kursene, vise deg hvor langt du har kommet,
rette kunnskapstester og utstede kursbevis som kan verifiseres. Grunnlaget er avtalen du inngår
når du oppretter en konto (personvernforordningen artikkel 6 nr. 1 bokstav b).</p>
<p>Når arbeidsgiveren din har gjort et kurs påkrevd, ser lederen din og de som har fått
rapporttilgang for enheten, om du har startet og fullført kurset og når. Grunnlaget er
arbeidsgiverens berettigede interesse i at ansatte har nødvendig kompetanse (artikkel 6 nr. 1
bokstav f). Ledere ser aldri svarene dine i tester eller refleksjonene dine.</p>

<h2>Hvor lenge vi lagrer det</h2>
<p>Opplysningene lagres så lenge du har en konto. Når du ber om sletting, sletter vi kontoen og
opplysningene knyttet til den innen 30 dager. Anonyme kursevalueringer kan ikke knyttes til deg og
blir stående. Kursbevis som er utstedt, kan fortsatt verifiseres med serienummer og kontrollkode,
med mindre du ber om at også de slettes.</p>

<h2>Dine rettigheter</h2>
<p>Du har rett til innsyn i opplysningene vi har om deg, til å få feil rettet, til å få
opplysningene slettet, til å begrense bruken av dem og til å protestere mot bruken. Navn,
e-postadresse og språk retter du selv under «Min konto». Der kan du også be om sletting. For
innsyn og andre spørsmål skriver du til {mail}. Vi svarer innen 30 dager.</p>
<p>Mener du at vi behandler opplysningene dine i strid med reglene, kan du klage til
<a href="https://www.datatilsynet.no/">Datatilsynet</a>.</p>

<h2>Kontakt</h2>
<p>{org}, e-post {mail}.</p>
"""


def accessibility_body(*, organisation: str, contact_email: str, site_address: str, updated: str) -> str:
    org, mail, site = escape(organisation), _mail(contact_email), escape(site_address)
    return f"""
<p>{org} ønsker at alle skal kunne bruke kursplattformen, også de som bruker skjermleser,
bare tastatur, forstørrelse eller taleteknologi. Erklæringen gjelder nettstedet {site}.</p>

<h2>Status</h2>
<p>Nettstedet er delvis i samsvar med kravene i forskrift om universell utforming av
IKT-løsninger, som bygger på WCAG 2.1 nivå A og AA. Avvikene står nedenfor.</p>

<h2>Dette er på plass</h2>
<ul>
<li>Alle sider kan brukes med tastatur, med synlig fokus og en lenke som hopper til
hovedinnholdet.</li>
<li>Overskrifter, lister, tabeller og skjemaer er kodet slik at skjermlesere kan lese dem.</li>
<li>Skjemafelt har ledetekster. Feil vises ved feltet det gjelder, og markøren flyttes dit.</li>
<li>Sidene kan forstørres til 400 prosent og leses på en skjerm som er 320 piksler bred uten at du
må rulle sidelengs.</li>
<li>Språket er merket, både for norsk og engelsk.</li>
<li>Videoer skal ha en tekstversjon av det som sies og vises.</li>
<li>Hver endring av plattformen testes automatisk med verktøyet axe-core mot WCAG 2.1 A og AA.</li>
</ul>

<h2>Kjente avvik</h2>
<ul>
<li>Interaktive H5P-oppgaver kommer fra tredjepart. Enkelte oppgavetyper, for eksempel
dra-og-slipp, kan være vanskelige å bruke med tastatur eller skjermleser.</li>
<li>Dokumenter og videoer som kursholderne laster opp, blir ikke kontrollert automatisk. Videoer
kan mangle synkron teksting, og PDF-filer kan mangle struktur for skjermlesere.</li>
<li>Kursbeviset i PDF er ikke testet med skjermleser. Opplysningene på det kan også sjekkes på
siden «Verifiser et kursbevis».</li>
</ul>

<h2>Gi oss tilbakemelding</h2>
<p>Opplever du noe som er vanskelig å bruke, eller trenger du innholdet i en annen form? Skriv til
{mail}. Vi svarer innen to uker.</p>

<h2>Klage</h2>
<p>Får du ikke svar, eller er du ikke fornøyd med svaret, kan du melde fra til
<a href="https://www.uutilsynet.no/">Tilsynet for universell utforming av ikt</a>
(Digitaliseringsdirektoratet).</p>

<p>Erklæringen ble sist oppdatert {escape(updated)}.</p>
"""


def statement_texts(
    *, organisation: str, contact_email: str, site_address: str
) -> dict[str, tuple[str, str, str]]:
    """Per page slug, the (title, lead, body) of both statements: what the migration and the demo publish."""
    return {
        PRIVACY_SLUG: (
            PRIVACY_TITLE,
            PRIVACY_LEAD,
            privacy_body(organisation=organisation, contact_email=contact_email),
        ),
        ACCESSIBILITY_SLUG: (
            ACCESSIBILITY_TITLE,
            ACCESSIBILITY_LEAD,
            accessibility_body(
                organisation=organisation,
                contact_email=contact_email,
                site_address=site_address,
                updated=timezone.localdate().strftime("%d.%m.%Y"),
            ),
        ),
    }
