"""Chunks fit the model window (title included), split at sentences, and give the text back."""

from __future__ import annotations

from datetime import date

from index.chunking import Chunker, content_hash
from index.embedder import DEFAULT_MAX_TOKENS, Embedder
from index.text import one_line
from index.types import Document


def doc(text: str, title: str = "A title about the Niger crisis") -> Document:
    return Document(id="d1", title=title, text=text, url="", date=date(2023, 8, 1), source="t", language="en")


def test_long_document_is_split_within_the_window() -> None:
    embedder = Embedder()
    sentences = [f"Sentence number {i} says that the junta met envoys from the bloc in Niamey on day {i}."
                 for i in range(120)]
    long_doc = doc(" ".join(sentences))
    chunks = Chunker(embedder).chunk([long_doc])
    assert len(chunks) > 5
    sizes = embedder.count_tokens([c.embed_text for c in chunks])
    assert max(sizes) + 2 <= DEFAULT_MAX_TOKENS  # [CLS] and [SEP] included
    # Sentence-aware: every chunk ends at a sentence end.
    assert all(c.text.rstrip().endswith(".") for c in chunks)
    # No overlap, nothing lost: joined chunks give back the text.
    assert one_line(" ".join(c.text for c in chunks)) == one_line(long_doc.text)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert all(c.embed_text.startswith(long_doc.title) for c in chunks)


def test_short_document_is_one_chunk_with_its_title() -> None:
    chunks = Chunker(Embedder()).chunk([doc("Short body."), doc("", title="Title only")])
    assert [c.text for c in chunks] == ["Short body.", ""]
    assert chunks[1].embed_text == "Title only"


def test_content_hash_changes_with_content_only() -> None:
    a = doc("Body one.")
    assert content_hash(a) == content_hash(doc("Body one."))
    assert content_hash(a) != content_hash(doc("Body two."))
    assert content_hash(a) != content_hash(doc("Body one.", title="Other title"))
