"""Questions end to end on the real engine: citations verified, abstention, date windows, languages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from index import Briefbot, QuestionError
from index.answer import NOT_FOUND, Answerer, ExtractiveAnswerer, verify
from index.errors import DateError
from index.questions import answer_kind, gives_reason, new_names
from index.types import Answer, Citation, Hit


def test_answer_quotes_its_source_with_a_resolving_marker(engine: Briefbot) -> None:
    answer = engine.ask("How many people face acute food insecurity in Niger?")
    assert not answer.abstained
    assert "3.3 million" in answer.answer
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}
    cited = answer.citations[0]
    assert cited.url == "https://example.org/aid-food-niamey" and cited.date == "2023-08-20"
    source_text = " ".join(engine.document_text(answer.retrieved[0]).split())
    assert all(part in source_text for part in cited.quote.split(" … "))
    assert verify(answer, answer.retrieved) == []


def test_answer_from_the_seed_article(engine: Briefbot) -> None:
    answer = engine.ask("Which newspaper published Bazoum's opinion piece?")
    assert not answer.abstained and "Washington Post" in answer.answer
    assert answer.citations[0].title.startswith("Niger’s Coup Leader Seeks Russian Support")
    assert answer.citations[0].date == "2023-08-06"


def test_verify_rejects_a_tampered_quote_and_a_dangling_marker(engine: Briefbot) -> None:
    answer = engine.ask("What did Algeria propose for Niger?")
    assert not answer.abstained
    sources = answer.retrieved
    forged = replace(answer, citations=(replace(answer.citations[0], quote="Algeria declared war on Niger."),))
    assert verify(forged, sources) == ["citation 1: quote not found in its source"]
    dangling = replace(answer, answer=answer.answer + " Also this [7].")
    assert "[7] has no citation" in verify(dangling, sources)
    unknown = replace(answer, citations=(Citation(1, "Invented", "https://nowhere.example", "2023-01-01", "x", "q"),))
    assert verify(unknown, sources) == ["citation 1 cites a document that was not retrieved"]


class LyingAnswerer(Answerer):
    """Answers from the real retrieved documents, then lies in one scripted way."""

    name = "liar"

    def __init__(self, lie: str) -> None:
        self.lie = lie

    def _answer(self, question: str, hits: list[Hit]) -> Answer:
        top = hits[0]
        honest = Citation(1, top.title, top.url, top.date, top.source, top.title, doc_id=top.doc_id)
        lies = {
            "wrong marker": ("Niger's junta surrendered. [2]", (honest,)),
            "invented quote": ("Niger's junta surrendered. [1]", (replace(honest, quote="The junta surrendered."),)),
            "other document": ("Niger's junta surrendered. [1]", (replace(honest, doc_id="not-retrieved"),)),
            "no marker": ("Niger's junta surrendered.", (honest,)),
            "unused citation": (f"{top.title} [1]", (honest, replace(honest, n=2))),
        }
        text, citations = lies[self.lie]
        return Answer(question=question, answer=text, abstained=False, citations=citations, retrieved=tuple(hits))


@pytest.mark.parametrize("lie", ["wrong marker", "invented quote", "other document", "no marker", "unused citation"])
def test_a_lying_answerer_never_reaches_the_user(engine: Briefbot, lie: str, caplog, monkeypatch) -> None:
    honest = engine.ask("What did Algeria propose for Niger?")
    assert not honest.abstained
    monkeypatch.setattr(engine, "answerer", LyingAnswerer(lie))
    with caplog.at_level("WARNING", logger="index.answer"):
        answer = engine.ask("What did Algeria propose for Niger?")
    assert answer.abstained and answer.answer == NOT_FOUND and not answer.citations
    assert "surrendered" not in answer.answer
    assert any("failed verification" in r.getMessage() for r in caplog.records)
    assert answer.retrieved and [h.doc_id for h in answer.retrieved] == [h.doc_id for h in honest.retrieved]


@pytest.mark.parametrize("question", [
    "What did Brazil's president Lula say about the coup in Niger?",
    "How many people died in the earthquake in Niamey?",
    "What did the Japanese government say about the junta?",
])
def test_unsupported_questions_abstain(engine: Briefbot, question: str) -> None:
    answer = engine.ask(question)
    assert answer.abstained and answer.answer == NOT_FOUND and answer.citations == ()
    assert answer.retrieved  # the closest documents are still shown


def test_date_window_filters_what_answers_draw_on(engine: Briefbot) -> None:
    question = "What did France decide about its troops in Niger?"
    inside = engine.ask(question, since=date(2023, 9, 1), until=date(2023, 9, 30))
    assert inside.retrieved and all("2023-09-01" <= h.date <= "2023-09-30" for h in inside.retrieved)
    assert not inside.abstained and "1,500" in inside.answer
    early = engine.ask(question, until=date(2023, 7, 31))
    assert all(h.date <= "2023-07-31" for h in early.retrieved)


def test_latest_question_prefers_recent_reports(engine: Briefbot) -> None:
    answer = engine.ask("What is the latest on French troops in Niger?")
    assert answer.retrieved[0].date == "2023-10-20"


def test_other_languages_are_stored_but_not_answered_from(engine: Briefbot) -> None:
    stats = engine.stats()
    assert stats.languages.get("pl") == 1
    hits = engine.search("Francja wstrzymuje pomoc dla Nigru")
    assert all(h.language == "en" for h in hits)


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("   \n ", "empty"), ("?!?", "no words"), ("x" * 600, "too long"),
])
def test_bad_questions_get_a_clear_error(engine: Briefbot, question: str, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        engine.ask(question)


def test_inverted_window_is_refused(engine: Briefbot) -> None:
    with pytest.raises(DateError, match=r"starts \(2023-09-01\) after it ends \(2023-08-01\)"):
        engine.ask("anything about Niger", since=date(2023, 9, 1), until=date(2023, 8, 1))


def test_answer_json_has_the_contract_fields(engine: Briefbot) -> None:
    data = engine.ask("Who did General Tchiani appoint as prime minister?").to_json(id="q1")
    assert set(data) >= {"id", "question", "answer", "abstained", "citations", "retrieved", "elapsed_ms"}
    assert set(data["citations"][0]) == {"n", "title", "url", "date", "source", "quote"}
    assert set(data["retrieved"][0]) == {"title", "url", "date", "score"}
    assert len(data["retrieved"]) <= 10 and "Zeine" in data["answer"]
    urls = [r["url"] or r["title"] for r in data["retrieved"]]
    assert len(urls) == len(set(urls))  # one hit per document


def test_empty_store_says_ingest_first(tmp_path) -> None:
    from index import EmptyStoreError, Settings

    empty = Briefbot(Settings(data_dir=tmp_path / "empty", _env_file=None))
    with pytest.raises(EmptyStoreError, match="briefbot ingest"):
        empty.ask("What happened in Niger?")
    assert empty.latest(5) == []
    assert empty.stats().documents == 0


@pytest.mark.parametrize("question", [
    "How old is General Tchiani?",
    "What percentage of voters approved the new constitution in Niger?",
    "How many people were evacuated from Niamey by Italy?",
])
def test_questions_for_a_quantity_need_one_in_the_evidence(engine: Briefbot, question: str) -> None:
    assert engine.ask(question).abstained


def test_a_capital_is_found_in_reports_naming_its_country(engine: Briefbot) -> None:
    answer = engine.ask("How many French soldiers were to leave Niamey?")
    assert not answer.abstained and "1,500" in answer.answer


def test_when_question_without_a_date_in_the_quote_gets_the_report_date(engine: Briefbot) -> None:
    answer = engine.ask("When did Algeria propose a transition plan for Niger?")
    assert answer.answer.startswith("Reported on 29 August 2023:")
    assert "six-month transition" in answer.answer


def test_a_measure_asked_for_is_named_or_given_in_its_unit() -> None:
    from index.questions import names_measure

    turnout = "What was voter turnout in the first round of the election?"
    # Any number will not do: a count of candidates is no turnout.
    assert not names_measure("The 59-year-old centrist was one of eight candidates in the first round.", turnout)
    assert names_measure("Turnout was 82%, the electoral council said.", turnout)
    inflation = "What was Ruritania's annual inflation rate in September?"
    assert not names_measure("The central bank cancelled a $51m bond issuance over the sanctions.", inflation)
    assert names_measure("Annual inflation reached 4.3% in September.", inflation)
    # A measure may be given by its unit alone.
    assert names_measure("The jet was flying at 28,000 feet when it began to fall.",
                         "At what altitude was the jet flying when it began its descent?")
    assert names_measure("The storm cost insurers $1.5bn.", "What was the estimated total insured loss from the storm?")
    assert names_measure("Anything at all.", "How many people died?")


def test_a_count_written_with_a_separator_is_no_year() -> None:
    from index.questions import gives_quantity

    toll = "What was the death toll from the quake?"
    assert gives_quantity("The quake killed at least 2,000 people on Friday.", "number", toll)
    assert not gives_quantity("The quake struck the valley in 2023.", "number", toll)


def test_percentages_in_words_count_as_a_share() -> None:
    from index.questions import gives_quantity

    assert gives_quantity("Niger supplies about five percent of the uranium.", "percent", "What share?")
    assert gives_quantity("Turnout was 62% on Sunday.", "percent", "What share?")
    assert not gives_quantity("Turnout was high on Sunday.", "percent", "What share?")


def test_how_long_questions_need_a_duration_in_the_quote(engine: Briefbot) -> None:
    from index.questions import gives_quantity, profile_question

    assert profile_question("How long was he given to leave?", engine.keywords.get()).wants == "duration"
    assert gives_quantity("He was told to leave within 48 hours.", "duration", "How long?")
    assert gives_quantity("Algeria proposed a six-month transition.", "duration", "How long?")
    assert not gives_quantity("The junta ordered the ambassador to leave.", "duration", "How long?")
    answer = engine.ask("How long a transition did Algeria propose for Niger?")
    assert not answer.abstained and "six-month" in answer.answer


def test_a_questions_month_phrase_is_its_period() -> None:
    from index.dates import question_period

    august = question_period("Why were people anxious in early August 2023?")
    assert august is not None and (august.first, august.last) == ("2023-08-01", "2023-08-31")
    assert august.contains("2023-08-06") and not august.contains("2023-09-08")
    by_october = question_period("How many troops were there by October 2023?")
    assert by_october is not None and by_october.contains("2023-07-30") and not by_october.contains("2023-11-01")
    bare = question_period("What happened in mid-August?")
    assert bare is not None and bare.contains("2024-08-15") and not bare.contains("2023-07-15")
    assert question_period("What may the junta do next?") is None


def _hit(doc_id: str, title: str, text: str, day: str = "2023-08-10", similarity: float = 0.5) -> Hit:
    return Hit(doc_id=doc_id, title=title, url=f"https://example.org/{doc_id}", date=day, source="example.org",
               language="en", score=1.0, passages=(text,), similarity=similarity)


def test_time_words_weigh_nothing_but_a_report_from_the_named_month_is_preferred(engine: Briefbot) -> None:
    """The reports need not say "first week of August"; the one dated then wins over a later look-alike."""
    answerer = ExtractiveAnswerer(engine.keywords.get)
    hits = [
        _hit("later", "Northern towns fear new attacks",
             "People in northern Nigeria are anxious about new attacks on border towns.", day="2023-09-20"),
        _hit("then", "Deadline sparks anxiety in northern Nigeria",
             "People in northern Nigeria are anxious as the deadline for military action nears.", day="2023-08-06"),
    ]
    answer = answerer.answer("Why were people in northern Nigeria anxious in the first week of August 2023?", hits)
    assert not answer.abstained and answer.citations[0].url.endswith("/then")


def test_a_name_is_not_found_inside_a_longer_name(engine: Briefbot) -> None:
    """'Niger' in a report does not make it a report about Nigeria (the stems share five letters)."""
    answerer = ExtractiveAnswerer(engine.keywords.get)
    hits = [_hit("mali", "Boat attack on the Niger river",
                 "Attacks on a passenger boat on the Niger river in northern Mali killed 64 people.")]
    answer = answerer.answer("How many people were killed in northern Nigeria?", hits)
    assert answer.abstained


def test_new_names_are_names_the_question_does_not_give() -> None:
    from index.questions import new_names

    wife = "What is the name of Bazoum's wife, who was held with him?"
    assert new_names("President Mohamed Bazoum has been held in Niamey with his wife and son.", wife) == []
    assert new_names("Soldiers holding Niger president inside palace: Security sources.", wife) == []
    assert new_names("Mohamed Bazoum, Niger President Ousted in Coup, Remains Imprisoned at Home", wife) == []
    assert new_names("Bazoum met Chad's president as France weighed its options.", wife) == []
    pm = "What is the name of the prime minister who served under President Bazoum?"
    assert new_names("Nigerien PM Mahamadou: 'There is no justification'", pm) == ["Mahamadou"]


QUESTIONS_OF_A_KIND = [
    ("What is the name of Bazoum's wife, who was held with him at the palace?",
     ("Bazoum held at the palace with his family",
      "Bazoum has been held at the palace with his wife and son since July 26."),
     ("Bazoum's wife speaks", "Bazoum's wife, Hadiza Ben Mabrouk, has been held at the palace with him since July 26."),
     "Hadiza"),
    ("What prison sentence did the court hand Bazoum after his treason trial?",
     ("Junta to prosecute Bazoum for treason",
      "The junta said it would prosecute Bazoum for high treason before a court."),
     ("Court sentences Bazoum", "A court sentenced Bazoum to 20 years in prison after his treason trial."),
     "20 years"),
]


@pytest.mark.parametrize(("question", "without", "with_it", "expected"), QUESTIONS_OF_A_KIND)
def test_a_question_wanting_a_name_or_a_term_is_not_answered_without_one(
        engine: Briefbot, question: str, without: tuple[str, str], with_it: tuple[str, str], expected: str) -> None:
    answerer = ExtractiveAnswerer(engine.keywords.get)
    lacking = _hit("lacking", *without)
    assert answerer.answer(question, [lacking]).abstained
    giving = _hit("giving", *with_it)
    answer = answerer.answer(question, [lacking, giving])
    assert not answer.abstained and expected in answer.answer


@pytest.mark.parametrize(("question", "kind"), [
    # The question's own wh-word decides, not a clause inside it.
    ("Who, standing in for the absent governor, declared the emergency when the fires broke out?", "who"),
    ("What did the president say when a reporter asked about the toll?", ""),
    ("How many people died when the fire reached the town?", "number"),
    ("When did the junta close the airspace?", "date"),
    # A second question joined with "and" is asked too; the quantity is what the quote must give.
    ("Which diplomat did the junta expel, and how long was he given to leave?", "duration"),
    ("What is the number of soldiers stationed there?", "number"),
    ("Why did the junta close the airspace?", "reason"),
    # A cost is an amount, as "how much"; a day of the week is a date answer.
    ("What did FEMA estimate it would cost to rebuild the town?", "number"),
    ("What will the new dam cost?", "number"),
    ("What did the cost of living crisis lead to?", ""),
    ("On which day of the week was the ultimatum due to run out?", "weekday"),
    # Two days of the week are weekdays too; "between which dates" asks for dates.
    ("On which two days of the week were the military chiefs due to meet?", "weekday"),
    ("Between which dates in July was the port shelled?", "date"),
    ("How much time did Moscow give the UN to meet its conditions?", "duration"),
    # A leading when-clause sets the scene; the question is what follows its comma.
    ("When the soldiers went on national television, what did they say they had done?", ""),
    ("When the fire broke out, who declared the emergency?", "who"),
    ("What prison sentences did the officials receive?", "sentence"),
    # Reasons asked for in so many words are why-questions.
    ("For what reasons did the bloc delay its military meeting?", "reason"),
    ("What reason did the junta give for expelling the ambassador?", "reason"),
    ("What were the main reasons for the coup?", "reason"),
    # Nouns that are numbers ask for one: a toll, a rate, a turnout, a pressure, a loss.
    ("What was the death toll from the quake?", "number"),
    ("What was voter turnout in the first round?", "number"),
    ("What was Ruritania's annual inflation rate in September?", "number"),
    ("What was Storm Ada's minimum central pressure at landfall?", "number"),
    ("What was the estimated total insured loss from the fires?", "number"),
    ("At what altitude was the jet flying when it began its descent?", "number"),
    ("What tritium concentration did the operator report?", "number"),
    # Not when the noun belongs to something else asked about.
    ("What is the name of the price index?", "name"),
    ("What was the significance of the magnitude?", ""),
    ("What was the reason for the loss?", "reason"),
    # A name owned by who or what it is of: as "the name of ...".
    ("What's France's ambassador's name?", "name"),
    ("What is the new prime minister's name?", "name"),
])
def test_the_answer_kind_follows_the_questions_own_wh_word(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


def test_a_name_asked_of_a_persons_role_asks_for_a_person() -> None:
    from index.questions import asks_for_person

    assert asks_for_person("What's France's ambassador's name?")
    assert asks_for_person("What is the new prime minister's name?")
    assert not asks_for_person("What was the hurricane's name?")


def test_a_trailing_clause_that_says_when_only_sets_the_scene(engine: Briefbot) -> None:
    """"..., just as Niger's president was being detained?": the report that answers need not name the
    scene. A name in the question itself still must be there."""
    from index.answer import support
    from index.questions import profile_question

    rarity = engine.keywords.get()
    attacks = _hit("ecowas", "Over 1,800 'terrorist attacks' in West Africa in 2023: ECOWAS",
                   "The West African bloc is to discuss strengthening a regional standby force.", similarity=0.65)
    scene = profile_question("How many terrorist attacks did the West African bloc count in 2023, just as Niger's "
                             "president was being detained?", rarity)
    assert "niger" not in scene.key_terms and "niger" in scene.terms
    assert support(scene, attacks) is not None
    asked = profile_question("How many terrorist attacks did the West African bloc count in Niger in 2023?", rarity)
    assert "niger" in asked.key_terms
    assert support(asked, attacks) is None
    # A clause between commas that is no time ("Who, as director of the Al-Bayda Medical Center, ...") keeps its names.
    role = profile_question("Who, as director of the Al-Bayda Medical Center, gave the first estimate?", rarity)
    assert "bayda" in role.key_terms


def test_a_weekday_names_no_one_and_a_why_answer_gives_a_cause() -> None:
    assert new_names("The mayor announced a new head of the agency on Friday.", "Who was hired?") == []
    assert new_names("The mayor announced on Friday that Darryl Oliveira was hired.", "Who was hired?") \
        == ["Darryl", "Oliveira"]
    assert gives_reason("The junta closed the airspace, citing the threat of an intervention.")
    assert not gives_reason("The junta closed the airspace on Sunday.")
    # The reason someone gives, the charge, the purpose: how reports write a why-answer too.
    for said in ("The ambassador is living off rations, the president says, accusing the army of blocking food.",
                 "Four countries were penalised for human rights violations.",
                 "The province halted new projects so it can review its rules.",
                 "The drone flights resumed to protect soldiers."):
        assert gives_reason(said), said
    assert not gives_reason("The bloc suspended a meeting, a day after saying it would muster a force.")



def test_a_follow_up_is_not_answered_with_what_the_last_answer_said(engine: Briefbot) -> None:
    """A sentence the conversation was just shown is passed over, unless it gives what is now asked."""
    answerer = ExtractiveAnswerer(engine.keywords.get)
    said = "The emergency chief defended the decision not to sound the sirens in Lahaina."
    hits = [_hit("chief", "Emergency chief defends silent sirens",
                 f"{said} The emergency chief defended not sounding the sirens because residents used to "
                 "tsunamis would have fled toward the fire.")]
    question = "why did the emergency chief defend the decision not to sound the sirens in Lahaina?"
    fresh = answerer.answer(question, hits)
    assert not fresh.abstained and said in fresh.answer  # asked afresh, the closest sentence leads
    follow = answerer.answer(question, hits, said=(said,))
    assert not follow.abstained and "tsunamis" in follow.answer and said not in follow.answer
    # A quoted sentence that gives what is asked (here a date) is still the answer.
    dated = "The sirens stayed silent on 8 August, the chief said."
    hits = [_hit("dated", "Sirens silent", f"{dated} Residents criticised the chief and the sirens.")]
    again = answerer.answer("when did the sirens stay silent?", hits, said=(dated,))
    assert not again.abstained and "8 August" in again.answer


def test_a_name_is_found_as_reports_write_it(engine: Briefbot) -> None:
    """'the AP' is The Associated Press, an outlet the question names is the document's own site,
    and a weekday only says when; a document that never names the thing still cannot answer."""
    from index.answer import support
    from index.questions import profile_question

    rarity = engine.keywords.get()

    def supported(question: str, hit: Hit) -> bool:
        return support(profile_question(question, rarity), hit) is not None

    minister = _hit("ap", "Flood victims buried", "Othman Abduljaleel, health minister for eastern Libya, told The "
                    "Associated Press at least 700 bodies had been buried.", similarity=0.7)
    assert supported("Which health minister gave the AP the count of flood victims buried?", minister)
    assert not supported("Which health minister gave Reuters the count of flood victims buried?", minister)
    climatologist = replace(
        _hit("lm", "Cyclone's strength", "Climatologist Davide Faranda explains how the Mediterranean's heat "
             "drove the cyclone's strength.", similarity=0.7), url="https://www.lemonde.fr/en/environment/a.html")
    assert supported("Which climatologist explained to Le Monde that the heat drove the cyclone's strength?",
                     climatologist)
    assert not supported("Which climatologist explained to Der Spiegel that the heat drove the cyclone's strength?",
                         climatologist)
    katrina = replace(_hit("nyt", "Thousands feared dead", "In a catastrophe recalling Hurricane "
                                       "Katrina, a storm burst through dams on Derna.", similarity=0.7),
                                  url="https://www.nytimes.com/2023/09/12/world/libya.html")
    assert supported("Which hurricane did the New York Times recall when dams burst on Derna?", katrina)
    # "Times of India" is one name, its site timesofindia.indiatimes.com, though the report never says India.
    toi = replace(_hit("toi", "Deadliest quakes in two decades", "The quakes were the deadliest the country has "
                       "seen in two decades, officials said.", similarity=0.7),
                  url="https://timesofindia.indiatimes.com/world/south-asia/quakes.cms")
    assert supported("The quakes were the country's deadliest in how long, according to the Times of India?", toi)
    # One word names an outlet too ("the Guardian's live blog"), and a site's own label counts
    # wherever it stands in the address ("news.sky.com" is Sky News).
    analyst = replace(_hit("g", "Refugees flee", "We asked Olesya Vartanyan, the Crisis Group's senior analyst, "
                           "about the refugees crossing into Armenia.", similarity=0.7),
                      url="https://www.theguardian.com/world/live/2023/sep/25/refugees")
    assert supported("Which Crisis Group analyst did the Guardian's live blog ask about the refugees?", analyst)
    road = replace(_hit("s", "Thousands flee along 100 miles of winding road", "More than 47,000 people have left.",
                        similarity=0.7), url="https://news.sky.com/story/thousands-flee")
    assert supported("Along how many miles of winding road did people flee, according to Sky News?", road)
    assert not supported("Along how many miles of winding road did people flee, according to CNN?", road)
    premier = _hit("pm", "Thousands feared dead", "Prime Minister Ossama Hamad of the east Libyan government said "
                   "thousands are feared dead.", similarity=0.7)
    assert supported("Who leads the east Libyan government and warned on the Monday that thousands were feared dead?",
                     premier)


def test_a_who_answer_naming_a_person_is_preferred() -> None:
    from index.questions import names_a_person

    question = "Who led the Maui Emergency Management Agency when the sirens were not sounded?"
    assert names_a_person("Herman Andaya, the agency's administrator, resigned a day later.", question)
    assert names_a_person("Prime Minister Ossama Hamad of the eastern government said thousands died.", question)
    # A place, an institution the question names, or a title alone is nobody.
    assert not names_a_person("His agency's decision not to sound the sirens as fires neared Lahaina drew scrutiny.",
                              question)
    assert not names_a_person("A spokesman for the Maui Emergency Management Agency declined to comment on it.",
                              question)
    assert not names_a_person("Fires spread across West Maui and the Kula area on Tuesday afternoon.", question)
    # A title before a first and last name does not hide them; an English word is no first name.
    doctor = "Which doctor at the hospital made an appeal for help as bodies kept arriving?"
    assert names_a_person("Dr Najib Tarhoni has been working at the nearest large hospital to Derna.", doctor)
    assert not names_a_person("First Thing: Appeals for body bags amid fears of epidemic after Libya floods", doctor)
    assert not names_a_person("The Biden administration still sees a narrow opportunity to reverse the coup, "
                              "a senior official said.", doctor)
    # A first name that is also a place ("Victoria") still opens a person's name.
    assert names_a_person("Victoria Nuland, the acting deputy secretary of state, said she held difficult talks.",
                          doctor)
    # A maker and model is no one ("Embraer Legacy"); nor is the person the question already names.
    assert not names_a_person("An Embraer Legacy 600 jet, the flight tracking service FlightRadar identified it "
                              "as being in regular use in recent months.", "What were the names of the pilots?")
    assert not names_a_person("Investigators have confirmed that Yevgeny Prigozhin, the founder of the group, "
                              "died in the crash.", "Who heads the body investigating the Prigozhin crash?")
    # One name after a person's title is a person, unless only full names are asked for.
    premier = "Who was prime minister in Bazoum's government when the soldiers seized power?"
    quote = "Nigerien PM Mahamadou: 'There is no justification for an individual to challenge a democratic state'"
    assert names_a_person(quote, premier) and not names_a_person(quote, premier, titled=False)


def test_a_who_question_asking_for_a_role_is_answered_by_a_person(engine: Briefbot) -> None:
    from index.questions import asks_for_person

    assert asks_for_person("Who led the Maui Emergency Management Agency when the sirens were not sounded?")
    assert asks_for_person("Who, standing in for the absent governor, declared the state of emergency?")
    assert not asks_for_person("Who was blamed for the attack near the border?")
    # A which- or name-question asking for a kind of person asks for a person too.
    assert asks_for_person("Which former president of the enclave was among the leaders arrested?")
    assert asks_for_person("Which of Ali Bongo's sons was arrested after the coup?")
    assert asks_for_person("What is the name of Azerbaijan's defence minister?")
    assert not asks_for_person("Which news agency's reporter heard gunfire in the capital?")
    assert not asks_for_person("Which newspaper did the head of the coup speak to?")
    assert not asks_for_person("What is the name of the ruling body the coup general said he was heading?")
    answerer = ExtractiveAnswerer(engine.keywords.get)
    question = "Who led the Maui Emergency Management Agency when the outdoor sirens were not sounded?"
    hits = [
        _hit("town", "Maui emergency agency chief resigns", "The Maui Emergency Management Agency led the response "
             "and the outdoor sirens were not sounded when the fire reached Lahaina.", similarity=0.7),
        _hit("person", "Maui Emergency Management Agency chief defends silent outdoor sirens",
             "Herman Andaya said the agency keeps the sirens for tsunamis.", similarity=0.6),
    ]
    answer = answerer.answer(question, hits)
    assert not answer.abstained and "Herman Andaya" in answer.answer


def test_a_date_asked_for_is_a_day_of_a_month_and_a_weekday_is_read_by_the_reports_date(engine: Briefbot) -> None:
    from index.dates import weekday_on_or_before

    assert weekday_on_or_before("Wednesday", "2023-08-24") == "2023-08-23"
    assert weekday_on_or_before("Thursday", "2023-08-24") == "2023-08-24"
    assert answer_kind("On which day of the week was he buried?") == "weekday"
    answerer = ExtractiveAnswerer(engine.keywords.get)
    crash = _hit("crash", "Business jet crash shrouded in mystery", "A private jet carrying the mercenary chief "
                 "crashed north of the capital on Wednesday, officials said.", day="2023-08-24", similarity=0.7)
    answer = answerer.answer("On what date did the business jet carrying the mercenary chief crash?", [crash])
    assert "Wednesday then was 23 August 2023" in answer.answer
    same_day = replace(crash, date="2023-08-23")
    answer = answerer.answer("On what date did the business jet carrying the mercenary chief crash?", [same_day])
    assert answer.answer.startswith("Reported on Wednesday 23 August 2023:")
    # A weekday is asked for: a quote without one does not give it.
    burial = _hit("burial", "Mercenary chief buried privately", "The mercenary chief was buried privately in a "
                  "cemetery on the edge of the city, his press service said.", day="2023-08-29", similarity=0.7)
    assert answerer.answer("On which day of the week was the mercenary chief buried?", [burial]).abstained


def test_the_name_of_a_person_is_not_answered_by_a_headline_naming_a_place(engine: Briefbot) -> None:
    answerer = ExtractiveAnswerer(engine.keywords.get)
    question = "What is the name of Azerbaijan's defence minister who announced the start of the operation?"
    ministry = _hit("ministry", "Nagorno-Karabakh ceasefire agreed after explosions rock disputed region",
                    "Azerbaijan's defence ministry announced the start of the operation on Tuesday, saying only "
                    "military targets were being attacked.", similarity=0.7)
    assert answerer.answer(question, [ministry]).abstained
    minister = _hit("minister", "Azerbaijan launches operation in the disputed region",
                    "Defence minister Zakir Hasanov announced the start of the operation in Azerbaijan on Tuesday.",
                    similarity=0.6)
    answer = answerer.answer(question, [ministry, minister])
    assert not answer.abstained and "Zakir Hasanov" in answer.answer


def test_a_which_answer_names_a_thing_of_the_kind_asked() -> None:
    from index.questions import names_the_kind, new_names

    question = "Which sea did Storm Daniel first develop over before it hit Greece?"
    sentence = "Storm Daniel developed over the Ionian Sea partly due to this setup, flooding central Greece."
    # "Sea" is the question's own word, but not its name: "Ionian" is new, and it names a sea.
    assert "Ionian" in new_names(sentence, question, places_count=True)
    assert names_the_kind(sentence, question)
    assert not names_the_kind("Europe-wide formation is partly responsible for Storm Daniel, it said.", question)
    assert names_the_kind("In a catastrophe recalling Hurricane Katrina, a storm burst through the dams.",
                          "Which hurricane did the reports recall when the dams burst?")
    # The country of the question's own adjective is no answer to "which Russian region".
    region = "In which Russian region did the plane come down?"
    assert new_names("Video shows a plane crashing in Russia on Wednesday.", region, places_count=True) == []
    assert new_names("The plane came down in the Tver region of Russia.", region, places_count=True) == ["Tver"]
    # A title next to a name the question gives is not news ("The Mayor of Maui County").
    assert new_names("The Mayor of Maui County announced the hiring of a new head of the agency on Friday.",
                     "Who was hired to run the Maui Emergency Management Agency?") == []


def test_a_count_in_units_or_money_needs_that_unit_or_money() -> None:
    from index.questions import gives_quantity

    acres = "How many acres did the upcountry fire burn?"
    assert not gives_quantity("Another wildfire is still burning 25 miles away in the hills.", "number", acres)
    assert gives_quantity("The upcountry fire scorched more than 1,000 acres of pasture.", "number", acres)
    paid = "How much did the power company agree to pay to settle the lawsuit?"
    assert not gives_quantity("The fires killed over 100 people this month.", "number", paid)
    assert gives_quantity("The company agreed to pay $1.99 billion to settle.", "number", paid)
    assert gives_quantity("A settlement of 4 billion dollars was reached.", "number", paid)
    assert gives_quantity("The repairs will cost 2.4 billion CFA francs.", "number", paid)
    assert gives_quantity("A litre of smuggled petrol sold for 900 CFA francs in Maradi.", "number",
                          "How much did a litre of smuggled petrol cost in Maradi?")
    # "gave" in another clause does not make a volume of water a sum of money.
    water = "How much water, by expert estimate, poured into the city once the dams gave way?"
    assert gives_quantity("Experts estimate that 30 million cubic metres of water were released.", "number", water)
    ransom = "How large a ransom did the kidnappers demand before releasing the counsellor?"
    assert not gives_quantity("The counsellor was released after being held for 5 days.", "number", ransom)
    assert gives_quantity("The kidnappers demanded a $2 million ransom.", "number", ransom)


def test_a_casualty_count_needs_the_kind_and_nationality_asked() -> None:
    from index.questions import gives_quantity

    injured = "How many people were injured when protesters attacked the embassy?"
    assert not gives_quantity("Protesters called for about 1,500 soldiers to leave.", "number", injured)
    assert not gives_quantity("The attack on the embassy killed 4 people.", "number", injured)
    assert gives_quantity("Six people were wounded in the attack on the embassy.", "number", injured)
    # The subordinate clause is not what is counted: "after the flood killed" asks no death toll.
    missing = "How many people remain missing after the flood killed thousands?"
    assert gives_quantity("About 10,000 people are still unaccounted for.", "number", missing)
    assert not gives_quantity("The death toll has been put at 11,300.", "number", "How many were displaced?")
    # A time phrase is not what is counted: "by the time of his death" does not ask for the dead.
    assert gives_quantity("Some 5,000 mercenaries settled in exile in Belarus after the mutiny.", "number",
                          "How many mercenaries had settled in Belarus by the time of their chief's death?")
    assert gives_quantity("The death toll has been put at 11,300.", "number", "What is the death toll?")
    french = "How many French soldiers were killed during the standoff?"
    assert not gives_quantity("A dozen soldiers were killed after a rebel attack.", "number", french)
    assert gives_quantity("Two soldiers of France's army were killed in the attack.", "number", french)
    # Only a people named before what is counted: "schools across Morocco" counts schools anywhere.
    assert gives_quantity("Over 580 schools across the country were destroyed.", "number",
                          "How many schools across Morocco were destroyed?")
    assert gives_quantity("About 1,100 U.S. troops are stationed in Niger.", "number", "How many US troops are there?")
    # A count of another people's soldiers is no answer, though the asked country is named too.
    azeri = "How many Azerbaijani soldiers did Baku say were killed during the offensive?"
    assert not gives_quantity("Two Armenian soldiers killed after shelling by Azerbaijan: Yerevan", "number", azeri)
    assert gives_quantity("Baku said 192 Azerbaijani soldiers were killed in the fighting.", "number", azeri)
    assert gives_quantity("Azerbaijan said 192 of its soldiers were killed.", "number", azeri)
    # "What was X's population" asks for a number as "what was the population" does.
    assert answer_kind("What was Stepanakert's population before the exodus?") == "number"


def test_a_prison_term_is_a_duration_given_as_punishment() -> None:
    from index.questions import gives_quantity

    asked = "What prison sentence was the agency chief given?"
    assert not gives_quantity("The chief resigned one day after explaining his decision.", "sentence", asked)
    assert gives_quantity("The former chief was sentenced to 12 years in prison.", "sentence", asked)
    assert gives_quantity("He faces life in prison.", "sentence", asked)


def test_a_who_question_asking_for_a_wife_is_not_answered_by_her_husbands_name() -> None:
    from index.gender import asked_gender, gender_of
    from index.questions import names_a_person

    question = "Who is the wife of the president deposed in August?"
    assert asked_gender(question) == "f" and asked_gender("Who is the deposed president's son?") == "m"
    assert asked_gender("Who leads the junta?") == ""
    assert asked_gender("Which of Mohamed Bazoum's daughters spoke about his detention?") == "f"
    assert gender_of("Sylvia Bongo Ondimba") == "f" and gender_of("Ali Bongo") == "m" and gender_of("Xq Zorb") == ""
    assert not names_a_person("Wife of the deposed leader Ali Bongo jailed.", question, "f")
    assert names_a_person("Sylvia Bongo Ondimba Valentin had been under house arrest.", question, "f")
    # Without a gender asked, any first and last name counts, as before.
    assert names_a_person("Wife of the deposed leader Ali Bongo jailed.", question)


def test_the_name_that_does_what_was_asked_answers_a_which_question(engine: Briefbot) -> None:
    """A report's lead restates the question; the sentence with the asked verb beside a name answers it."""
    from index.questions import asked_verb, name_beside_verb
    from index.terms import normalise

    question = "Which company supplied the fuel at the Portville gas stations hit by contamination as Storm Ada neared?"
    assert asked_verb(question) == normalise("supplies")
    assert asked_verb("Who headed the interior ministry when the suspects were arrested?") == normalise("heads")
    # An auxiliary puts the verb after its subject, and "who is" asks what someone is: no verb to look for.
    assert asked_verb("Which ship did the drone hit?") == ""
    assert asked_verb("Who is the new interim prime minister?") == ""
    # A verb that says little by itself is no anchor: "came to power" does not answer "came under attack".
    assert asked_verb("Which prime minister came under attack over the response?") == ""
    verb = asked_verb(question)
    assert name_beside_verb("Fuel from the stations, supplied by Vantaco, was tainted.", question, verb, True)
    # The verb without a new name beside it, or a name far from it, does not answer.
    assert not name_beside_verb("Fuel supplied to the Portville stations was tainted as Storm Ada neared.",
                                question, verb, True)
    assert not name_beside_verb("Officials said the fuel was supplied months ago, and Governor Lena Ortiz "
                                "warned drivers.", question, verb, True)
    answerer = ExtractiveAnswerer(engine.keywords.get)
    hits = [_hit("fuel", "Ruritania warns of fuel contamination at Portville gas stations as Storm Ada nears",
                 "Ruritania warned on Sunday of widespread fuel contamination at Portville gas stations as "
                 "Tropical Storm Ada neared the coast. The Department of Energy said human error may have caused "
                 "the contamination of fuel at nearly 30 gas stations. Fuel at the stations, supplied by Vantaco, "
                 "was mixed with diesel.", similarity=0.7)]
    answer = answerer.answer(question, hits)
    assert not answer.abstained and "Vantaco" in answer.answer, answer.answer
