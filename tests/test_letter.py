"""The objection letter from the real letter.yaml and catalogs, and the `gdpr-bot draft` command."""

import datetime as dt
import json
import re

import pytest
from babel.messages.pofile import read_po

from bot.drafting import ACCOUNTS, DraftAnswers, LetterContent, LetterWriter
from bot.drafting.limits import DETAIL_LIMIT, LETTER_LIMIT, NAME_LIMIT, SHORT_LIMIT
from bot.env import ExitStatus
from bot.errors import ContentError, UsageError
from bot.i18n import LANGUAGES, Catalogs, placeholders
from bot.i18n.sync import extract_template
from bot.paths import PROJECT_ROOT, ContentPaths
from tests.support.chat import run_cli

TODAY = dt.date(2026, 11, 29)
PATHS = ContentPaths(dialogues=PROJECT_ROOT / "dialogues", locales=PROJECT_ROOT / "locales")
LETTER_YAML = PATHS.dialogues / "letter.yaml"
LEFTOVERS = ("{", "}", "%s", "TODO", "XXX", "placeholder")
DETAIL = "I left an abusive relationship in 2019 and my former partner still looks me up online."
LONG_NAME = ("Marie-Christine Élisabeth Anne-Laure de La Rochefoucauld-Montmorency " * 2)[
    :NAME_LIMIT
]


@pytest.fixture(scope="module")
def content():
    return LetterContent.load(LETTER_YAML)


@pytest.fixture(scope="module")
def writer(content):
    return LetterWriter(content, Catalogs.load(PATHS.locales))


@pytest.fixture(scope="module")
def ground_ids(content):
    return tuple(ground.id for ground in content.grounds)


def compose(writer, **answers):
    answers = {"accounts": ("facebook",), "grounds": ("children",), **answers}
    return writer.compose(DraftAnswers(**answers), TODAY)


def assert_clean(draft):
    for text in (draft.short, draft.letter, draft.guidance):
        found = [leftover for leftover in LEFTOVERS if leftover.lower() in text.lower()]
        assert not found, f"{found} left in {text[:80]!r}"
    assert len(draft.short) <= SHORT_LIMIT
    assert len(draft.letter) <= LETTER_LIMIT


# Grounds


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_ground_alone_gives_its_paragraph_and_short_text(writer, content, lang):
    _ = writer.catalogs.translator(lang)
    for ground in content.grounds:
        detail = DETAIL if ground.own_words else ""
        draft = compose(writer, grounds=(ground.id,), detail=detail, lang=lang)
        assert (DETAIL if ground.own_words else _(ground.paragraph)) in draft.letter, ground.id
        assert _(ground.short) in draft.short, ground.id
        assert_clean(draft)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_grounds_at_once_fit_and_each_is_stated(writer, content, ground_ids, lang):
    _ = writer.catalogs.translator(lang)
    draft = compose(
        writer, accounts=ACCOUNTS, grounds=ground_ids, name=LONG_NAME, detail=DETAIL, lang=lang
    )
    assert_clean(draft)
    most_specific = content.grounds[0]
    assert _(most_specific.paragraph) in draft.letter
    for ground in content.grounds:
        assert _(ground.tag) in draft.short, f"{ground.id} is missing from the short version"
        if ground.own_words:  # stated by the user's sentence
            continue
        stated = _(ground.paragraph) in draft.letter or _(ground.short) in draft.letter
        assert stated, f"{ground.id} is missing from the {lang} letter"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_longest_answers_stay_within_the_limits(writer, content, ground_ids, lang):
    _ = writer.catalogs.translator(lang)
    longest = max(content.countries, key=lambda country: len(_(country.authority)))
    for linked in (True, False, None):
        draft = compose(
            writer,
            accounts=ACCOUNTS,
            grounds=ground_ids,
            linked=linked,
            detail="d" * DETAIL_LIMIT,
            name="n" * NAME_LIMIT,
            country=longest.code,
            lang=lang,
        )
        assert len(draft.short) <= SHORT_LIMIT
        assert len(draft.letter) <= LETTER_LIMIT


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_few_grounds_each_get_a_full_paragraph(writer, content, lang):
    _ = writer.catalogs.translator(lang)
    chosen = content.grounds[:4]
    draft = compose(writer, grounds=tuple(r.id for r in chosen), detail=DETAIL, lang=lang)
    for ground in chosen:
        assert _(ground.paragraph) in draft.letter, ground.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_short_version_names_every_ground_even_when_their_texts_do_not_fit(
    writer, content, ground_ids, lang
):
    _ = writer.catalogs.translator(lang)
    draft = compose(writer, grounds=ground_ids[::-1], detail="Short.", lang=lang)
    assert len(draft.short) <= SHORT_LIMIT
    for ground in content.grounds:  # the order chosen does not matter
        assert _(ground.tag) in draft.short, ground.id
    three = compose(writer, grounds=ground_ids[:3], lang=lang)
    for ground in content.grounds[:3]:  # when they fit, the fuller texts
        assert _(ground.short) in three.short, ground.id


