"""Telegram with model answers: "typing…" while the model works, and only verified text is sent.

The real PTB Application against the Bot API stand-in, the real engine configured with
`BRIEFBOT_ANSWERER=llm`, and the chat-completions stand-in taking five seconds to reply with
one supported sentence and one that carries a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Briefbot, Settings
from support.botapi_standin import BotAPIStandin, private_chat
from support.openai_standin import OpenAIStandin, Slow
from support.telegram_harness import guarded_bot
from support.telegram_html import visible_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ME = 111
MODEL_SECONDS = 5.0  # longer than the typing indicator lasts (TYPING_RENEW_S = 4.5): it must be renewed


@pytest.fixture(scope="module")
def standin() -> Iterator[OpenAIStandin]:
    with OpenAIStandin() as server:
        yield server


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, standin: OpenAIStandin) -> Briefbot:
    settings = Settings(data_dir=tmp_path_factory.mktemp("llm-telegram"), answerer="llm", llm_url=standin.url,
                        llm_model=standin.model, llm_timeout=20, _env_file=None)
    bb = Briefbot(settings)
    bb.ingest([ROOT / "seeds", ROOT / "tests" / "corpus"])
    return bb


def test_typing_shows_while_the_model_works_and_only_verified_text_is_sent(api: BotAPIStandin, engine: Briefbot,
                                                                          standin: OpenAIStandin) -> None:
    standin.script(Slow(MODEL_SECONDS, "Tchiani appointed Ali Mahaman Lamine Zeine as prime minister {cite:Zeine}. "
                                       "Read more at http://niger-truth.example/login {cite:Zeine}."))
    with guarded_bot(api, engine, allowed_chats=frozenset({ME})):
        api.send_text(private_chat(ME), "Who did General Tchiani appoint as prime minister?")
        api.wait_for_messages(ME, 1, timeout=60)
    sent = api.calls("sendMessage", ME, ok_only=True)
    typing = [c for c in api.calls("sendChatAction", ME) if c.at < sent[0].at]
    assert len(standin.requests) == 1
    asked_at = standin.requests[0].received
    # "typing…" before the model was asked and again while it worked (renewed every 4.5 s).
    assert len(typing) >= 2 and any(c.at > asked_at for c in typing), [c.at - asked_at for c in typing]
    text = visible_text(sent[0].params["text"])
    assert "Tchiani appointed Ali Mahaman Lamine Zeine as prime minister." in text
    assert "niger-truth" not in text and "Read more" not in text
    print(f"\nmodel took {MODEL_SECONDS:g} s; {len(typing)} typing actions before the answer")
