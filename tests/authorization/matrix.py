"""Who may open what: every URL the platform serves, for every role, with the expected answer.

`ROWS` has one entry per URL route of the platform's own apps (and the admin screens of their
models); `THIRD_PARTY` names the routes that come from Wagtail, allauth and Django themselves,
with the rule that protects them and the rows that sample it. test_matrix.py fails when a route
has neither, so a new URL cannot be added without saying who may open it.

Answers: OK (the page or the action), LOGIN (sent to sign in), NO (403 or 404; a signed-in person
without admin access whom the admin sends to the sign-in page also counts as NO).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .world import (
    ADMIN,
    ANONYMOUS,
    HOLDER,
    LEARNER,
    MANAGER,
    OTHER_HOLDER,
    OTHER_LEARNER,
    OTHER_MANAGER,
    REPORTER,
    ROLES,
    World,
)

OK, LOGIN, NO = "OK", "LOGIN", "NO"
SIGNED_IN = tuple(role for role in ROLES if role != ANONYMOUS)


def answers(*, anonymous: str = LOGIN, ok: tuple[str, ...] = (), default: str = NO) -> dict[str, str]:
    table = {role: (OK if role in ok else default) for role in ROLES}
    table[ANONYMOUS] = anonymous
    return table


PUBLIC = answers(anonymous=OK, ok=SIGNED_IN)
ANYONE_SIGNED_IN = answers(ok=SIGNED_IN)
ONLY_THE_LEARNER = answers(ok=(LEARNER,))
ONLY_ADMIN = answers(ok=(ADMIN,))
NOBODY = answers()  # a screen the viewset has, but no role may use (records are made elsewhere)
# Course holders of this course (HOLDER) and administrators; the other course's holder gets nothing.
THIS_COURSE_HOLDERS = answers(ok=(HOLDER, ADMIN))
# Both course holders today: issue #14 (course teams) scopes quizzes, H5P and templates per course.
ANY_COURSE_HOLDER = answers(ok=(HOLDER, OTHER_HOLDER, ADMIN))
MANAGERS_AND_REPORTERS = answers(ok=(MANAGER, OTHER_MANAGER, REPORTER, ADMIN))


@dataclass(frozen=True)
class Row:
    """A route (as the URL configuration writes it), who gets what, and how to build its address."""

    route: str
    expect: dict[str, str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    why: str = ""
    path: Callable[[World], str] | None = None  # for routes without a name


def _h5p_player(w: World) -> dict:
    """The player options the learner's player page hands to its frame."""
    from django.urls import reverse

    response = w.client_for(LEARNER).get(reverse("h5p:player", args=[w.h5p_module.pk, w.h5p_block]))
    return response.context["options"]["player"]


def _h5p_token(w: World) -> str:
    """The state token (bound to the learner's result row) the learner's player page hands to its frame."""
    return _h5p_player(w)["ajax"]["contentUserDataUrl"].split("/")[3]


