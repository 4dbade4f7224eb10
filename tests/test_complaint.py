"""The complaint to a data protection authority, from the real YAML and catalogs, and its command."""

import datetime as dt
import json
import re

import pytest
from babel.messages.pofile import read_po

from bot.dates import one_month_after
from bot.drafting import (
    ACCOUNTS,
    OUTCOMES,
    ComplaintAnswers,
    ComplaintContent,
    ComplaintWriter,
    LetterContent,
)
from bot.drafting.limits import DETAIL_LIMIT, LABEL_LIMIT, LETTER_LIMIT, NAME_LIMIT, SHORT_LIMIT
from bot.env import ExitStatus
from bot.errors import ContentError, UsageError
from bot.i18n import LANGUAGES, Catalogs, placeholders
from bot.i18n.sync import extract_template
from bot.paths import PROJECT_ROOT, ContentPaths
from tests.support.chat import run_cli

TODAY = dt.date(2026, 11, 29)
SENT_ON = dt.date(2026, 9, 2)
SENT_ON_WRITTEN = {"en": "2 September 2026", "fr": "2 septembre 2026"}
PATHS = ContentPaths(dialogues=PROJECT_ROOT / "dialogues", locales=PROJECT_ROOT / "locales")
COMPLAINT_YAML = PATHS.dialogues / "complaint.yaml"
LEFTOVERS = ("{", "}", "%s", "TODO", "XXX", "placeholder")
WRONG_ARTICLES = ("7(3)", "21(2)", "21(3)")
DETAIL = "Meta's reply came from a no-reply address, so I could not answer it."
# "" is the user who gave no country: the complaint goes to Meta's lead authority.
COUNTRIES = ("FR", "BE", "DE", "IE", "")


@pytest.fixture(scope="module")
def letters():
    return LetterContent.load(PATHS.dialogues / "letter.yaml")


@pytest.fixture(scope="module")
def content():
    return ComplaintContent.load(COMPLAINT_YAML)


@pytest.fixture(scope="module")
def writer(content, letters):
    return ComplaintWriter(content, letters, Catalogs.load(PATHS.locales))


def compose(writer, guidance_lang=None, **answers):
    answers = {
        "accounts": ("facebook",),
        "grounds": ("children",),
        "outcome": "no_answer",
        "sent_on": SENT_ON,
        **answers,
    }
    return writer.compose(ComplaintAnswers(**answers), TODAY, guidance_lang)


def assert_clean(draft):
    for text in (draft.short, draft.letter, draft.guidance):
        found = [leftover for leftover in LEFTOVERS if leftover.lower() in text.lower()]
        assert not found, f"{found} left in {text[:80]!r}"
        for wrong in WRONG_ARTICLES:
            assert wrong not in text
    assert len(draft.short) <= SHORT_LIMIT
    assert len(draft.letter) <= LETTER_LIMIT


# Every country, outcome and language


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_each_complaint_names_its_authority_the_articles_and_the_date(
    writer, letters, lang, outcome, country
):
    _ = writer.catalogs.translator(lang)
    draft = compose(writer, outcome=outcome, country=country, lang=lang)
    authority = letters.country(country) if country else letters.lead_authority
    assert _(authority.authority) in draft.letter
    for article in ("21(1)", "6(1)(f)", "12(3)", "17(1)(c)", "77", "77(2)"):
        assert article in draft.letter, article
    assert "12(4)" in draft.letter  # silence breaches it too: no reasons given for not acting
    assert SENT_ON_WRITTEN[lang] in draft.letter
    assert SENT_ON_WRITTEN[lang] in draft.short
    assert "21(1)" in draft.short
    assert_clean(draft)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_complaints_to_another_authority_mention_the_one_stop_shop(writer, lang):
    for country in ("FR", "BE", "DE"):
        letter = compose(writer, country=country, lang=lang).letter
        assert re.search(r"56 (and|et) 60", letter), country
        assert "(DPC)" in letter
    for country in ("IE", ""):
        assert "56" not in compose(writer, country=country, lang=lang).letter


