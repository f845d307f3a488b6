"""Why the model client is plain httpx: llama-index's OpenAILike against `index.llm_client.ChatClient`.

    # OpenAILike is not a briefbot dependency: measure it from a throwaway venv that sees the project's
    python -m venv /tmp/like
    echo "$PWD/.venv/lib/python3.11/site-packages" > /tmp/like/lib/python3.11/site-packages/p.pth
    /tmp/like/bin/pip install llama-index-llms-openai-like
    PYTHONPATH=. /tmp/like/bin/python bench/llm_client_choice.py

Against the loopback stand-in with a 2 s timeout: how long a 500 and a hung server keep a
question waiting, and how many requests each client sends; plus what importing each costs.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from index.llm_client import ChatClient  # noqa: E402
from support.openai_standin import Behaviour, Hang, OpenAIStandin, Status  # noqa: E402

TIMEOUT = 2.0


def import_cost(statement: str) -> str:
    code = ("import sys, time; import httpx; n = len(sys.modules); t = time.perf_counter(); " + statement +
            "; print(f'{time.perf_counter() - t:.2f} s, +{len(sys.modules) - n} modules')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def run(name: str, call, behaviour: Behaviour, standin: OpenAIStandin) -> None:  # type: ignore[no-untyped-def]
    standin.clear()
    standin.default = behaviour
    started = time.perf_counter()
    try:
        call()
        outcome = "answered"
    except Exception as exc:  # each client raises its own kind
        outcome = type(exc).__name__
    print(f"| {name} | {type(behaviour).__name__} | {time.perf_counter() - started:.1f} | {len(standin.requests)} "
          f"| {outcome} |")


def main() -> None:
    try:
        from llama_index.core.llms import ChatMessage
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        sys.exit("llama-index-llms-openai-like is not installed here (see this file's docstring)")
    print("import cost (after httpx):")
    print(f"  index.llm_client: {import_cost('import index.llm_client')}")
    print(f"  OpenAILike: {import_cost('from llama_index.llms.openai_like import OpenAILike')}\n")
    messages = [ChatMessage(role="user", content="Who leads Niger?")]
    with OpenAIStandin() as standin:
        ours = ChatClient(standin.url, standin.model, timeout=TIMEOUT, cooldown=0)
        default_like = OpenAILike(model=standin.model, api_base=standin.url, api_key="x", is_chat_model=True,
                                  timeout=TIMEOUT)
        no_retry_like = OpenAILike(model=standin.model, api_base=standin.url, api_key="x", is_chat_model=True,
                                   timeout=TIMEOUT, max_retries=0)
        print(f"| client (timeout {TIMEOUT:g} s) | server | seconds | requests | outcome |")
        print("|---|---|---|---|---|")
        for behaviour in (Status(500), Hang(60)):
            run("ChatClient", lambda: ours.complete([{"role": "user", "content": "Who leads Niger?"}]), behaviour,
                standin)
            run("OpenAILike, max_retries=0", lambda: no_retry_like.chat(messages), behaviour, standin)
            run("OpenAILike, defaults (max_retries=3)", lambda: default_like.chat(messages), behaviour, standin)


if __name__ == "__main__":
    main()
