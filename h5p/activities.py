"""The activity kind this app plugs into courses (registered in apps.py): an H5P block,
done when the block's completion rule is met in the current round (results.py)."""

from django.utils.translation import gettext_lazy as _

from courses.activities import ActivityKind

from .selectors import learner_states

H5P = "h5p"


class H5PActivity(ActivityKind):
    name = H5P
    label = _("Interaktiv aktivitet (H5P)")
    scripts = ("js/h5p-activity.js",)

    def block_title(self, value) -> str:
        content = value.get("content") if value else None
        return content.title if content is not None else str(self.label)

    def module_states(self, *, user, module, enrolment, block_ids):
        """The learner's best score and last attempt on each H5P block (h5p.selectors)."""
        return learner_states(user=user, module=module, block_ids=block_ids, enrolment=enrolment)