def test_another_reason_without_the_users_sentence_is_refused(writer, content):
    other = next(ground for ground in content.grounds if ground.own_words)
    with pytest.raises(UsageError, match="own sentence"):
        compose(writer, grounds=("children", other.id))
    assert other.paragraph == ""  # the letter states only the user's sentence
    letter = compose(writer, grounds=(other.id,), detail=DETAIL).letter
    assert DETAIL in letter and "Other circumstances" not in letter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_letter_identifies_the_account_or_leaves_a_marked_blank(writer, lang):
    filled = compose(writer, login="camille.durand@example.org", lang=lang).letter
    assert "camille.durand@example.org" in filled
    blank = compose(writer, lang=lang).letter
    assert "________________________ (" in blank
    for letter in (filled, blank):
        assert "given with this request" not in letter and "indiquée dans" not in letter


# The letter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_letter_cites_the_right_articles_and_never_consent_or_marketing(
    writer, ground_ids, lang
):
    letter = compose(writer, grounds=ground_ids, detail=DETAIL, lang=lang).letter
    for reference in (r"21\(1\)", r"6\(1\)\(f\)", r"12\(3\)", r"17\(1\)\(c\)", r"art(icle|\.) 77"):
        assert re.search(reference, letter, re.IGNORECASE), reference
    assert re.search(r"\b[Aa]rt(icle|\.) 21\(1\)", letter)
    for wrong in ("7(3)", "21(2)", "21(3)"):
        assert wrong not in letter


def test_the_letter_is_addressed_to_metas_dpo_in_dublin(writer):
    for lang in LANGUAGES:
        letter = compose(writer, lang=lang).letter
        assert "Meta Platforms Ireland Limited" in letter
        assert "Merrion Road" in letter and "D04 X2K5" in letter


def test_the_date_is_written_in_the_letters_language(writer):
    assert "29 November 2026" in compose(writer, lang="en").letter
    assert "Le 29 novembre 2026" in compose(writer, lang="fr").letter


def test_the_french_letter_reads_as_a_french_formal_letter(writer):
    letter = compose(writer, lang="fr").letter
    assert "Madame, Monsieur," in letter
    assert "Je vous prie d’agréer, Madame, Monsieur" in letter
    assert "Objet\u00a0:" in letter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_users_sentence_is_quoted_verbatim(writer, lang):
    draft = compose(writer, grounds=("safety", "other"), detail=f"  {DETAIL}  ", lang=lang)
    assert DETAIL in draft.letter
    assert DETAIL in draft.short


def test_a_sentence_too_long_for_the_short_version_stays_in_the_letter_only(writer):
    detail = "My situation is particular. " * 12
    draft = compose(writer, detail=detail)
    assert detail.strip() in draft.letter
    assert "My situation" not in draft.short
    assert len(draft.short) <= SHORT_LIMIT


