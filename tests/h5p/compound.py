"""xAPI statements as compound H5P content sends them, built from the xAPI specification and from
how H5P core and the content types emit them:

* H5P core (x-api-event.js): a statement's object id is the content's address; sub-content (a
  question inside a Question Set, an element on a slide, a chapter of a book) adds
  ``?subContentId=<uuid>`` and names its sub-content id in the object's
  ``http://h5p.org/x-api/h5p-subContentId`` extension, next to
  ``http://h5p.org/x-api/h5p-local-content-id``; a part's ``context.contextActivities.parent`` is
  the object id of the content it sits in, and ``category`` names its library.
* H5P.QuestionSet: each question sends ``answered`` as a part; the end screen sends ``completed``
  for the whole with the summed score.
* H5P.CoursePresentation: tasks on the slides send ``answered`` as parts, moving between slides
  sends ``progressed``; the summary slide sends ``completed`` for the whole with the total of the
  slides' scores (0 of 0 when no slide has a task).
* H5P.InteractiveVideo: interactions send ``answered`` as parts; the submit screen sends
  ``completed`` for the whole with its score.
* H5P.Column: each task sends its statements as a part, the column sends ``progressed`` after
  each, and ``completed`` with the summed score once every task has a result.
* H5P.InteractiveBook: each chapter is an H5P.Column that is itself a part of the book (its
  tasks are parts of the chapter); the summary sends ``completed`` for the book with its score.

Each builder returns the statements in the order the player sends them.
"""

from __future__ import annotations

import json
import uuid

VERB = "http://adlnet.gov/expapi/verbs/"
LOCAL_CONTENT_ID = "http://h5p.org/x-api/h5p-local-content-id"
SUB_CONTENT_ID = "http://h5p.org/x-api/h5p-subContentId"
ENDING_POINT = "http://id.tincanapi.com/extension/ending-point"

LIBRARIES = {
    "QuestionSet": "H5P.QuestionSet-1.20",
    "CoursePresentation": "H5P.CoursePresentation-1.25",
    "InteractiveVideo": "H5P.InteractiveVideo-1.27",
    "InteractiveBook": "H5P.InteractiveBook-1.11",
    "Column": "H5P.Column-1.18",
    "MultiChoice": "H5P.MultiChoice-1.16",
    "TrueFalse": "H5P.TrueFalse-1.8",
    "Blanks": "H5P.Blanks-1.14",
}


def sub_id(name: str) -> str:
    """A stable sub-content id (H5P's are UUIDs) for a named part, so tests can refer to it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _iri(url: str, sub_content_id: str | None) -> str:
    return f"{url}?subContentId={sub_content_id}" if sub_content_id else url


def statement(
    url: str,
    verb: str,
    *,
    library: str,
    sub_content_id: str | None = None,
    parent: str | None = None,
    score: tuple[float, float] | None = None,
    success: bool | None = None,
    question: str = "",
    extensions: dict | None = None,
    duration: str = "PT12.5S",
) -> dict:
    """One statement as H5P core builds it (createXAPIEventTemplate, setObject, setContext,
    setScoredResult). `parent` is the sub-content id of the parent ("" for the whole)."""
    definition: dict = {"extensions": {LOCAL_CONTENT_ID: 1, **(extensions or {})}}
    if sub_content_id:
        definition["extensions"][SUB_CONTENT_ID] = sub_content_id
        if question:
            definition["name"] = {"en-US": question}
            definition["description"] = {"en-US": f"<p>{question}</p>\n"}
            definition["interactionType"] = "choice"
            definition["type"] = "http://adlnet.gov/expapi/activities/cmi.interaction"
    context: dict = {
        "contextActivities": {
            "category": [{"id": f"http://h5p.org/libraries/{LIBRARIES[library]}", "objectType": "Activity"}]
        }
    }
    if parent is not None:
        context["contextActivities"]["parent"] = [{"id": _iri(url, parent), "objectType": "Activity"}]
    data = {
        "id": str(uuid.uuid4()),
        "actor": {},
        "verb": {"id": VERB + verb, "display": {"en-US": verb}},
        "object": {"id": _iri(url, sub_content_id), "objectType": "Activity", "definition": definition},
        "context": context,
    }
    if score is not None:
        raw, maximum = score
        result: dict = {"score": {"min": 0, "max": maximum, "raw": raw}, "completion": True}
        if maximum:
            result["score"]["scaled"] = round(raw / maximum, 4)
        if success is not None:
            result["success"] = success
        result["duration"] = duration
        data["result"] = result
    elif verb == "completed":
        data["result"] = {"completion": True, "duration": duration}
    return data


def _answer(url, name, raw, maximum, *, parent="", library="MultiChoice"):
    return statement(
        url,
        "answered",
        library=library,
        sub_content_id=sub_id(name),
        parent=parent,
        score=(raw, maximum),
        success=raw == maximum,
        question=name,
    )


def question_set(
    url: str, answers: list[tuple[str, float, float]], *, pass_percent: float = 50
) -> list[dict]:
    """Each question `(name, raw, max)` answered, then the end screen's completed for the whole."""
    parts = [_answer(url, name, raw, maximum) for name, raw, maximum in answers]
    raw, maximum = sum(a[1] for a in answers), sum(a[2] for a in answers)
    whole = statement(
        url,
        "completed",
        library="QuestionSet",
        score=(raw, maximum),
        success=100 * raw / maximum >= pass_percent,
    )
    return [*parts, whole]