@pytest.mark.parametrize(
    ("lang", "authority"),
    [
        ("en", "with the Commission nationale de l'informatique et des libertés (CNIL)"),
        ("fr", "auprès de la Commission nationale de l’informatique et des libertés (CNIL)"),
    ],
)
def test_a_french_resident_complains_to_the_cnil(writer, lang, authority):
    assert authority in compose(writer, country="fr", lang=lang).letter


def test_without_a_country_the_complaint_goes_to_metas_lead_authority(writer):
    english = compose(writer).letter
    assert "Data Protection Commission (DPC) in Ireland, Meta's lead supervisory authority" in (
        english
    )
    assert "autorité de contrôle chef de file de Meta" in compose(writer, lang="fr").letter


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_the_longest_answers_stay_within_the_limits(writer, letters, lang, outcome):
    _ = writer.catalogs.translator(lang)
    longest = max(letters.countries, key=lambda country: len(_(country.authority)))
    draft = compose(
        writer,
        accounts=ACCOUNTS,
        grounds=tuple(ground.id for ground in letters.grounds),
        outcome=outcome,
        country=longest.code,
        name="n" * NAME_LIMIT,
        detail="d" * DETAIL_LIMIT,
        lang=lang,
    )
    assert_clean(draft)
    assert _(letters.grounds[0].short) in draft.letter  # the most specific ground stays


# The facts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_grounds_of_the_objection_are_restated_when_given(writer, letters, lang):
    _ = writer.catalogs.translator(lang)
    chosen = letters.grounds[:4]
    letter = compose(writer, grounds=tuple(r.id for r in chosen), lang=lang).letter
    for ground in chosen:
        assert _(ground.short) in letter, ground.id
    without = compose(writer, grounds=(), lang=lang).letter
    assert "particular situation" not in without and "situation particulière" not in without


@pytest.mark.parametrize(
    ("lang", "unknown_date", "asking"),
    [
        ("en", "On a date I can provide, I sent Meta an objection", "I ask you to"),
        ("fr", "À une date que je peux vous préciser, j’ai adressé à Meta", "Je vous demande"),
    ],
)
def test_an_unknown_date_is_left_for_the_user_to_provide(writer, lang, unknown_date, asking):
    for outcome in OUTCOMES:
        draft = compose(writer, sent_on=None, outcome=outcome, lang=lang)
        assert unknown_date in draft.letter
        assert asking in draft.short
        assert_clean(draft)


@pytest.mark.parametrize(
    ("outcome", "english", "french"),
    [
        ("no_answer", "neither answered me nor informed me of an extension", "sans que Meta"),
        ("refused", "compelling legitimate grounds", "motifs légitimes et impérieux"),
        ("identity_request", "I answered that request", "J’ai répondu à cette demande"),
        ("justification_request", "no justification was needed", "aucune justification"),
        ("other", "has not confirmed to me", "ne m’a pas confirmé"),
    ],
)
def test_the_complaint_says_what_meta_did(writer, outcome, english, french):
    assert english in compose(writer, outcome=outcome).letter
    assert french in compose(writer, outcome=outcome, lang="fr").letter


def test_two_accounts_are_named_as_a_list(writer):
    both = {"accounts": ("instagram", "facebook")}
    assert "I hold Facebook and Instagram accounts." in compose(writer, **both).letter
    french = compose(writer, lang="fr", **both).letter
    assert "Je suis titulaire de comptes Facebook et Instagram." in french


def test_the_french_complaint_reads_as_a_french_formal_letter(writer):
    letter = compose(writer, lang="fr", detail="Ma fille a 8 ans.").letter
    assert letter.startswith("Le 29 novembre 2026")
    assert "Objet\u00a0: plainte" in letter and "Madame, Monsieur," in letter
    assert "réclamation" not in letter
    assert "«\u00a0Ma fille a 8 ans.\u00a0»" in letter
    assert "Je vous prie d’agréer, Madame, Monsieur" in letter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_users_sentence_is_quoted_verbatim(writer, lang):
    assert DETAIL in compose(writer, detail=f"  {DETAIL} ", lang=lang).letter


