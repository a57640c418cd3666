"""Which models' changes the audit log records, and how.

audit sits low in the layers and imports no app above it: the models are named by their
labels and looked up when the apps are ready (a lookup, not an import), so a label whose app
is not installed is skipped.
An app added later (teams, sessions) either adds a line to AUDITED_MODELS or calls

    from audit.registry import register_for_audit
    register_for_audit("teams.TeamMembership")

from its own AppConfig.ready().

Never logged, whatever a model calls them: fields that hold what people wrote, secrets, or a
person's name or address (ALWAYS_EXCLUDED), on top of each model's own exclusions. The person
an entry is about is its subject_user key instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

ALWAYS_EXCLUDED = (
    "password",
    "text",
    "answer",
    "answers",
    "response",
    "responses",
    "token",
    "secret",
    "key",
    "verification_code",
    "check_code",
    "form_secret",
    "email",
    "first_name",
    "last_name",
    "holder_name",
)


@dataclass(frozen=True)
class Audited:
    label: str
    include_fields: tuple[str, ...] = ()
    exclude_fields: tuple[str, ...] = ()
    m2m_fields: tuple[str, ...] = ()


AUDITED_MODELS = [
    # Issue, revoke and renew; the PDF's own state and the reminders sent are not audit events,
    # and the holder's name stays out (the entry points at the person instead).
    Audited(
        "certificates.Certificate",
        exclude_fields=(
            "holder_name",
            "pdf",
            "pdf_status",
            "pdf_error",
            "learner_notified_at",
            "expiry_reminder_sent_at",
        ),
    ),
    # Required learning is audited at its source: the assignment, and the memberships it covers.
    # The RequiredLearning rows derived from them are written and withdrawn in bulk (one query
    # for a whole unit), which per-row entries would undo.
    Audited("requirements.Assignment"),
    Audited("people.Membership"),
    Audited("people.OrganisationUnit", exclude_fields=("path",)),
    Audited("auth.Group", include_fields=("name",)),
    # Who may do what: group membership and the admin flags, never the name, address or password.
    Audited(
        settings.AUTH_USER_MODEL,
        include_fields=("is_active", "is_staff", "is_superuser"),
        m2m_fields=("groups",),
    ),
    # Rules that grant groups and manager roles at single sign-on.
    Audited("sso.ClaimMapping"),
    Audited("teams.Team"),
    Audited("teams.TeamMembership"),
]


def register_for_audit(
    model_or_label,
    *,
    include_fields=(),
    exclude_fields=(),
    m2m_fields=(),
) -> bool:
    """Log every create, change and delete of a model (and of its `m2m_fields`). False if the
    label names no installed model."""
    if isinstance(model_or_label, str):
        try:
            model = apps.get_model(model_or_label)
        except LookupError:
            return False
    else:
        model = model_or_label
    if auditlog.contains(model):
        auditlog.unregister(model)
    own_fields = {f.name for f in model._meta.get_fields()}
    auditlog.register(
        model,
        include_fields=list(include_fields),
        exclude_fields=list(exclude_fields) + [name for name in ALWAYS_EXCLUDED if name in own_fields],
        m2m_fields=set(m2m_fields),
    )
    return True


def register_audited_models() -> list[str]:
    """Register AUDITED_MODELS (from AuditConfig.ready()); returns the labels registered."""
    return [
        spec.label
        for spec in AUDITED_MODELS
        if register_for_audit(
            spec.label,
            include_fields=spec.include_fields,
            exclude_fields=spec.exclude_fields,
            m2m_fields=spec.m2m_fields,
        )
    ]