ROWS: list[Row] = [
    # --- Accounts (people) ---------------------------------------------------------------------
    Row("konto/profil/", ANYONE_SIGNED_IN, why="one's own profile"),
    Row("konto/profil/sletting/", ANYONE_SIGNED_IN, method="post", why="ask to have one's own account deleted"),
    Row("konto/sprak/", PUBLIC, method="post", data=lambda w: {"language": "en"}),
    Row("konto/tofaktor/", ANYONE_SIGNED_IN),
    Row("konto/mine-data/", ANYONE_SIGNED_IN),
    Row("konto/mine-data/status/", ANYONE_SIGNED_IN),
    Row(
        "konto/mine-data/<uuid:public_id>/last-ned/",
        ONLY_THE_LEARNER,
        kwargs=lambda w: {"public_id": w.export.public_id},
        why="only the owner downloads their data, administrators included",
    ),
    # --- Learning (courses) --------------------------------------------------------------------
    Row("mine-kurs/", ANYONE_SIGNED_IN),
    Row(
        "mine-kurs/<int:course_id>/fortsett/",
        ANYONE_SIGNED_IN,
        kwargs=lambda w: {"course_id": w.course_a.pk},
        why="continues one's own enrolment; without one it leads to the course page",
    ),
    Row("laering/kurs/<int:course_id>/meld-pa/", ANYONE_SIGNED_IN, method="post",
        kwargs=lambda w: {"course_id": w.course_a.pk}, why="anyone may enrol in a published course"),
    Row("laering/kurs/<int:course_id>/ta-pa-nytt/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"course_id": w.course_b.pk}, why="only someone who finished it retakes it"),
    Row("laering/modul/<int:module_id>/fullfor/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"module_id": w.plain_module.pk}, why="a module without activities, marked done"),
    Row("laering/modul/<int:module_id>/status/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"module_id": w.module_a.pk}),
    # --- Kursbevis (certificates) ------------------------------------------------------------
    Row("mine-kursbevis/", ANYONE_SIGNED_IN),
    Row("mine-kursbevis/<uuid:public_id>/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"public_id": w.certificate.public_id}),
    Row("mine-kursbevis/<uuid:public_id>/pdf/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"public_id": w.certificate.public_id}),
    Row("verifiser/", PUBLIC, why="anyone verifies a kursbevis"),
    Row("verifiser/<str:code>/", PUBLIC, kwargs=lambda w: {"code": w.certificate.verification_code}),
    # --- Quizzes, reflections, evaluation (assessments) ----------------------------------------
    Row("laering/modul/<int:module_id>/test/<str:block_id>/start/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"module_id": w.module_a.pk, "block_id": w.quiz_block},
        why="only an enrolled learner starts a quiz"),
    Row("laering/test/<uuid:public_id>/", ONLY_THE_LEARNER, kwargs=lambda w: {"public_id": w.attempt.public_id}),
    Row("laering/test/<uuid:public_id>/resultat/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"public_id": w.attempt.public_id}),
    Row("laering/modul/<int:module_id>/refleksjon/<str:block_id>/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"module_id": w.module_a.pk, "block_id": w.reflection_block},
        data=lambda w: {"text": "Endret."}),
    Row("laering/kurs/<int:course_id>/evaluering/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"course_id": w.course_a.pk}, why="only the course's learners evaluate it"),
    Row("laering/kurs/<int:course_id>/egenvurdering/<str:phase>/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"course_id": w.course_a.pk, "phase": "pre"}),
    Row("mine-refleksjoner/", ANYONE_SIGNED_IN),
    Row("mine-refleksjoner/last-ned/", ANYONE_SIGNED_IN),
    Row("mine-refleksjoner/<int:reflection_id>/", ONLY_THE_LEARNER,
        kwargs=lambda w: {"reflection_id": w.reflection.pk}),
    Row("mine-refleksjoner/<int:reflection_id>/del/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"reflection_id": w.reflection.pk}, data=lambda w: {"share": "1"}),
    # --- Managers (reports, requirements) ------------------------------------------------------
    Row("leder/", MANAGERS_AND_REPORTERS, why="each sees only their own units (tests/reports/test_scope.py)"),
    Row("leder/person/<int:person_id>/", answers(ok=(MANAGER, REPORTER, ADMIN)),
        kwargs=lambda w: {"person_id": w.users[LEARNER].pk}, why="a person in one's own units only"),
    Row("leder/eksport.<str:file_format>", MANAGERS_AND_REPORTERS, kwargs=lambda w: {"file_format": "csv"}),
    Row("leder/tildel/", answers(ok=(MANAGER, OTHER_MANAGER, ADMIN)), why="managers assign; reporters only read"),
    # --- H5P -------------------------------------------------------------------------------------
    Row("h5p/spill/<int:module_id>/<str:block_id>/", answers(ok=(LEARNER, HOLDER, ADMIN)),
        kwargs=lambda w: {"module_id": w.h5p_module.pk, "block_id": w.h5p_block},
        why="the learner plays; those who may edit the course preview it (nothing is recorded for them)"),
    Row("h5p/xapi/<int:module_id>/<str:block_id>/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"module_id": w.h5p_module.pk, "block_id": w.h5p_block}),
    Row("h5p/vist/<int:module_id>/<str:block_id>/", ONLY_THE_LEARNER, method="post",
        kwargs=lambda w: {"module_id": w.h5p_module.pk, "block_id": w.h5p_block},
        why="the frame showed the content («Åpnet»): recorded for the enrolled learner only"),
    Row("h5p/feil/<int:module_id>/<str:block_id>/", answers(ok=(LEARNER, HOLDER, ADMIN)), method="post",
        kwargs=lambda w: {"module_id": w.h5p_module.pk, "block_id": w.h5p_block},
        why="whoever may open the player (learner, previewing editors) reports that it failed"),
    Row("h5p/filer/<str:token>/tilstand/", PUBLIC, kwargs=lambda w: {"token": _h5p_token(w)},
        why="the signed token bound to the learner and block is the credential (the frame has no cookies)"),
    Row("h5p/filer/<str:token>/tilstand/<str:data_type>/<str:sub_content_id>", PUBLIC,
        path=lambda w: f"/h5p/filer/{_h5p_token(w)}/tilstand/state/0"),
    Row("^h5p/innhold/(?P<token>[^/]+)/(?P<path>.*)$", PUBLIC,
        kwargs=lambda w: {"token": _h5p_player(w)["h5pJsonPath"].split("/")[3], "path": "h5p.json"},
        why="the content's signed token (content, version, day) is the credential; the player hands it out"),
    Row("^h5p/bibliotek/(?P<fingerprint>[0-9a-f]{16})/(?P<path>.*)$", PUBLIC,
        path=lambda w: f"{_h5p_player(w)['librariesPath']}/H5P.Test-1.0/library.json",
        why="library files are the same for everyone and hold no answers: public, immutable"),
    Row("^h5p/bibliotek/(?P<fingerprint>[0-9a-f]{16})/samlet/(?P<content_uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(?P<kind>js|css)$",
        PUBLIC, path=lambda w: f"{_h5p_player(w)['librariesPath']}/samlet/{w.h5p_content.uuid}.js",
        why="a content item's library scripts joined: the same for everyone, no answers"),
]

# --- Large report exports (reports/exports.py): built by a task for the manager who asked -------


def _report_export(w: World):
    """The unit manager's XLSX export, built (the task runs on commit; here it runs now)."""
    if "report_export" not in w.objects:
        from reports.exports import report_export_build, report_export_request

        export = report_export_request(viewer=w.users[MANAGER], file_format="xlsx", filters={})
        w.objects["report_export"] = report_export_build(export_id=export.pk)
    return w.objects["report_export"]


ROWS += [
    Row("leder/eksport/<uuid:public_id>/", answers(ok=(MANAGER,)),
        kwargs=lambda w: {"public_id": _report_export(w).public_id},
        why="only the manager who asked for the export follows it, administrators included"),
    Row("leder/eksport/<uuid:public_id>/fil/", answers(ok=(MANAGER,)),
        kwargs=lambda w: {"public_id": _report_export(w).public_id},
        why="only the manager who asked for the export downloads it, administrators included"),
]

# --- Health (core/health.py): the process manager and the load balancer call them without a session
ROWS += [
    Row("helse/live/", PUBLIC, why="liveness: the process answers; nothing else is touched"),
    Row("helse/klar/", PUBLIC, why="readiness: names the failing check, never its message"),
    Row(
        "metrics",
        answers(anonymous=NO),  # 404 for every role, signed in or not
        why="Prometheus only: METRICS_ALLOWED_NETWORKS (none in the test settings) or METRICS_TOKEN, "
        "whatever the role (tests/core/test_metrics.py)",
    ),
]

# --- The admin screens of the platform's own apps ---------------------------------------------
ROWS += [
    Row("admin/statistikk/", ONLY_ADMIN, why="statistics across all courses and units"),
    Row("admin/paakrevd/oppdateringer/<int:pk>/", ONLY_ADMIN, kwargs=lambda w: {"pk": w.job.pk}),
    Row("admin/paakrevd/oppdateringer/<int:pk>/status/", ONLY_ADMIN, kwargs=lambda w: {"pk": w.job.pk}),
    Row("admin/paakrevd/oppdateringer/<int:pk>/start/", ONLY_ADMIN, method="post", kwargs=lambda w: {"pk": w.job.pk}),
    Row("admin/kursrapporter/", ANY_COURSE_HOLDER, why="each holder's list shows only their own courses"),
    Row("admin/kursrapporter/<int:course_id>/", THIS_COURSE_HOLDERS, kwargs=lambda w: {"course_id": w.course_a.pk}),
    Row("admin/kursrapporter/<int:course_id>/evaluering.csv", THIS_COURSE_HOLDERS,
        kwargs=lambda w: {"course_id": w.course_a.pk}),
    Row("admin/kursrapporter/test/<int:quiz_id>/", THIS_COURSE_HOLDERS, kwargs=lambda w: {"quiz_id": w.quiz.pk}),
    Row("admin/kursrapporter/<int:course_id>/h5p/", THIS_COURSE_HOLDERS, kwargs=lambda w: {"course_id": w.course_a.pk},
        why="counts per H5P activity and question, no names; another course's holder gets 404"),
    Row("admin/kursrapporter/<int:course_id>/h5p.csv", THIS_COURSE_HOLDERS,
        kwargs=lambda w: {"course_id": w.course_a.pk}),
    Row("admin/kursrapporter/refleksjon/<int:reflection_id>/", THIS_COURSE_HOLDERS,
        kwargs=lambda w: {"reflection_id": w.reflection.pk}, why="a reflection shared with this course's holders"),
    Row("admin/kursbevis/ny-pdf/", ONLY_ADMIN, method="post"),
    Row("admin/organisasjon/import/", ONLY_ADMIN),
    Row("admin/personvern/sletting/<int:pk>/anonymiser/", ONLY_ADMIN, method="post",
        kwargs=lambda w: {"pk": w.deletion.pk}),
    Row("admin/personvern/sletting/<int:pk>/avvis/", ONLY_ADMIN, method="post", kwargs=lambda w: {"pk": w.deletion.pk},
        data=lambda w: {"reason": "Vi må beholde kursbeviset."}),
    Row("admin/revisjonslogg/", ONLY_ADMIN),
    Row("admin/revisjonslogg/results/", ONLY_ADMIN),
    Row("admin/revisjonslogg/inspect/<int:pk>/", ONLY_ADMIN, kwargs=lambda w: {"pk": w.audit_entry.pk}),
    Row("admin/users/delete/<int:pk>/", ONLY_ADMIN, kwargs=lambda w: {"pk": w.users[OTHER_LEARNER].pk}),
]

# Snippet screens of the platform's models: (app, model) -> who may use them, and which object the
# screens that take one are opened for. Every screen of the viewset gets the same answer except
# where `by_action` says otherwise.
# Records that are made by the platform (issued, requested, installed), not typed into a form.
MADE_ELSEWHERE = {"add": NOBODY, "copy": NOBODY, "delete": NOBODY}
SNIPPETS: dict[tuple[str, str], tuple[dict[str, str], str, dict[str, dict[str, str]]]] = {
    # Course holders write quizzes and upload H5P; only administrators delete what courses may use.
    ("assessments", "quiz"): (ANY_COURSE_HOLDER, "quiz", {"delete": ONLY_ADMIN}),
    ("assessments", "timeaccommodation"): (ONLY_ADMIN, "accommodation", {}),
    # Certificates are issued by completion and revoked, never added, copied or deleted by hand.
    ("certificates", "certificate"): (ONLY_ADMIN, "certificate", MADE_ELSEWHERE),
    ("certificates", "certificatetemplate"): (ONLY_ADMIN, "template", {}),
    ("courses", "competencearea"): (ONLY_ADMIN, "area", {}),
    ("h5p", "h5pcontent"): (ANY_COURSE_HOLDER, "h5p_content", {"delete": ONLY_ADMIN}),
    # Libraries arrive inside packages; course holders may look at which are installed.
    ("h5p", "h5plibrary"): (
        ANY_COURSE_HOLDER, "h5p_library", {**MADE_ELSEWHERE, "edit": ONLY_ADMIN, "usage": ONLY_ADMIN,
                                            "history": ONLY_ADMIN, "history_results": ONLY_ADMIN},
    ),
    # Requests come from the learner's «Be om sletting»; they are handled, never deleted.
    ("people", "deletionrequest"): (ONLY_ADMIN, "deletion", MADE_ELSEWHERE),
    ("people", "membership"): (ONLY_ADMIN, "membership", {}),
    ("people", "organisationunit"): (ONLY_ADMIN, "ward", {}),
    # Assignments are made on «Tildel et kurs» (with its preview); the admin lists and withdraws them.
    ("requirements", "assignment"): (
        ONLY_ADMIN, "assignment", {"add": NOBODY, "copy": NOBODY, "edit": NOBODY, "usage": NOBODY},
    ),
    ("sso", "claimmapping"): (ONLY_ADMIN, "claim_mapping", {}),
}

# --- Routes of Wagtail, allauth and Django: the rule that protects them, and rows sampling it ----
# A route is covered by a group when its view comes from that package (or it matches the pattern).
THIRD_PARTY = {
    "wagtail": (
        "Wagtail's admin (every admin URL requires admin access, then the model's permissions) and "
        "page, document and image serving (page privacy and the platform's own access checks).",
        [
            Row("admin/", answers(ok=(HOLDER, OTHER_HOLDER, ADMIN))),
            Row("admin/pages/", answers(ok=(HOLDER, OTHER_HOLDER, ADMIN))),
            Row("admin/users/", ONLY_ADMIN),
            Row("admin/images/", answers(ok=(HOLDER, OTHER_HOLDER, ADMIN))),
            Row("^((?:[\\w\\-]+/)*)$", PUBLIC, path=lambda w: w.catalogue.url, why="the catalogue"),
            Row("^((?:[\\w\\-]+/)*)$", PUBLIC, path=lambda w: w.course_a.url, why="a course page"),
        ],
    ),
    "allauth": (
        "allauth's sign-in, sign-up, password, e-mail, two-factor and single sign-on flows: public, "
        "or the signed-in person's own account.",
        [
            Row("konto/login/", PUBLIC),
            Row("konto/email/", ANYONE_SIGNED_IN),
            Row("konto/2fa/", ANYONE_SIGNED_IN),
        ],
    ),
    "django": ("Redirects only: the admin's own login page forwards everyone to allauth's.", []),
}
