"""The labelled messages of dialogues/voices/ (spent blind sets): read, checked, and counted as
evidence by the semantic channel."""

from __future__ import annotations

import pytest
import yaml

import bot.matcher.knowledge as knowledge
from bot.engine import KnowledgeBase
from bot.errors import ContentError
from bot.matcher import Matcher
from bot.matcher.voices import Voiced, read_voices
from bot.paths import PROJECT_ROOT

VOICES = PROJECT_ROOT / "dialogues" / "voices"


def test_the_shipped_voices_are_read_whole_and_name_known_topics():
    sources = {path.name: path.read_bytes() for path in sorted(VOICES.glob("*.yaml"))}
    topic_ids = KnowledgeBase.load(PROJECT_ROOT / "dialogues" / "topics.yaml").topics
    messages = read_voices(sources, topic_ids)
    assert len(sources) >= 8 and len(messages) >= 3500
    assert {message.lang for message in messages} == {"en", "fr"}
    assert any(message.action == "forget" for message in messages)
    assert any(message.topic is None and message.action is None for message in messages)


@pytest.mark.parametrize(
    ("item", "error"),
    [
        ({"q": "When?", "lang": "en", "topic": "weather"}, r"unknown topic 'weather'"),
        ({"q": "Write it", "lang": "en", "action": "fly"}, r"unknown action 'fly'"),
        ({"q": "Quand ?", "lang": "de", "topic": "timeline"}, r"lang 'de'"),
        ({"lang": "en", "topic": "timeline"}, r"the message as `q`"),
        (
            {"q": "Write it", "lang": "en", "topic": "timeline", "action": "draft_objection"},
            r"a topic or an action, not both",
        ),
    ],
)
def test_a_faulty_message_is_a_content_error_naming_the_file_and_the_message(item, error):
    raw = yaml.safe_dump([{"q": "When does it start?", "lang": "en", "topic": "timeline"}, item])
    with pytest.raises(ContentError, match=rf"mine\.yaml: message 2: .*{error}"):
        read_voices({"mine.yaml": raw.encode()}, topic_ids=["timeline"])


def test_a_voice_is_evidence_for_its_class(tmp_path):
    """A message that only a voice resembles gets that voice's topic."""
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        yaml.safe_dump(
            {
                "topics": {
                    "timeline": {"en": ["When does the training start?"], "fr": ["Quand ?"]},
                    "pets": {"en": ["Can I bring my dog?"], "fr": ["Et mon chien ?"]},
                },
                "out_of_scope": {"en": ["hello"], "fr": ["salut"]},
            }
        ),
        encoding="utf-8",
    )
    voices = tmp_path / "voices"
    voices.mkdir()
    heard = [{"q": "My parrot keeps biting the postman", "lang": "en", "topic": "pets"}]
    (voices / "heard.yaml").write_text(yaml.safe_dump(heard), encoding="utf-8")
    question = "the parrot bit the postman again"
    without = Matcher.load(questions, cache=tmp_path / "cache")
    with_voices = Matcher.load(questions, cache=tmp_path / "cache", voices=voices)
    assert without.match(question, "en").topic is None
    assert with_voices.match(question, "en").topic == "pets"


def test_voices_are_kept_parsed_until_a_file_changes(tmp_path, monkeypatch):
    voices = tmp_path / "voices"
    voices.mkdir()
    heard = voices / "heard.yaml"
    heard.write_text('- {q: "Can I bring my dog?", lang: en, topic: pets}\n', encoding="utf-8")
    first = knowledge._semantic_voices(voices, ["pets"], tmp_path / "cache")
    assert first == [Voiced("Can I bring my dog?", "en", "pets", None)]
    parse = knowledge.read_voices
    monkeypatch.setattr(knowledge, "read_voices", None)  # a parse would now fail
    assert knowledge._semantic_voices(voices, ["pets"], tmp_path / "cache") == first
    monkeypatch.setattr(knowledge, "read_voices", parse)
    heard.write_text('- {q: "Et mon chien ?", lang: fr, topic: pets}\n', encoding="utf-8")
    assert knowledge._semantic_voices(voices, ["pets"], tmp_path / "cache")[0].lang == "fr"


def test_a_long_story_is_not_a_voice_of_the_semantic_channel(tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    story = (
        "I have been on Facebook since the very first year and shared holidays, birthdays, the "
        "garden and the dog. So where is the form?"
    )
    (voices / "heard.yaml").write_text(
        yaml.safe_dump(
            [
                {"q": story, "lang": "en", "topic": "pets"},
                {"q": "Can I bring my dog?", "lang": "en", "topic": "pets"},
            ]
        ),
        encoding="utf-8",
    )
    heard = knowledge._semantic_voices(voices, ["pets"], tmp_path / "cache")
    assert [message.text for message in heard] == ["Can I bring my dog?"]
