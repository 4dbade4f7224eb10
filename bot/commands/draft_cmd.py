"""`gdpr-bot draft`: write the short version, the letter and the guidance from command-line answers.

A contract other tools rely on: `--json` prints one object {"lang", "short", "letter", "guidance"};
an unknown value, a missing --platform or --reason, or a detail over the limit exits with status 2.
"""

from __future__ import annotations

import json

from bot.env import ExitStatus
from bot.errors import UsageError
from bot.i18n import Catalogs
from bot.letter import DETAIL_LIMIT, NAME_LIMIT, DraftAnswers, LetterContent, LetterWriter


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "draft",
        help="draft a GDPR Art. 21(1) objection to Meta's AI training",
        description="Print the short version for Meta's form, the letter and where to use them.",
    )
    parser.add_argument(
        "--lang", default="en", help="language of the letter: en or fr (default: en)"
    )
    parser.add_argument(
        "--platform",
        action="append",
        default=[],
        metavar="ID",
        help="facebook or instagram; repeat it for both (at least one)",
    )
    parser.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="ID",
        help="a ground id from dialogues/letter.yaml, such as children; repeat it (at least one)",
    )
    parser.add_argument(
        "--detail",
        default="",
        help=f"your own sentence, quoted as is (at most {DETAIL_LIMIT} characters)",
    )
    parser.add_argument(
        "--name",
        default="",
        help=f"the name that signs the letter (at most {NAME_LIMIT} characters)",
    )
    parser.add_argument(
        "--country",
        default="",
        help="ISO code of your country, such as FR (default: Meta's lead authority)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.set_defaults(run=run)


def run(args, env) -> int:
    content = LetterContent.load(env.content.dialogues / "letter.yaml")
    if not args.platform:
        valid = ", ".join(platform.id for platform in content.platforms)
        raise UsageError(f"give at least one --platform ({valid})")
    if not args.reason:
        valid = ", ".join(reason.id for reason in content.reasons)
        raise UsageError(f"give at least one --reason ({valid})")
    catalogs = Catalogs.load(env.content.locales)
    answers = DraftAnswers(
        platforms=tuple(args.platform),
        reasons=tuple(args.reason),
        detail=args.detail,
        name=args.name,
        country=args.country,
        lang=args.lang,
    )
    draft = LetterWriter(content, catalogs).compose(answers, env.today())
    if args.json:
        payload = {
            "lang": args.lang,
            "short": draft.short,
            "letter": draft.letter,
            "guidance": draft.guidance,
        }
        env.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return ExitStatus.OK
    _ = catalogs.translator(args.lang)
    headings = content.texts["headings"]
    sections = (
        (_(headings["short"], count=len(draft.short)), draft.short),
        (_(headings["letter"], count=len(draft.letter)), draft.letter),
        (_(headings["guidance"]), draft.guidance),
    )
    env.stdout.write(
        "\n\n".join(f"===== {heading} =====\n\n{text}" for heading, text in sections) + "\n"
    )
    return ExitStatus.OK