def test_the_complaint_is_signed_with_the_name_or_leaves_a_line_to_sign(writer):
    assert compose(writer, name=" Marie  Dupont ").letter.endswith("faithfully,\n\nMarie Dupont")
    assert compose(writer).letter.endswith("__\nName and signature")
    assert compose(writer, lang="fr").letter.endswith("__\nNom et signature")


@pytest.mark.parametrize(
    ("outcome", "document"),
    [
        ("no_answer", "- Meta's acknowledgement of receipt, if any;"),
        ("refused", "- Meta's answer refusing my objection;"),
        ("identity_request", "- Meta's request to confirm my identity, and my answer to it;"),
        ("justification_request", "- Meta's message asking me to justify my objection;"),
    ],
)
def test_the_documents_to_attach_include_metas_answer(writer, outcome, document):
    letter = compose(writer, outcome=outcome).letter
    assert "Attached:\n- a copy of my objection" in letter
    assert document in letter
    assert "proof of the date" in letter and "identity document if you require" in letter


# Guidance


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guidance_gives_the_cnil_service_to_french_residents(writer, lang):
    guidance = compose(writer, country="FR", lang=lang).guidance
    assert "https://www.cnil.fr/fr/adresser-une-plainte" in guidance
    assert "Adresser une plainte" in guidance


@pytest.mark.parametrize("country", ["IE", ""])
def test_guidance_sends_irish_residents_and_unknown_countries_to_the_dpc(writer, country):
    guidance = compose(writer, country=country).guidance
    assert "https://www.dataprotection.ie/" in guidance
    assert ("another EU or EEA country" in guidance) == (country == "")


def test_guidance_names_other_authorities_and_says_it_is_free(writer):
    guidance = compose(writer, country="DE").guidance
    assert "German federal state (Land): its website explains how" in guidance
    assert "free of charge" in guidance and "Keep a copy" in guidance
    assert "An answer can take time" in guidance and "Irish DPC" in guidance
    assert "only if the authority asks" in guidance
    assert "gratuit" in compose(writer, country="DE", lang="fr").guidance


