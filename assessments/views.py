"""The learner's side of assessments: taking quizzes, writing reflections, evaluating a course.

Objects are always looked up together with the requesting user, so anyone
else's attempt or reflection is "not found" (404), never "forbidden".
Autosave requests (fetch with Accept: application/json) get JSON; plain form
posts get a redirect with a message, so everything works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors
from courses.models import ModulePage

from . import grading, selectors, services
from .activities import QUIZ
from .forms import EvaluationForm, SelfAssessmentForm
from .formtokens import FormTokens, question_for_learner
from .models import Quiz, QuizAttempt, ReflectionAnswer, SelfAssessmentPhase


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error(request, message: str, *, redirect_to: str, status: int = 400):
    if _wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    messages.error(request, message)
    return redirect(redirect_to)


def _enrolled_module(request, module_id: int) -> tuple[ModulePage, object]:
    """A live module of a live course the user is enrolled in; 404 otherwise."""
    module, _course, enrolment = course_selectors.live_module_for_learner(
        user=request.user, module_id=module_id
    )
    return module, enrolment


# Quizzes --------------------------------------------------------------------------------------


@require_POST
@login_required
def quiz_start(request, module_id: int, block_id: str):
    module, enrolment = _enrolled_module(request, module_id)
    try:
        quiz = selectors.quiz_for_block(module=module, block_id=block_id)
    except Quiz.DoesNotExist:
        raise Http404 from None
    try:
        attempt = services.attempt_start(
            user=request.user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
    except services.AssessmentError as error:
        return _error(request, str(error), redirect_to=module.url)
    return redirect("assessments:attempt", public_id=attempt.public_id)


def _own_attempt(request, public_id) -> QuizAttempt:
    try:
        return selectors.attempt_for_learner(user=request.user, public_id=public_id)
    except QuizAttempt.DoesNotExist:
        raise Http404 from None


@login_required
def attempt(request, public_id):
    """GET: the questions as a form. POST: save answers (action=save) or hand in (action=submit)."""
    attempt = _own_attempt(request, public_id)
    if request.method == "POST":
        return _attempt_post(request, attempt)
    if not attempt.is_in_progress:
        return redirect("assessments:attempt_result", public_id=attempt.public_id)
    if services.attempt_time_is_up(attempt):
        services.attempt_close_expired(attempt=attempt)
        messages.warning(request, _("Tiden er ute. Forsøket er vurdert ut fra svarene som ble lagret."))
        return redirect("assessments:attempt_result", public_id=attempt.public_id)
    return _attempt_page(request, attempt)


# Quiz authors often end a multiple-response question with this hint themselves; the page adds it
# only to questions that do not already say so.
_CHOOSE_ALL_HINTS = ("velg alle som passer", "velg ett eller flere", "select all that apply")


def _attempt_page(request, attempt: QuizAttempt, *, posted=None, errors=None, status: int = 200):
    """The questions as a form, with the saved answers; after a refused post (`errors`: {question id:
    message}) with the answers as posted, each error at its question and the first one focused."""
    saved = selectors.attempt_answers(attempt)
    responses = {question_id: answer.response for question_id, answer in saved.items()}
    tokens = FormTokens.for_attempt(attempt)
    if posted is not None:
        responses.update(tokens.answers(posted, check_positions=False))
    errors = errors or {}
    questions = []
    for snapshot in attempt.questions:
        question = question_for_learner(snapshot, tokens, responses.get(snapshot["id"]))
        text = question["text"].lower()
        question["choose_all_hint"] = question["type"] == "multiple_response" and not any(
            hint in text for hint in (*_CHOOSE_ALL_HINTS, _("(Velg alle som passer.)").strip("(.)").lower())
        )
        question["error"] = errors.get(snapshot["id"], "")
        question["focus_first"] = bool(question["error"]) and not any(q["error"] for q in questions)
        questions.append(question)
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "back_url": f"{attempt.module.url}#quiz-{attempt.block_id}",
        },
        status=status,
    )


def _attempt_post(request, attempt: QuizAttempt):
    action = request.POST.get("action")
    here = request.path
    try:
        if action == "submit":
            services.attempt_submit(user=request.user, attempt=attempt, data=request.POST)
        elif action == "save":
            saved = services.attempt_answers_save(user=request.user, attempt=attempt, data=request.POST)
            if _wants_json(request):
                return JsonResponse(
                    {"ok": True, "saved": saved, "at": timezone.localtime().strftime("%H:%M")}
                )
            messages.success(request, _("Svarene er lagret."))
            return redirect(here)
        else:
            return _error(request, _("Ukjent handling."), redirect_to=here)
    except grading.DuplicatePositionError as error:
        # An honest slip (two steps in the same place): nothing saved, the error at its question.
        if _wants_json(request):
            # Keyed by the questions' tokens on the page, never by their ids.
            errors = FormTokens.for_attempt(attempt).errors(error.errors)
            return JsonResponse({"ok": False, "error": str(error), "errors": errors}, status=400)
        return _attempt_page(request, attempt, posted=request.POST, errors=error.errors, status=400)
    except grading.InvalidAnswerError as error:
        return _error(
            request,
            _("%(error)s Ingenting ble lagret. Last inn siden på nytt.") % {"error": error},
            redirect_to=here,
        )
    except services.AttemptTimeUpError as error:
        return _error(
            request,
            str(error),
            redirect_to=reverse("assessments:attempt_result", args=[attempt.public_id]),
            status=409,
        )
    except services.AttemptClosedError as error:
        if action == "save" and _wants_json(request):
            # An autosave that arrives after the learner handed in (the submit won the race, or
            # another tab did it): it changed nothing, and that is no error for the page that sent it.
            return JsonResponse(
                {
                    "ok": True,
                    "saved": 0,
                    "closed": True,
                    "result_url": reverse("assessments:attempt_result", args=[attempt.public_id]),
                }
            )
        return _error(request, str(error), redirect_to=here, status=409)
    return redirect("assessments:attempt_result", public_id=attempt.public_id)


@login_required
def attempt_result(request, public_id):
    attempt = _own_attempt(request, public_id)
    if attempt.is_in_progress:
        return redirect("assessments:attempt", public_id=attempt.public_id)
    standing = selectors.quiz_standing(user=request.user, quiz=attempt.quiz)
    show_correct = selectors.correct_answers_visible(attempt=attempt, has_passed=standing.has_passed)
    answers = selectors.attempt_answers(attempt)
    review = []
    for question in attempt.questions:
        answer = answers.get(question["id"])
        response = answer.response if answer else None
        is_correct = answer.is_correct if answer else None
        review.append(
            {
                "text": question["text"],
                "graded": question["max_score"] > 0,
                "is_correct": is_correct,
                "score": answer.score if answer else 0,
                "your_answer": grading.response_text(question, response),
                "feedback": question["feedback_correct"] if is_correct else question["feedback_incorrect"],
                "option_feedback": grading.chosen_option_feedback(question, response) if show_correct else [],
                "correct_answer": grading.correct_answer_text(question) if show_correct else [],
            }
        )
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "standing": standing,
            "review": review,
            "show_correct": show_correct,
            # «Prøv igjen» starts a new attempt from the same block, while the module still has it.
            "can_retry": attempt.module.live
            and course_selectors.module_block(attempt.module, block_id=attempt.block_id, block_type=QUIZ)
            is not None,
            "back_url": f"{attempt.module.url}#quiz-{attempt.block_id}",
        },
    )


# Reflections ----------------------------------------------------------------------------------


@require_POST
@login_required
def reflection_save(request, module_id: int, block_id: str):
    """Autosave a draft (action=save) or submit the answer (action=submit)."""
    module, _enrolment = _enrolled_module(request, module_id)
    try:
        block = selectors.reflection_block(module=module, block_id=block_id)
    except ReflectionAnswer.DoesNotExist:
        raise Http404 from None
    back = f"{module.url}#reflection-{block_id}"
    action = request.POST.get("action")
    if action not in ("save", "submit"):
        return _error(request, _("Ukjent handling."), redirect_to=back)
    is_html = request.POST.get("format") == "html"
    text = request.POST.get("html" if is_html else "text", "")
    try:
        answer = services.reflection_save(
            user=request.user,
            module=module,
            block_id=block_id,
            prompt=block["prompt"],
            text=text,
            is_html=is_html,
            submit=action == "submit",
        )
    except services.AssessmentError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": str(error)}, status=400)
        return _module_page_with_error(
            request, module=module, block_id=block_id, message=str(error), text=text, is_html=is_html
        )
    submitted_text = _("Refleksjonen er levert. Bare du kan lese den, med mindre du deler den.")
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "status": answer.status,
                "at": timezone.localtime(answer.updated_at).strftime("%H:%M"),
                "message": submitted_text if action == "submit" else "",
            }
        )
    if action == "submit":
        messages.success(request, submitted_text)
    else:
        messages.success(request, _("Utkastet er lagret."))
    return redirect(back)


def _module_page_with_error(
    request, *, module: ModulePage, block_id: str, message: str, text: str, is_html: bool
):
    """A refused reflection posted without JavaScript: the module page again, with the error at the
    reflection's field (focused there) and the learner's text kept, so nothing typed is lost."""
    try:
        kept = services.reflection_text_clean(text=text, is_html=is_html)
    except services.AssessmentError:
        kept = None  # too long to keep: the field shows the saved answer
    request.activity_errors = {block_id: {"message": message, "html": kept}}
    response = module.serve(request)
    response.status_code = 400
    return response


@login_required
def my_reflections(request):
    return render(
        request,
        "assessments/my_reflections.html",
        {"reflections": selectors.reflections_of_learner(user=request.user)},
    )


def _own_reflection(request, reflection_id: int) -> ReflectionAnswer:
    return get_object_or_404(
        ReflectionAnswer.objects.select_related("course", "module"), pk=reflection_id, user=request.user
    )


@login_required
def reflection_detail(request, reflection_id: int):
    reflection = _own_reflection(request, reflection_id)
    return render(
        request,
        "assessments/reflection_detail.html",
        {"reflection": reflection, "feedback": list(reflection.feedback.all())},
    )


@require_POST
@login_required
def reflection_share(request, reflection_id: int):
    reflection = _own_reflection(request, reflection_id)
    share = request.POST.get("share") == "1"
    back = reverse("assessments:my_reflections")
    try:
        services.reflection_share(user=request.user, reflection=reflection, share=share)
    except services.AssessmentError as error:
        return _error(request, str(error), redirect_to=back)
    if share:
        messages.success(request, _("Refleksjonen er delt med kursholderne."))
    else:
        messages.success(request, _("Refleksjonen er ikke lenger delt."))
    return redirect(back)


@login_required
def reflections_download(request):
    """All the learner's own reflections in one PDF."""
    from weasyprint import HTML  # imported here: loading it costs every process about a second at start

    reflections = selectors.reflections_of_learner(user=request.user)
    html = render_to_string(
        "assessments/reflections_pdf.html",
        {"reflections": reflections, "person": request.user, "generated": timezone.localtime()},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mine-refleksjoner.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Course evaluation and self-assessment --------------------------------------------------------


@login_required
def evaluation(request, course_id: int):
    course, enrolment = course_selectors.live_course_for_learner(user=request.user, course_id=course_id)
    if not course.evaluation_enabled:
        raise Http404
    if selectors.evaluation_submitted(enrolment=enrolment):
        messages.info(request, _("Du har allerede evaluert dette kurset. Takk!"))
        return redirect(course.url)
    if not selectors.evaluation_is_open(enrolment=enrolment, course=course):
        messages.info(request, _("Kursevalueringen åpner når du har fullført alle modulene."))
        return redirect(course.url)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(user=request.user, course=course, answers=form.cleaned_data)
        except services.AssessmentError as error:
            messages.error(request, str(error))
            return redirect(course.url)
        messages.success(request, _("Takk for evalueringen! Svarene dine er anonyme."))
        return redirect(course.url)
    return render(request, "assessments/evaluation.html", {"course": course, "form": form})


@login_required
def self_assessment(request, course_id: int, phase: str):
    course, enrolment = course_selectors.live_course_for_learner(user=request.user, course_id=course_id)
    if not course.self_assessment_enabled or phase not in SelfAssessmentPhase.values:
        raise Http404
    if selectors.self_assessment_due(enrolment=enrolment, course=course) != phase:
        messages.info(request, _("Denne egenvurderingen er ikke åpen nå."))
        return redirect(course.url)
    form = SelfAssessmentForm(request.POST or None, areas=course.competence_areas.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_submit(
                user=request.user, course=course, phase=phase, ratings=form.ratings()
            )
        except services.AssessmentError as error:
            messages.error(request, str(error))
            return redirect(course.url)
        messages.success(request, _("Takk! Egenvurderingen er lagret."))
        return redirect(course.url)
    return render(
        request, "assessments/self_assessment.html", {"course": course, "form": form, "phase": phase}
    )
