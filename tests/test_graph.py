"""`gdpr-bot graph`: the state machine drawn from dialogues/flow.yaml."""

import re

from bot.paths import PROJECT_ROOT
from tests.support.chat import run_cli


def test_the_diagram_lists_every_state_of_the_flow(content):
    status, out, _err = run_cli("graph")
    assert status == 0
    assert out.splitlines()[3] == "stateDiagram-v2"
    drawn = set(re.findall(r'^  state "(\w+)" as \1$', out, re.M))
    assert drawn == set(content.flow.states)


def test_transitions_from_every_step_are_one_comment_unless_asked_for(content):
    _status, out, _err = run_cli("graph")
    assert "%% From every step: " in out
    assert "menu --> forget: asked_to_forget" not in out
    _status, busy, _err = run_cli("graph", "--every-step")
    assert "menu --> forget: asked_to_forget" in busy
    assert "draft_review --> draft_result: went_on" in out


def test_the_readme_shows_the_current_diagram():
    _status, out, _err = run_cli("graph")
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert f"```mermaid\n{out}```" in readme, "paste the output of `gdpr-bot graph` into README.md"