@pytest.mark.parametrize(
    ("country", "page"),
    [
        ("BE", "https://autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte"),
        ("LU", "https://cnpd.public.lu/en/particuliers/faire-valoir.html"),
        ("NL", "https://autoriteitpersoonsgegevens.nl/een-tip-of-klacht-indienen-bij-de-ap"),
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_guidance_links_the_complaint_page_of_authorities_that_have_one(
    writer, country, page, lang
):
    assert page in compose(writer, country=country, lang=lang).guidance


def test_guidance_can_follow_the_chat_language_while_the_letter_uses_another(writer):
    draft = compose(writer, country="FR", lang="en", guidance_lang="fr")
    assert "Dear Sir or Madam," in draft.letter
    assert "Déposez votre plainte" in draft.guidance


# Refusals


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"outcome": "ignored"}, "no_answer, refused, identity_request, justification_request"),
        ({"objected_via": "fax"}, "form, letter, other"),
        ({"country": "US"}, "FR, BE"),
        ({"accounts": ("tiktok",)}, "facebook, instagram"),
        ({"grounds": ("astrology",)}, "children"),
        ({"lang": "de"}, "en, fr"),
        ({"sent_on": TODAY + dt.timedelta(days=1)}, "after today"),
        ({"sent_on": dt.date(2026, 10, 29)}, "until 2026-11-29"),
        ({"detail": "x" * (DETAIL_LIMIT + 1)}, str(DETAIL_LIMIT)),
        ({"name": "x" * (NAME_LIMIT + 1)}, str(NAME_LIMIT)),
    ],
)
def test_wrong_answers_are_refused_with_the_valid_values(writer, answers, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        compose(writer, **answers)


def test_a_refusal_can_come_before_the_month_is_over(writer):
    recent = dt.date(2026, 11, 20)
    assert compose(writer, outcome="refused", sent_on=recent).letter
    assert compose(writer, outcome="no_answer", sent_on=dt.date(2026, 10, 28)).letter


@pytest.mark.parametrize(
    ("sent_on", "due"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        (dt.date(2026, 5, 2), dt.date(2026, 6, 2)),
    ],
)
def test_meta_has_until_the_same_day_next_month_to_answer(sent_on, due):
    assert one_month_after(sent_on) == due


def test_content_mistakes_are_refused_at_load_with_the_file_and_key(tmp_path):
    source = COMPLAINT_YAML.read_text(encoding="utf-8")
    broken = tmp_path / "complaint.yaml"
    broken.write_text(
        source.replace("complaint {authority}.", "complaint {body}."), encoding="utf-8"
    )
    with pytest.raises(
        ContentError, match=r"complaint\.yaml: letter\.lodged\.text: .*\{authority\}"
    ):
        ComplaintContent.load(broken)
    broken.write_text(source.replace("id: identity_request", "id: pending"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"outcomes: has .*'pending'"):
        ComplaintContent.load(broken)
    broken.write_text(source.replace("label: Meta refused my objection", "label: " + "x" * 31))
    with pytest.raises(ContentError, match=r"outcomes\.refused\.label: is 31 characters"):
        ComplaintContent.load(broken)


def test_a_route_for_an_unknown_country_is_refused(tmp_path, letters):
    broken = tmp_path / "complaint.yaml"
    broken.write_text(
        COMPLAINT_YAML.read_text(encoding="utf-8").replace("country: FR", "country: US")
    )
    with pytest.raises(ContentError, match=r"guidance\.routes: 'US'"):
        ComplaintWriter(ComplaintContent.load(broken), letters, Catalogs.load(PATHS.locales))


# Catalogs


def test_every_string_the_extractor_finds_is_a_msgid_the_complaint_uses(content):
    extracted = {message.id for message in extract_template(COMPLAINT_YAML) if message.id}
    assert extracted == set(content.msgids())


def test_no_msgid_is_shared_with_the_letter_whose_catalog_is_merged_with_it(content, letters):
    assert not set(content.msgids()) & set(letters.msgids())


def test_the_french_catalog_is_complete_and_keeps_the_placeholders(content):
    with (PATHS.locales / "fr" / "LC_MESSAGES" / "complaint.po").open("rb") as handle:
        catalog = read_po(handle)
    french = {message.id: message for message in catalog if message.id}
    for msgid in content.msgids():
        message = french[msgid]
        assert message.string and not message.fuzzy, msgid[:60]
        assert placeholders(message.string) == placeholders(msgid), msgid[:60]
        assert not re.search(r" [:;?!»]|« ", message.string), f"spacing in {message.string[:60]!r}"
    for outcome in content.outcomes:
        assert len(french[outcome.label].string) <= LABEL_LIMIT, outcome.id


# `gdpr-bot draft --kind complaint`


def test_draft_complaint_json_prints_one_object_with_the_four_fields():
    status, out, _err = run_cli("draft",
        "--kind", "complaint", "--lang", "fr", "--platform", "instagram", "--outcome", "refused",
        "--sent-on", "2026-09-02", "--country", "FR", "--name", "Zoé Martin", "--json",
    )  # fmt: skip
    assert status == ExitStatus.OK
    draft = json.loads(out)
    assert set(draft) == {"lang", "short", "letter", "guidance"}
    assert draft["lang"] == "fr"
    assert "2 septembre 2026" in draft["short"] and "2 septembre 2026" in draft["letter"]
    assert "(CNIL)" in draft["letter"] and "Zoé Martin" in out
    assert "cnil.fr" in draft["guidance"]


def test_draft_complaint_needs_no_reason_and_prints_headed_sections():
    status, out, _err = run_cli(
        "draft", "--kind", "complaint", "--platform", "facebook", "--outcome", "other"
    )
    assert status == ExitStatus.OK
    assert "===== Short version, a summary for the authority's form" in out
    assert "===== Complaint (" in out
    assert "===== Where and how to file it =====" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--outcome", "ignored"], ["no_answer", "refused", "identity_request"]),
        (["--outcome", "refused", "--objected-via", "fax"], ["form, letter, other"]),
        ([], ["--outcome", "no_answer"]),
        (["--outcome", "refused", "--sent-on", "2 June 2026"], ["YYYY-MM-DD"]),
        (["--outcome", "refused", "--country", "XX"], ["FR", "IE"]),
        (["--outcome", "no_answer", "--sent-on", "2026-11-15"], ["2026-12-15"]),
    ],
)
def test_draft_complaint_refuses_wrong_values_with_status_2(argv, expected):
    status, out, err = run_cli("draft", "--kind", "complaint", "--platform", "facebook", *argv)
    assert status == ExitStatus.USAGE
    assert out == ""
    assert err.startswith("gdpr-bot draft: ")
    for value in expected:
        assert value in err