def test_the_letter_is_signed_with_the_name_or_leaves_a_line_to_sign(writer):
    assert compose(writer, name="  Marie   Dupont ").letter.endswith(
        "Yours faithfully,\n\nMarie Dupont"
    )
    unsigned = compose(writer).letter
    assert unsigned.endswith("__\nName and signature")
    assert compose(writer, lang="fr").letter.endswith("__\nNom et signature")


def test_one_account_is_named_in_the_letter(writer):
    letter = compose(writer, accounts=("instagram",)).letter
    assert "my Instagram account" in letter
    assert "Facebook" not in letter.split("Meta Platforms")[1].split("Dear")[0]


@pytest.mark.parametrize(
    ("linked", "english", "french"),
    [
        (True, "this objection covers both", "vaut pour les deux"),
        (False, "I ask you to apply it to both", "je vous demande de l’appliquer aux deux"),
        (None, "whether or not they are linked", "qu’ils soient ou non reliés"),
    ],
)
def test_two_accounts_are_covered_whether_or_not_they_are_linked(writer, linked, english, french):
    both = {"accounts": ("instagram", "facebook"), "linked": linked}
    assert "my Facebook and Instagram accounts" in compose(writer, **both).letter
    assert english in compose(writer, **both).letter
    assert french in compose(writer, lang="fr", **both).letter
    assert "mes comptes Facebook et Instagram" in compose(writer, lang="fr", **both).letter


@pytest.mark.parametrize(
    ("country", "lang", "authority"),
    [
        ("FR", "fr", "auprès de la Commission nationale de l’informatique et des libertés (CNIL)"),
        ("fr", "en", "with the Commission nationale de l'informatique et des libertés (CNIL)"),
        ("BE", "fr", "(APD/GBA)"),
        ("DE", "en", "German federal state (Land)"),
        ("IE", "en", "Data Protection Commission (DPC)"),
        (
            "",
            "en",
            "Data Protection Commission (DPC) in Ireland, Meta's lead supervisory authority",
        ),
        ("", "fr", "autorité de contrôle chef de file de Meta"),
    ],
)
def test_the_complaint_goes_to_the_users_authority_or_to_metas_lead_one(
    writer, country, lang, authority
):
    draft = compose(writer, country=country, lang=lang)
    assert authority in draft.letter
    assert authority in draft.guidance


# Guidance


def test_guidance_gives_the_in_app_path_the_optional_box_and_the_limits(writer):
    guidance = compose(writer, accounts=ACCOUNTS, linked=False).guidance
    assert (
        "Settings & privacy > Privacy Center > AI at Meta > Submit an objection request" in guidance
    )
    assert "On Instagram: Settings > Privacy Center" in guidance
    assert "submit the form from each of them" in guidance
    assert "optional: paste the short version there" in guidance
    assert "email" in guidance and "proof" in guidance
    assert "photos of you that others share" in guidance


def test_guidance_can_follow_the_chat_language_while_the_letter_uses_another(writer):
    draft = writer.compose(DraftAnswers(("facebook",), ("children",), lang="en"), TODAY, "fr")
    assert "Dear Data Protection Officer," in draft.letter
    assert "Centre de confidentialité" in draft.guidance


