"""`gdpr-bot draft`: write the short version, the letter and the guidance from command-line answers.

A contract other tools rely on: `--json` prints one object {"lang", "short", "letter", "guidance"},
for the objection to Meta (`--kind objection`, the default) as for the complaint to a data protection
authority (`--kind complaint`). `--pdf PATH` also writes the letter, ready to print, to PATH. An
unknown value, a missing option, a bad date or a detail over the limit exits with status 2; a PDF
that cannot be written exits with status 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.drafting import (
    DETAIL_LIMIT,
    NAME_LIMIT,
    OUTCOMES,
    VIAS,
    ComplaintAnswers,
    ComplaintContent,
    ComplaintWriter,
    Draft,
    DraftAnswers,
    LetterContent,
    LetterWriter,
    letter_pdf,
)
from bot.env import ExitStatus
from bot.errors import BotError, UsageError
from bot.i18n import Catalogs

KINDS = ("objection", "complaint")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "draft",
        help="draft a GDPR Art. 21(1) objection to Meta's AI training, or a complaint about it",
        description="Print the short version, the letter and where to use them.",
    )
    parser.add_argument(
        "--kind",
        default="objection",
        help="objection (to Meta, the default) or complaint (to a data protection authority, "
        "when Meta did not respect the objection)",
    )
    parser.add_argument(
        "--lang", default="en", help="language of the letter: en or fr (default: en)"
    )
    parser.add_argument(
        "--account",
        "--platform",  # its earlier name, still accepted
        dest="account",
        action="append",
        default=[],
        metavar="ID",
        help="facebook or instagram; repeat it for both (at least one for an objection; for a "
        "complaint, the accounts concerned if you want them named)",
    )
    parser.add_argument(
        "--ground",
        "--reason",  # its earlier name, still accepted
        dest="ground",
        action="append",
        default=[],
        metavar="ID",
        help="a ground id from dialogues/letter.yaml, such as children; repeat it (at least one "
        "for an objection; for a complaint, only the grounds the objection gave, if it gave any)",
    )
    parser.add_argument(
        "--outcome",
        metavar="ID",
        help=f"complaint only: what Meta did with the objection ({', '.join(OUTCOMES)}); "
        "identity_request means you answered Meta's request to confirm your identity and it "
        "still did nothing: answer that request first",
    )
    parser.add_argument(
        "--objected-via",
        metavar="HOW",
        default="letter",
        help=f"complaint only: how you objected ({', '.join(VIAS)}: Meta's form in the app, "
        "this bot's letter, another letter or email; default: letter)",
    )
    parser.add_argument(
        "--sent-on",
        metavar="YYYY-MM-DD",
        help="complaint only: the day the objection was sent (default: not known)",
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
    parser.add_argument(
        "--pdf",
        metavar="PATH",
        type=Path,
        help="also write the letter (or the complaint), ready to print and sign, as a PDF file",
    )
    parser.set_defaults(run=run)


def run(args, env) -> int:
    if args.kind not in KINDS:
        raise UsageError(f"unknown --kind {args.kind!r}; valid values: {', '.join(KINDS)}")
    letters = LetterContent.load(env.content.dialogues / "letter.yaml")
    if args.kind == "complaint":
        return _complaint(args, env, letters)
    if not args.account:
        valid = ", ".join(account.id for account in letters.accounts)
        raise UsageError(f"give at least one --account ({valid})")
    if args.outcome is not None or args.sent_on is not None or args.objected_via != "letter":
        raise UsageError("--outcome, --objected-via and --sent-on apply to --kind complaint only")
    if not args.ground:
        valid = ", ".join(ground.id for ground in letters.grounds)
        raise UsageError(f"give at least one --ground ({valid})")
    catalogs = Catalogs.load(env.content.locales)
    answers = DraftAnswers(
        accounts=tuple(args.account),
        grounds=tuple(args.ground),
        detail=args.detail,
        name=args.name,
        country=args.country,
        lang=args.lang,
    )
    draft = LetterWriter(letters, catalogs).compose(answers, env.today())
    return _print(draft, args, env, catalogs, letters.texts["headings"])


def _complaint(args, env, letters: LetterContent) -> int:
    if args.outcome is None:
        raise UsageError(f"give --outcome ({', '.join(OUTCOMES)})")
    content = ComplaintContent.load(env.content.dialogues / "complaint.yaml")
    catalogs = Catalogs.load(env.content.locales)
    answers = ComplaintAnswers(
        accounts=tuple(args.account),
        grounds=tuple(args.ground),
        outcome=args.outcome,
        sent_on=_date(args.sent_on),
        country=args.country,
        name=args.name,
        detail=args.detail,
        lang=args.lang,
        objected_via=args.objected_via,
    )
    draft = ComplaintWriter(content, letters, catalogs).compose(answers, env.today())
    return _print(draft, args, env, catalogs, content.texts["headings"])


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--sent-on {text!r} is not a date; write it as YYYY-MM-DD") from None


def _print(draft: Draft, args, env, catalogs: Catalogs, headings) -> int:
    if args.pdf is not None:
        _write_pdf(draft, args.pdf)
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
    sections = (
        (_(headings["short"], count=len(draft.short)), draft.short),
        (_(headings["letter"], count=len(draft.letter)), draft.letter),
        (_(headings["guidance"]), draft.guidance),
    )
    env.stdout.write(
        "\n\n".join(f"===== {heading} =====\n\n{text}" for heading, text in sections) + "\n"
    )
    return ExitStatus.OK


def _write_pdf(draft: Draft, path: Path) -> None:
    try:
        path.write_bytes(letter_pdf(draft.document))
    except OSError as error:
        raise BotError(
            f"cannot write the PDF to {str(path)!r}: {error.strerror}; give --pdf a path in a "
            "folder you can write to"
        ) from None
