"""The OpenAI-compatible client against the shipped fake: answers, retries, clear failures."""

from __future__ import annotations

import httpx
import pytest

from inhouse.assist.fake_chat import FakeChat, Rule, load_script
from inhouse.assist.provider import AIUnavailable, ChatClient, ProviderConfig

PROMPT = [{"role": "user", "content": "TASK: reply\n资料：\n[S1] (kb 3): 每袋12.9元"}]


def client(fake: FakeChat, **config) -> tuple[ChatClient, list[float]]:
    slept: list[float] = []
    made = ChatClient(ProviderConfig("http://fake/v1", "m", "sk-secret", **config),
                      transport=httpx.WSGITransport(app=fake), sleep=slept.append)
    return made, slept


def test_the_grounded_fake_answers_with_the_first_source_cited():
    fake = FakeChat(api_key="sk-secret")
    answer = client(fake)[0].complete(PROMPT)
    assert answer.text == "您好！每袋12.9元[S1]。" and answer.total_tokens > 0
    assert fake.requests[0]["messages"] == PROMPT and fake.requests[0]["model"] == "m"


def test_rate_limits_and_server_errors_are_retried_with_backoff():
    fake = FakeChat([Rule("TASK", status=429, times=1), Rule("TASK", status=503, times=1)])
    made, slept = client(fake)
    assert made.complete(PROMPT).text.startswith("您好")
    assert len(fake.requests) == 3 and len(slept) == 2 and all(s > 0 for s in slept)


def test_a_refusal_is_not_retried_and_says_why():
    fake = FakeChat(api_key="another-key")
    made, slept = client(fake)
    with pytest.raises(AIUnavailable) as caught:
        made.complete(PROMPT)
    assert caught.value.reason == AIUnavailable.HTTP and "401" in caught.value.message
    assert slept == [] and len(fake.requests) == 0


def test_retries_run_out_into_a_clear_error():
    fake = FakeChat([Rule("TASK", status=500)])
    made, slept = client(fake, max_attempts=3)
    with pytest.raises(AIUnavailable, match="HTTP 500"):
        made.complete(PROMPT)
    assert len(fake.requests) == 3 and len(slept) == 2


def test_an_unreadable_answer_is_reported_not_crashed():
    def broken(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"choices": []}']

    made = ChatClient(ProviderConfig("http://x/v1", "m"), transport=httpx.WSGITransport(app=broken))
    with pytest.raises(AIUnavailable) as caught:
        made.complete(PROMPT)
    assert caught.value.reason == AIUnavailable.BAD_ANSWER


def test_the_key_never_shows_in_the_config_repr():
    assert "sk-secret" not in repr(ProviderConfig("http://x/v1", "m", "sk-secret"))


def test_scripts_load_with_clear_errors(tmp_path):
    good = tmp_path / "s.json"
    good.write_text('[{"when": "TASK: statement", "reply": "每袋8元[S1]。", "times": 1}]')
    assert load_script(good)[0].reply == "每袋8元[S1]。"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"reply": "x"}]')
    with pytest.raises(ValueError, match="rule 1 needs a 'when'"):
        load_script(bad)
