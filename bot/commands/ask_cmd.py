"""`gdpr-bot ask`: answer questions from the knowledge base, one per argument or per input line.

With --json each answer is one JSON object per line: topic (or null), lang, answer, score,
alternatives (the topic ids offered as buttons: instead of an answer, or under it when they
scored almost as well) and action (null, or the action a request starts:
draft_objection, draft_complaint, language, forget, smalltalk; its topic is then null).
With --explain each answer is followed by why: each channel's best candidates, the rule that
decided and the nearest examples; a content editor fixing a wrong answer starts there.
"""

from __future__ import annotations

import json

from bot.commands.common import add_lang_option
from bot.console import format_reply
from bot.engine import Dialogue, Event, Session, load_checked
from bot.env import ExitStatus
from bot.matcher import Matcher, explain_lines


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("ask", help="answer a question typed in your own words")
    add_lang_option(parser, "answer in this language (default: detected from each question)")
    parser.add_argument("--json", action="store_true", help="one JSON object per answer")
    parser.add_argument(
        "--explain", action="store_true", help="show why: scores, the rule that fired, examples"
    )
    parser.add_argument("question", nargs="*", help="the question; without it, one per stdin line")
    parser.set_defaults(run=run)


def run(args, env) -> int:
    content = load_checked(env.content)
    dialogue = Dialogue(content, today=env.today)
    questions = [" ".join(args.question)] if args.question else _lines(env.stdin)
    for question in questions:
        lang = args.lang or content.matcher.detect_language(question)
        answer = _answer(dialogue, question, lang)
        line = json.dumps(answer, ensure_ascii=False) if args.json else answer["answer"] + "\n"
        env.stdout.write(line + "\n")
        if args.explain:
            env.stdout.write(explain(content.matcher, question, lang) + "\n")
        env.stdout.flush()
    return ExitStatus.OK


def _lines(stream):
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")


def _answer(dialogue: Dialogue, question: str, lang: str) -> dict:
    content = dialogue.content
    match = content.matcher.match(question, lang)
    session = Session(user="ask", state="topic", lang=lang)
    if match.action:
        # What the dialogue does with this request, as a first message typed at the menu.
        outcome = dialogue.step(dialogue.new_session("ask", lang), Event("typed", question))
        text = format_reply(outcome.replies[0])
    elif match.topic:
        reply = dialogue.screens.topic_reply(
            match.topic, session, (), expanded=True, nearby=match.alternatives
        )
        text = format_reply(reply)
    else:
        _ = content.catalogs.translator(lang)
        key = "did_you_mean" if match.alternatives else "no_match"
        titles = [f"  • {_(content.knowledge.topics[t].title)}" for t in match.alternatives]
        text = "\n".join([_(content.flow.messages[key]).strip(), *titles])
    return {
        "topic": match.topic,
        "lang": lang,
        "answer": text,
        "score": round(match.score, 3),
        "alternatives": list(match.alternatives),
        "action": match.action,
    }


def explain(matcher: Matcher, question: str, lang: str) -> str:
    return "\n".join(f"  {line}" for line in explain_lines(matcher, question, lang)) + "\n"
