"""A learner who reads everything the browser gets learns nothing about the answer key.

The attempt page is parsed as a learner's script would read it (every field name, option value,
id and data attribute), for every question type, and answered by the strategies such a script
would try: the option whose value equals the field's suffix, the first option, the option whose
value sorts first, the order the steps are shown in. None may do better than guessing.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from assessments import grading, services
from assessments.formtokens import FormTokens
from assessments.models import AttemptAnswer, AttemptStatus, QuizAttempt
from courses import services as course_services
from courses.selectors import course_modules
from tests.factories import (
    UserFactory,
    add_quiz_block,
    correct_post,
    form_post,
    make_quiz,
    q_likert,
    q_matching,
    q_multiple,
    q_ordering,
    q_single,
    q_true_false,
)

pytestmark = pytest.mark.django_db

QUESTIONS = [
    # The right option first in authoring order, as authors often write it.
    q_single("Ett svar", options=(("Riktig", True), ("Feil 1", False), ("Feil 2", False), ("Feil 3", False))),
    q_multiple(
        "Flere svar", options=(("R1", True), ("R2", True), ("F1", False), ("F2", False)), partial=False
    ),
    q_true_false("Sant?", correct="true"),
    q_true_false("Usant?", correct="false"),
    q_matching(
        "Koble",
        pairs=(("Oslo", "Norge"), ("Stockholm", "Sverige"), ("Helsinki", "Finland"), ("Reykjavik", "Island")),
    ),
    q_ordering("Fire steg", steps=("Først", "Så", "Deretter", "Til slutt")),
    q_ordering("To steg", steps=("Før", "Etter")),
    q_likert("Jeg føler meg trygg."),
]


class FormReader(HTMLParser):
    """The quiz form as a script reads it: controls by name, each with its options in page order."""

    def __init__(self):
        super().__init__()
        self.controls: dict[str, list[str]] = {}  # name -> option values in page order
        self.kinds: dict[str, str] = {}
        self.chosen: dict[str, list[str]] = {}  # name -> values checked or selected
        self.attributes: list[str] = []  # every attribute value on the page
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes += [v for v in attrs.values() if v]
        name = attrs.get("name", "")
        if tag == "input" and name.startswith("q:") and attrs.get("type") in ("radio", "checkbox"):
            self.controls.setdefault(name, []).append(attrs["value"])
            self.kinds[name] = attrs["type"]
            if "checked" in attrs:
                self.chosen.setdefault(name, []).append(attrs["value"])
        elif tag == "select" and name.startswith("q:"):
            self._select = name
            self.controls[name] = []
            self.kinds[name] = "select"
        elif tag == "option" and self._select and attrs.get("value"):
            self.controls[self._select].append(attrs["value"])
            if "selected" in attrs:
                self.chosen.setdefault(self._select, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def canonical_ids(attempt) -> set[str]:
    ids = set()
    for question in attempt.questions:
        ids.add(question["id"])
        for key in ("options", "pairs", "steps"):
            ids.update(item["id"] for item in question.get(key, []))
    return ids


@pytest.fixture
def quiz_place(course):
    quiz = make_quiz(course, questions=QUESTIONS, shuffle_options=True, max_attempts=None)
    module = course_modules(course)[-1]
    return quiz, module, add_quiz_block(module, quiz)


def learner_attempt(quiz_place, course, user=None):
    """A learner with an attempt in progress, and the attempt page as their browser got it."""
    quiz, module, block_id = quiz_place
    user = user or UserFactory()
    course_services.enrolment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
    attempt = QuizAttempt.objects.get(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS)
    html = client.get(reverse("assessments:attempt", args=[attempt.public_id])).content.decode()
    return client, attempt, html


def test_no_id_of_the_key_reaches_the_page_and_nothing_carries_over_between_attempts(quiz_place, course):
    _client, first, first_html = learner_attempt(quiz_place, course)
    _client, second, second_html = learner_attempt(quiz_place, course)
    for attempt, html in ((first, first_html), (second, second_html)):
        for stored_id in canonical_ids(attempt):
            assert stored_id not in html
        page = read(html)
        assert len(page.controls) == 1 + 1 + 2 + 4 + 4 + 2 + 1  # every answer field was found
        assert not {"true", "false"} & set(page.attributes)
    first_page, second_page = read(first_html), read(second_html)
    first_tokens = set(first_page.controls) | {v for vs in first_page.controls.values() for v in vs}
    second_tokens = set(second_page.controls) | {v for vs in second_page.controls.values() for v in vs}
    # Only the places 1..n and the ratings 1..5 (labels the learner reads anyway) are the same.
    assert first_tokens & second_tokens <= {str(n) for n in range(1, 6)}


def test_the_tokens_stay_the_same_within_an_attempt_so_a_reload_keeps_the_saved_answers(quiz_place, course):
    client, attempt, html = learner_attempt(quiz_place, course)
    url = reverse("assessments:attempt", args=[attempt.public_id])
    right = correct_post(attempt)
    response = client.post(url, {**right, "action": "save"}, HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True
    for stored_id in canonical_ids(attempt):
        assert stored_id not in response.content.decode()
    again = read(client.get(url).content.decode())
    assert again.controls == read(html).controls
    # Every saved answer is shown chosen again, as the values that were posted.
    assert sum(len(values) for values in again.chosen.values()) == 1 + 2 + 1 + 1 + 4 + 4 + 2 + 1
    for name, values in again.chosen.items():
        posted = right[name]
        assert set(values) == set(posted if isinstance(posted, list) else [posted])
    # Stored with the questions' own ids, so grading and reports are unchanged.
    stored = dict(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    single = attempt.questions[[q["type"] for q in attempt.questions].index("single_choice")]
    assert stored[single["id"]] == next(o["id"] for o in single["options"] if o["correct"])
    response = client.post(url, {**right, "action": "submit"})
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.percent == 100


def _strategy_post(page: FormReader, strategy: str) -> dict[str, object]:
    post: dict[str, object] = {}
    for name, values in page.controls.items():
        suffix = name.rpartition(":")[2]
        if strategy == "suffix":
            chosen = [v for v in values if v == suffix][:1]
        elif strategy == "first":
            chosen = values[:1]
        elif strategy == "sorted":
            chosen = sorted(values)[:1]
        elif strategy == "last":
            chosen = values[-1:]
        post[name] = chosen
    return post


def _ordering_posts(page: FormReader, html: str) -> tuple[dict, dict]:
    """The steps numbered top to bottom, and bottom to top, question by question."""
    in_order, reversed_order = {}, {}
    questions: dict[str, list[str]] = {}
    for name, values in page.controls.items():
        if values and values[0] == "1" and name.count(":") == 2:  # a step's select: places 1..n
            questions.setdefault(name.split(":")[1], []).append(name)
    for names in questions.values():
        for place, name in enumerate(names, start=1):
            in_order[name] = str(place)
            reversed_order[name] = str(len(names) + 1 - place)
    return in_order, reversed_order


def test_reading_the_page_does_not_beat_guessing(quiz_place, course):
    """Thirty attempts, each answered by every strategy a script could try on what it sees."""
    rounds = 30
    fully_right: dict[tuple[str, str], int] = {}
    for _round in range(rounds):
        _client, attempt, html = learner_attempt(quiz_place, course)
        page = read(html)
        tokens = FormTokens.for_attempt(attempt)
        ordered, reversed_order = _ordering_posts(page, html)
        posts = {s: _strategy_post(page, s) for s in ("suffix", "first", "sorted", "last")}
        posts["steps as shown"] = ordered
        posts["steps reversed"] = reversed_order
        for strategy, post in posts.items():
            answers = tokens.answers(_as_query(post), check_positions=False)
            for question in attempt.questions:
                _score, right = grading.score_answer(question, answers.get(question["id"]))
                key = (strategy, question["text"])
                fully_right[key] = fully_right.get(key, 0) + bool(right)
    # Matching: no option value equals its field's suffix, so that strategy answers nothing.
    assert fully_right[("suffix", "Koble")] == 0
    for (strategy, text), count in fully_right.items():
        if text in ("Sant?", "Usant?") and strategy in ("first", "last"):
            continue  # «Sant» is always shown first: answering «Sant» everywhere is no key
        # Chance is at most 1/2 (two steps, true/false); a leak would be right every time.
        assert count <= rounds * 0.85, (strategy, text, count)
    # With the options shuffled, the right one is not first more often than chance (1 in 4).
    assert fully_right[("first", "Ett svar")] <= rounds * 0.7
    # Steps are shown in an order drawn at random, so neither it nor its reverse is the key.
    assert fully_right[("steps as shown", "To steg")] < rounds
    assert fully_right[("steps reversed", "To steg")] < rounds


def _as_query(post: dict):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({k: list(v) if isinstance(v, list) else [v] for k, v in post.items()})


def test_true_false_values_are_tokens_unrelated_to_the_key(quiz_place, course):
    """Both true/false questions show «Sant» first; which token is which is drawn per attempt."""
    _client, attempt, html = learner_attempt(quiz_place, course)
    page = read(html)
    radio_groups = [values for name, values in page.controls.items() if page.kinds[name] == "radio"]
    truth_groups = [values for values in radio_groups if len(values) == 2]
    assert len(truth_groups) == 2
    assert truth_groups[0] != truth_groups[1]  # the same answer has another value in each question


@pytest.mark.parametrize(
    "where", ["made up", "another learner's attempt", "the learner's own earlier attempt"]
)
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_post_with_tokens_the_attempt_did_not_hand_out_is_refused_and_changes_nothing(
    quiz_place, course, where, accept
):
    learner = UserFactory()
    if where == "the learner's own earlier attempt":
        client, earlier, _html = learner_attempt(quiz_place, course, user=learner)
        services.attempt_submit(user=learner, attempt=earlier, data=_as_query(correct_post(earlier)))
        foreign = correct_post(earlier)
        quiz, module, block_id = quiz_place
        client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
        attempt = QuizAttempt.objects.get(user=learner, status=AttemptStatus.IN_PROGRESS)
    else:
        client, attempt, _html = learner_attempt(quiz_place, course, user=learner)
        if where == "made up":
            foreign = {"q:0123456789abcdef0123": "0123456789abcdef0123"}
        else:
            _other_client, other, _other_html = learner_attempt(quiz_place, course)
            foreign = correct_post(other)
    url = reverse("assessments:attempt", args=[attempt.public_id])
    own_single = next(q for q in attempt.questions if q["type"] == "single_choice")
    wrong = next(o["id"] for o in own_single["options"] if not o["correct"])
    saved = form_post(attempt, {f"q:{own_single['id']}": wrong})
    assert client.post(url, {**saved, "action": "save"}, HTTP_ACCEPT="application/json").json()["ok"]

    response = client.post(url, {**saved, **foreign, "action": "submit"}, HTTP_ACCEPT=accept, follow=True)

    message = "Svaret gjelder et spørsmål som ikke er med i dette forsøket. Ingenting ble lagret."
    if accept == "application/json":
        assert response.status_code == 400
        assert message in response.json()["error"]
    else:
        assert message in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.score is None
    stored = {a.question_id: a.response for a in AttemptAnswer.objects.filter(attempt=attempt)}
    assert stored[own_single["id"]] == wrong
    assert sum(1 for response in stored.values() if response is not None) == 1


def test_a_known_question_with_an_unknown_option_token_is_refused(quiz_place, course):
    client, attempt, html = learner_attempt(quiz_place, course)
    url = reverse("assessments:attempt", args=[attempt.public_id])
    page = read(html)
    select_name = next(name for name, kind in page.kinds.items() if kind == "select")
    # A step's or pair's own token used as the value (the old trick), and an id from the key.
    single = next(q for q in attempt.questions if q["type"] == "single_choice")
    radio_name = "q:" + FormTokens.for_attempt(attempt).question(single["id"])
    for post in (
        {select_name: select_name.rpartition(":")[2]},
        {radio_name: single["options"][0]["id"]},
    ):
        response = client.post(url, {**post, "action": "save"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 400
        assert response.json()["error"].startswith(
            "Et av svarene viser til et svaralternativ som ikke finnes."
        )
    assert not AttemptAnswer.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_the_review_after_a_pass_and_the_module_status_name_no_ids(quiz_place, course):
    client, attempt, _html = learner_attempt(quiz_place, course)
    client.post(
        reverse("assessments:attempt", args=[attempt.public_id]),
        {**correct_post(attempt), "action": "submit"},
    )
    attempt.refresh_from_db()
    assert attempt.passed
    review = client.get(reverse("assessments:attempt_result", args=[attempt.public_id])).content.decode()
    assert "Oslo → Norge" in review  # the right answers, in words, after the pass
    _quiz, module, _block = quiz_place
    state = client.get(reverse("courses:module_state", args=[module.pk])).content.decode()
    module_page = client.get(module.url).content.decode()
    for stored_id in canonical_ids(attempt):
        assert stored_id not in review
        assert stored_id not in state
        assert stored_id not in module_page


def test_attempts_from_before_the_tokens_get_a_secret_each_and_keep_their_saved_answers(quiz_place, course):
    """Migration 0006 gives every existing attempt its own secret; answers were and are stored with
    the questions' own ids, so an attempt in progress shows what was saved and grades as before."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0006_attempt_form_secret")
    client, attempt, _html = learner_attempt(quiz_place, course)
    _other_client, other, _other_html = learner_attempt(quiz_place, course)
    single = next(q for q in attempt.questions if q["type"] == "single_choice")
    right = next(o["id"] for o in single["options"] if o["correct"])
    AttemptAnswer.objects.filter(attempt=attempt, question_id=single["id"]).update(response=right)
    QuizAttempt.objects.filter(pk__in=[attempt.pk, other.pk]).update(form_secret="")

    migration.give_each_attempt_a_secret(apps, None)

    attempt.refresh_from_db()
    other.refresh_from_db()
    assert len(attempt.form_secret) == 64 and len(other.form_secret) == 64
    assert attempt.form_secret != other.form_secret
    page = read(client.get(reverse("assessments:attempt", args=[attempt.public_id])).content.decode())
    tokens = FormTokens.for_attempt(attempt)
    assert page.chosen == {tokens.field_name(single["id"]): [tokens.value(single["id"], right)]}
