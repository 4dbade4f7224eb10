"""`gdpr-bot check` passes on the real content and names each problem of a broken copy."""

import shutil

import yaml

from bot.paths import PROJECT_ROOT
from tests.support.chat import run_cli


def test_check_passes_on_the_real_content():
    status, out, err = run_cli("check")
    assert (status, err) == (0, "")
    assert "content ok" in out


def broken_copy(tmp_path):
    shutil.copytree(PROJECT_ROOT / "dialogues", tmp_path / "dialogues")
    shutil.copytree(PROJECT_ROOT / "locales", tmp_path / "locales")
    flow_path = tmp_path / "dialogues" / "flow.yaml"
    flow = yaml.safe_load(flow_path.read_text())
    flow["machine"]["transitions"].append(
        {"trigger": "went_on", "source": "menu", "dest": "nowhere"}
    )
    flow["machine"]["transitions"].append(
        {"trigger": "asked", "source": "ask", "dest": "menu", "conditions": "is_rainy"}
    )
    flow["machine"]["states"].append("island")
    flow["screens"]["island"] = {"text": "Nobody comes here."}
    flow["screens"]["menu"]["buttons"].append(["t:" + "x" * 70])
    flow["screens"]["draft_linked"]["sets"] = "linkd"
    flow["numbered_steps"].append({"state": "draft_name", "when": "is_sunny"})
    flow_path.write_text(yaml.safe_dump(flow, allow_unicode=True))
    topics_path = tmp_path / "dialogues" / "topics.yaml"
    topics = yaml.safe_load(topics_path.read_text())
    topics["topics"][0]["sources"] = []
    topics["topics"][1]["actions"] = ["zz"]
    topics_path.write_text(yaml.safe_dump(topics, allow_unicode=True))
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "flow.po"
    po.write_text(po.read_text().replace('msgstr "Passer"', 'msgstr ""'))
    topics_po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "topics.po"
    topics_po.write_text(topics_po.read_text().replace("\u202f?", " ?", 1))
    return tmp_path


def test_check_names_every_problem_of_broken_content(tmp_path):
    status, _out, err = run_cli("check", content_root=broken_copy(tmp_path))
    assert status == 1
    assert "unknown destination 'nowhere'" in err
    assert "conditions 'is_rainy' is not a method" in err
    assert "state 'island' cannot be reached" in err
    assert "no topic 'xxxx" in err
    assert "screens.draft_linked: sets 'linkd', not a slot" in err
    assert "no source" in err
    assert "numbered_steps: when 'is_sunny' is not a method" in err
    assert "button 'zz': unknown code 'zz'" in err
    assert "fr: no translation for 'Skip'" in err
    assert "fr: no translation for 'Nobody comes here.'" in err
    assert "'?' needs a narrow no-break space (U+202F) before it" in err


def test_the_bot_refuses_to_start_on_broken_content(tmp_path):
    root = broken_copy(tmp_path)
    status, _out, err = run_cli("console", "--db", "memory", content_root=root, stdin="/quit\n")
    assert status == 1
    assert "the content has problems" in err
