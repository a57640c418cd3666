"""Catalogue search that understands Norwegian compound words.

Norwegian writes compounds as one word («medisinbruk», «pasientopplæring»), so a search for one of
their parts must find them. Full-text search alone matches whole words only (the database backend
stems them), so each word the learner types also matches anywhere inside the course's title
or summary (infix: «medisin» and «bruk» both find «medisinbruk»). On PostgreSQL,
pg_trgm's word similarity also forgives a typo in the title («medisinbrk»).

Every filter here is part of one SQL query on the catalogue's courses, besides the one the search
backend runs; the number of queries does not grow with the number of courses.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

# How alike a typed word and a word of the title must be (pg_trgm word similarity, 0–1).
TRIGRAM_WORD_SIMILARITY = 0.5
# Words shorter than this only match as full-text words: «i» or «og» would match nearly everything.
MIN_INFIX_LENGTH = 3


def search_words(query: str) -> list[str]:
    return [word for word in query.split() if word]


def search_courses(courses: QuerySet, query: str, *, candidates: QuerySet) -> QuerySet:
    """The courses (a CoursePage queryset) that match `query`.

    A course matches when the search backend finds it (whole words, stemmed), or when every word
    of the query of at least MIN_INFIX_LENGTH letters is part of its title or summary, or
    (PostgreSQL) is like a word of its title. `candidates` is the queryset the search backend
    searches (the catalogue's live courses).
    """
    # Every word must match, on every backend (PostgreSQL's full-text search defaults to any word).
    full_text_ids = [page.pk for page in candidates.search(query, operator="and")]
    matches = Q(pk__in=full_text_ids)
    words = [word for word in search_words(query) if len(word) >= MIN_INFIX_LENGTH]
    if words:
        every_word = Q()
        for index, word in enumerate(words):
            this_word = Q(title__icontains=word) | Q(summary__icontains=word)
            if connection.vendor == "postgresql":
                from django.contrib.postgres.search import TrigramWordSimilarity

                similarity = f"title_similarity_{index}"
                courses = courses.annotate(**{similarity: TrigramWordSimilarity(word, "title")})
                this_word |= Q(**{f"{similarity}__gte": TRIGRAM_WORD_SIMILARITY})
            every_word &= this_word
        matches |= every_word
    return courses.filter(matches)
