"""The activity registry: how activity kinds plug into courses without courses knowing them.

An activity kind (a quiz, a reflection task, H5P content, the course evaluation, and
later attendance, SCORM or LTI) lives in its own app and tells courses two things:

1. **Which blocks it adds to a module's body.** Its AppConfig names a function,
   ``course_activity_blocks = "assessments.blocks.module_activity_blocks"``, that returns
   ``[(block type, block), ...]``. Courses calls it while ModulePage is being defined
   (Django's model-loading phase), so that function must not import any models.
2. **How it behaves.** Its AppConfig.ready() registers an ActivityKind: how the learner's
   state shows in the module page, and, for steps of the whole course (the evaluation),
   whether a course requires it.

Whatever a kind counts as done (a passed quiz, a submitted reflection, an H5P rule met),
it reports through the one door, courses.services.activity_complete (or
course_step_complete), which writes the completion ledger. Courses never reads a kind's
own tables.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string
from wagtail.blocks import Block
from wagtail.blocks.definition_lookup import BlockDefinitionLookupBuilder
from wagtail.fields import StreamField

MODULE = "module"
COURSE = "course"

# The ledger row a module writes when it completes, so that the ledger alone tells which
# modules a learner finished in which round (blocks are activity kinds; this is not one).
MODULE_DONE = "module"


class ActivityKind:
    """One kind of activity. Subclass it in the kind's app and register an instance from ready()."""

    #: The kind's name: its block type in ModulePage.body (module scope) and its name in the ledger.
    name: str = ""
    #: What learners call it, for lists of what is left to do.
    label: str = ""
    #: MODULE: a block in a module's body. COURSE: a step of the whole course.
    scope: str = MODULE
    #: Static files (paths for {% static %}) the module page loads when a module has this kind's blocks.
    scripts: tuple[str, ...] = ()

    def block_title(self, value) -> str:
        """What a block of this kind is called in the list of what is left in a module.

        `value` is the block's value as the module page renders it (its chosen objects are
        already loaded, so reading their titles costs no query). The kind's label by default.
        """
        return str(self.label)

    def anchor(self, block_id: str) -> str:
        """The id of the element the block renders (the target of a link to it from the module page)."""
        return f"{self.name}-{block_id}"

    def module_states(self, *, user, module, enrolment, block_ids: list[str]) -> dict[str, object]:
        """Per block id, what the block's template shows the learner (a standing, an answer, a result).

        Called once per kind for a module page, with the ids of this kind's blocks in the module;
        it should run a fixed number of queries however many blocks there are.
        """
        return {}

    def required_for_course(self, course) -> bool:
        """For COURSE scope: whether `course` cannot complete until this step is done."""
        return False


_registry: dict[str, ActivityKind] = {}


def register(kind: ActivityKind) -> ActivityKind:
    """Add an activity kind (from the kind's AppConfig.ready()); registering a name twice is an error."""
    if not kind.name or kind.scope not in (MODULE, COURSE):
        raise ValueError(f"An activity kind needs a name and a scope: {kind!r}")
    existing = _registry.get(kind.name)
    if existing is not None and type(existing) is not type(kind):
        raise ValueError(f"The activity kind {kind.name!r} is already registered by {existing!r}")
    _registry[kind.name] = kind
    return kind


def kind(name: str) -> ActivityKind | None:
    return _registry.get(name)


def module_kinds() -> dict[str, ActivityKind]:
    return {name: k for name, k in _registry.items() if k.scope == MODULE}


def course_kinds() -> dict[str, ActivityKind]:
    return {name: k for name, k in _registry.items() if k.scope == COURSE}


def contributed_module_blocks() -> list[tuple[str, Block]]:
    """The activity blocks every installed app adds to a module's body, in INSTALLED_APPS order."""
    contributed: list[tuple[str, Block]] = []
    for app_config in apps.get_app_configs():
        factory_path = getattr(app_config, "course_activity_blocks", None)
        if factory_path:
            contributed.extend(import_string(factory_path)())
    return contributed


class ModuleBodyField(StreamField):
    """ModulePage.body: the content blocks, plus the activity blocks of the installed activity apps.

    Its migrations describe the content blocks only. Which activity blocks a body offers
    depends on which apps a site installs, and a plugin's migrations must be the same on
    every site; block definitions never change the database, and code that reads a body
    in a migration reads its raw data.
    """

    def __init__(self, block_types, *, base_block_names=None, **kwargs):
        # None (as when Django clones the field from its migration form): every block is a base block.
        self._base_block_names = None if base_block_names is None else frozenset(base_block_names)
        super().__init__(block_types, **kwargs)

    def deconstruct(self):
        name, _path, _args, kwargs = super().deconstruct()
        lookup = BlockDefinitionLookupBuilder()
        block_types = [
            (block_name, lookup.add_block(block))
            for block_name, block in self.stream_block.child_blocks.items()
            if self._base_block_names is None or block_name in self._base_block_names
        ]
        kwargs["block_lookup"] = lookup.get_lookup_as_dict()
        # A plain StreamField in migrations: they need nothing of this class.
        return name, "wagtail.fields.StreamField", [block_types], kwargs
