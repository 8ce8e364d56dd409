"""Full-text search that behaves the same on SQLite and PostgreSQL.

Each event keeps one normalized search document (`Event.search_text`): everything a
reader can see of it, case-folded and without accents, so "uber" and "Über" match
"über" and "STRASSE" matches "Straße" on every database. A query matches events whose
document contains every word of it.
"""

import unicodedata


def normalize(text):
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def query_words(query, limit=8):
    """The distinct words of a reader's query, at most `limit` of them."""
    words = dict.fromkeys(normalize(query).split())
    return list(words)[:limit]


def document(event):
    """The search document of an event, from its prefetched or loadable parts."""
    parts = [event.title, event.summary, event.body, event.retraction_reason]
    if event.place_id:
        parts += [event.place.name, event.place.country]
    parts += [f"{p.name} {p.role} {p.organisation}" for p in event.people.all()]
    parts += [t.name for t in event.tags.all()]
    parts += [f"{q.speaker.name} {q.text} {q.occasion}" for q in event.quotes.all()]
    parts += [f"{s.title} {s.publisher}" for s in event.sources.all()]
    parts += [c.text for c in event.corrections.all()]
    return normalize(" ".join(parts))