# Refusals


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"grounds": ("children", "astrology")}, "creative_work"),
        ({"accounts": ("tiktok",)}, "facebook, instagram"),
        ({"country": "US"}, "FR"),
        ({"lang": "de"}, "en, fr"),
        ({"grounds": ()}, "at least one ground"),
        ({"accounts": ()}, "at least one account"),
        ({"detail": "x" * (DETAIL_LIMIT + 1)}, f"{DETAIL_LIMIT} at most"),
        ({"name": "x" * (NAME_LIMIT + 1)}, str(NAME_LIMIT)),
        ({"grounds": ("other",)}, "give it as the detail"),
    ],
)
def test_wrong_answers_are_refused_with_the_valid_values(writer, answers, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        compose(writer, **answers)


def test_content_mistakes_are_refused_at_load_with_the_file_and_key(tmp_path):
    source = LETTER_YAML.read_text(encoding="utf-8")
    broken = tmp_path / "letter.yaml"
    broken.write_text(source.replace("{authority}", "{authorities}", 1), encoding="utf-8")
    with pytest.raises(
        ContentError, match=r"letter\.yaml: letter\.complaint\.text: .*\{authority\}"
    ):
        LetterContent.load(broken)
    broken.write_text(source.replace("label: My children", "label: " + "x" * 21))
    with pytest.raises(ContentError, match=r"grounds\.children\.label: is 21 characters"):
        LetterContent.load(broken)


# Catalogs


def test_every_string_the_extractor_finds_is_a_msgid_the_letter_uses(content):
    extracted = {message.id for message in extract_template(LETTER_YAML) if message.id}
    assert extracted == set(content.msgids())


def test_the_french_catalog_is_complete_and_keeps_the_placeholders(content):
    with (PATHS.locales / "fr" / "LC_MESSAGES" / "letter.po").open("rb") as handle:
        catalog = read_po(handle)
    french = {message.id: message for message in catalog if message.id}
    for msgid in content.msgids():
        message = french[msgid]
        assert message.string and not message.fuzzy, msgid[:60]
        assert placeholders(message.string) == placeholders(msgid), msgid[:60]
        assert not re.search(r" [:;?!»]|« ", message.string), f"spacing in {message.string[:60]!r}"


def test_french_short_texts_can_follow_parce_que_without_elision(writer, content):
    _ = writer.catalogs.translator("fr")
    for ground in content.grounds:
        assert _(ground.short)[0].lower() not in "aeiouyhàâéèêëîïôûü", ground.id


# `gdpr-bot draft`


def test_draft_json_prints_one_object_with_the_four_fields():
    status, out, _err = run_cli("draft",
        "--lang", "fr", "--account", "facebook", "--ground", "children", "--ground", "other",
        "--detail", "Ma fille a 8 ans.", "--name", "Zoé Martin", "--country", "FR", "--json",
    )  # fmt: skip
    assert status == ExitStatus.OK
    draft = json.loads(out)
    assert set(draft) == {"lang", "short", "letter", "guidance"}
    assert draft["lang"] == "fr"
    assert "«\u00a0Ma fille a 8 ans.\u00a0»" in draft["letter"] and "Zoé Martin" in draft["letter"]
    assert "Zoé" in out  # ensure_ascii=False
    assert "29 novembre 2026" in draft["letter"]


def test_draft_prints_headed_sections_in_the_letters_language():
    status, out, _err = run_cli(
        "draft", "--lang", "fr", "--platform", "instagram", "--reason", "safety"
    )
    assert status == ExitStatus.OK
    assert "===== Version courte" in out
    assert "===== Lettre complète" in out
    assert "===== Où l’utiliser =====" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--platform", "facebook", "--reason", "astrology"], ["children", "other", "safety"]),
        (["--platform", "myspace", "--reason", "children"], ["facebook", "instagram"]),
        (["--platform", "facebook"], ["--ground", "children", "irreversibility"]),
        (["--reason", "children"], ["--account", "facebook", "instagram"]),
        (["--platform", "facebook", "--reason", "other", "--detail", "x" * 501], ["500"]),
        (["--lang", "de", "--platform", "facebook", "--reason", "children"], ["en, fr"]),
        (["--platform", "facebook", "--reason", "other"], ["own sentence", "--detail"]),
    ],
)
def test_draft_refuses_wrong_values_with_status_2_and_the_valid_ones(argv, expected):
    status, out, err = run_cli("draft", *argv)
    assert status == ExitStatus.USAGE
    assert out == ""
    assert err.startswith("gdpr-bot draft: ")
    for value in expected:
        assert value in err