def test_draft_refuses_an_unknown_kind_and_complaint_options_on_an_objection():
    status, _out, err = run_cli("draft", "--kind", "appeal", "--platform", "facebook")
    assert status == ExitStatus.USAGE and "objection, complaint" in err
    status, _out, err = run_cli(
        "draft", "--platform", "facebook", "--reason", "children", "--outcome", "refused"
    )
    assert status == ExitStatus.USAGE and "--kind complaint" in err


# How the user objected: the complaint states only what they did


def test_the_form_with_an_empty_box_says_so_and_asks_no_erasure(writer):
    draft = compose(writer, objected_via="form", grounds=(), accounts=())
    assert "through the objection form in Meta's app" in draft.letter
    assert "I left the form's optional box for reasons empty" in draft.letter
    assert "I hold an account on Facebook or Instagram, or on both." in draft.letter
    for claim in ("17(1)(c)", "erase", "In it, I gave grounds"):
        assert claim not in draft.letter + draft.short, claim


def test_another_letter_states_neither_grounds_nor_erasure_unless_given(writer):
    silent = compose(writer, objected_via="other", grounds=()).letter
    assert "I wrote to Meta to object" in silent
    assert "particular situation" not in silent and "17(1)(c)" not in silent
    own = compose(writer, objected_via="other", grounds=(), own_grounds=True).letter
    assert "In it, I explained how this processing affects my particular situation." in own
    named = compose(writer, objected_via="form", grounds=("children",)).letter
    assert "my children appear in my photos" in named and "optional box" not in named


def test_an_estimated_date_is_said_to_be_approximate_and_kept_out_of_the_short_version(writer):
    draft = compose(writer, sent_on=dt.date(2026, 10, 29), sent_approx=True)
    assert "Around 29 October 2026, I sent Meta" in draft.letter
    assert "29 October" not in draft.short


def test_the_complaint_is_in_french_for_french_speaking_authorities_in_a_french_chat(content):
    assert [content.default_language(c, "fr") for c in ("FR", "be", "LU", "DE", "")] == [
        "fr", "fr", "fr", "en", "en",
    ]  # fmt: skip
    assert content.default_language("FR", "en") == "en"


def test_draft_complaint_for_the_in_app_form_without_grounds():
    status, out, _err = run_cli("draft",
        "--kind", "complaint", "--objected-via", "form", "--outcome", "justification_request",
        "--country", "FR", "--lang", "fr", "--json",
    )  # fmt: skip
    assert status == ExitStatus.OK
    letter = json.loads(out)["letter"]
    assert "formulaire d’opposition de l’application de Meta" in letter
    assert "J’ai laissé vide la case facultative" in letter
    assert "17(1)(c)" not in letter and "plainte" in letter