def course_presentation(
    url: str, slides: list[list[tuple[str, float, float]]], *, summary: bool = True
) -> list[dict]:
    """Tasks answered slide by slide (with progressed between slides), then the summary slide."""
    sent = []
    for number, tasks in enumerate(slides, start=1):
        sent.append(
            statement(url, "progressed", library="CoursePresentation", extensions={ENDING_POINT: number})
        )
        sent.extend(_answer(url, name, raw, maximum) for name, raw, maximum in tasks)
    if summary:
        raw = sum(t[1] for tasks in slides for t in tasks)
        maximum = sum(t[2] for tasks in slides for t in tasks)
        sent.append(statement(url, "completed", library="CoursePresentation", score=(raw, maximum)))
    return sent


def interactive_video(url: str, interactions: list[tuple[str, float, float]]) -> list[dict]:
    """Interactions answered while the video plays, then the submit screen's completed."""
    sent = [statement(url, "interacted", library="InteractiveVideo")]
    sent.extend(_answer(url, name, raw, maximum, library="TrueFalse") for name, raw, maximum in interactions)
    raw, maximum = sum(i[1] for i in interactions), sum(i[2] for i in interactions)
    sent.append(
        statement(url, "completed", library="InteractiveVideo", score=(raw, maximum), success=raw == maximum)
    )
    return sent


def column(url: str, tasks: list[tuple[str, float, float]]) -> list[dict]:
    """A column on its own: each task answered (with progressed after it), then completed."""
    sent = []
    for index, (name, raw, maximum) in enumerate(tasks, start=1):
        sent.append(_answer(url, name, raw, maximum, library="Blanks"))
        sent.append(statement(url, "progressed", library="Column", extensions={ENDING_POINT: index}))
    raw, maximum = sum(t[1] for t in tasks), sum(t[2] for t in tasks)
    sent.append(statement(url, "completed", library="Column", score=(raw, maximum)))
    return sent


def interactive_book(
    url: str, chapters: list[list[tuple[str, float, float]]], *, summary: bool = True
) -> list[dict]:
    """Each chapter a Column inside the book: its tasks are parts of the chapter, and the chapter's
    completed (with the chapter's score) is a part of the book; then the book's summary."""
    sent = []
    for number, tasks in enumerate(chapters, start=1):
        chapter = sub_id(f"kapittel {number}")
        sent.extend(_answer(url, name, raw, maximum, parent=chapter) for name, raw, maximum in tasks)
        raw, maximum = sum(t[1] for t in tasks), sum(t[2] for t in tasks)
        sent.append(
            statement(
                url, "completed", library="Column", sub_content_id=chapter, parent="", score=(raw, maximum)
            )
        )
    if summary:
        raw = sum(t[1] for tasks in chapters for t in tasks)
        maximum = sum(t[2] for tasks in chapters for t in tasks)
        sent.append(statement(url, "completed", library="InteractiveBook", score=(raw, maximum)))
    return sent


def envelope(data: dict, token: str = "") -> bytes:
    """The body the module page posts: the statement and the frame's token."""
    return json.dumps({"statement": data, "token": token}).encode()
