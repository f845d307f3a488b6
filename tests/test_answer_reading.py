"""How the extractive answerer reads reports: who a pronoun stands for, kinds the question names,
initials, provinces named like countries, years and times of day asked for, the office a person
is asked by, and what a count counts.

The engine tests run over a small corpus of short wire items written here, ingested into a real
store; the rest check the reading rules directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import Briefbot, Settings
from index.answer import ExtractiveAnswerer, support, verify
from index.conversation import Conversation
from index.outlets import without_own_name
from index.questions import (
    answer_kind,
    counted_noun,
    counts_the_counted,
    gives_clock_time,
    gives_direction,
    gives_month,
    gives_quantity,
    gives_time,
    gives_year,
    names_a_person,
    names_counted,
    names_the_event,
    names_what_was_asked,
    new_names,
    profile_question,
    weighed_among,
)
from index.roles import asked_role, states_role
from index.terms import terms
from index.types import Hit

ITEMS = [
    {"title": "Wildfires upend Indigenous Canadians' balance with nature",
     "description": "Adrienne Jerome is heartbroken. Her house survived Canada's record wildfires this year, but "
                    "the spruce forests that enveloped her town are gone.",
     "link": "https://example.org/indigenous-forests", "date_published": "2023-10-02T05:30:00+00:00"},
    {"title": "Functioning weather service may have prevented Libya flood casualties: WMO",
     "description": "WMO boss says many people could have been saved if the divided country had a normally "
                    "operating meteorological service.",
     "link": "https://example.org/wmo-libya", "date_published": "2023-09-14T10:00:00+00:00"},
    {"title": "Emergencies Minister Mobilizes Military to Help Fight BC Wildfires",
     "description": "Minister of Emergency Preparedness Bill Blair said the armed forces would help crews in the "
                    "province as more fires broke out.",
     "link": "https://example.org/blair-military", "date_published": "2023-07-15T18:00:00+00:00"},
    {"title": "Libya's dams were known to be cracked for decades",
     "description": "The government finally commissioned a study in 1998 that found deep cracks in the two dams "
                    "above the city.",
     "link": "https://example.org/derna-dams", "date_published": "2023-09-16T09:00:00+00:00"},
    {"title": "Canada wildfires: Drone footage shows scale of destruction in Northwest Territories",
     "description": "Enterprise in Canada's Northwest Territories is burnt to the ground as wildfires continue "
                    "to grip the country.",
     "link": "https://example.org/drone-enterprise", "date_published": "2023-08-21T12:00:00+00:00"},
    {"title": "Britain sends army engineers to help after floods",
     "description": "The British army said on Monday it would send engineers to help rebuild bridges.",
     "link": "https://example.org/british-army", "date_published": "2023-09-18T09:00:00+00:00"},
    {"title": "Nigerian delegation says Niger military leaders open to diplomacy",
     "description": "Nigerian Islamic scholars met the coup leaders in Niamey as the regional bloc ECOWAS explored "
                    "its options.",
     "link": "https://example.org/scholars-delegation", "date_published": "2023-08-13T09:00:00+00:00"},
    {"title": "Conservation expert feared missing after takeover in Ruritania",
     "description": "Rupert Hentzau, 58, posted photos from the capital hours before soldiers seized power. He was "
                    "a senior minister in the cabinet of the deposed president Rudolf Elphberg.",
     "link": "https://example.org/hentzau-missing", "date_published": "2023-08-30T21:00:00+00:00"},
    {"title": "The Guardian view on the Zenda putsch: neighbours hold the key | Editorial",
     "description": "The US had a drone base near the border in the north of Zenda.",
     "link": "https://www.theguardian.com/commentisfree/2023/aug/01/the-guardian-view-on-zenda",
     "date_published": "2023-08-01T18:00:00+00:00"},
    {"title": "Zenda coup leaders court Moscow",
     "description": "Soldiers who seized power in Zenda met Russian envoys on Monday. The post Zenda Coup Leaders "
                    "Court Moscow When the U.S. Says So. appeared first on The Intercept.",
     "link": "https://example.org/zenda-moscow", "date_published": "2023-08-02T18:00:00+00:00"},
    {"title": "Storm Ruth and floods kill 150 people in eastern Zenda",
     "description": "A powerful storm and heavy floods have killed 150 people in the eastern city of Strelsau over "
                    "the past two days, and the toll is expected to rise.",
     "link": "https://example.org/storm-ruth", "date_published": "2023-09-11T08:00:00+00:00"},
    {"title": "French ambassador to Zenda returns to Paris",
     "description": "Ambassador Jean Valjean left Strelsau on Wednesday after weeks of pressure from the junta.",
     "link": "https://example.org/valjean-leaves", "date_published": "2023-09-27T10:00:00+00:00"},
    {"title": "Ruritania flew 2,450 people out of Zenda",
     "description": "Ruritania took 2,450 British and foreign nationals out of Zenda after fighting broke out in "
                    "April.",
     "link": "https://example.org/zenda-airlift", "date_published": "2023-05-03T10:00:00+00:00"},
    {"title": "Zendan evacuees in Ruritania fear limbo as six-month visas begin to expire",
     "description": "People evacuated to Ruritania from war-torn Zenda fear they will be left in limbo when their "
                    "six-month visas expire this week.",
     "link": "https://example.org/zenda-visas", "date_published": "2023-10-24T10:00:00+00:00"},
    {"title": "Germany eyes imports of Nigerian gas in Rassendyll visit",
     "description": "Germany is eyeing imports of natural gas from Nigeria, Chancellor Rudolf Rassendyll said "
                    "during a visit to the country.",
     "link": "https://example.org/rassendyll-gas", "date_published": "2023-10-29T10:00:00+00:00"},
    {"title": "Briefing: floods, drones and a council meeting",
     "description": "Tarlenheim's council met on Monday to discuss the floods. Crews cleared roads in the south. "
                    "Air defences shot down several drones targeting the Strelsau region overnight, mayor Osra "
                    "Sapt said.",
     "link": "https://example.org/briefing-drones", "date_published": "2023-08-01T06:00:00+00:00"},
    {"title": "Premier promises new homes after touring fire damage in NWT",
     "description": "Premier Osra Sapt toured burnt homes in Enterprise, N.W.T., on Oct. 11 and promised to "
                    "rebuild them.",
     "link": "https://example.org/premier-tour", "date_published": "2023-10-12T06:00:00+00:00"},
    {"title": "Skyjet keeps flying to Strelsau despite the fighting",
     "description": "Skyjet said its flights to Strelsau were operating as normal.",
     "link": "https://example.org/skyjet", "date_published": "2023-07-24T10:00:00+00:00"},
]


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    folder = tmp_path_factory.mktemp("reading")
    feed = folder / "items.jsonl"
    feed.write_text("\n".join(json.dumps(item) for item in ITEMS) + "\n", encoding="utf-8")
    bot = Briefbot(Settings(data_dir=folder / "data", _env_file=None))
    assert bot.ingest([Path(feed)]).added == len(ITEMS)
    return bot


def test_a_sentence_opening_with_a_pronoun_is_quoted_with_the_sentence_naming_the_person(reader: Briefbot) -> None:
    answer = reader.ask("Which Indigenous woman said her house survived the record wildfires but the spruce "
                        "forests around her town were gone?")
    assert not answer.abstained and "Adrienne Jerome" in answer.answer
    assert "Adrienne Jerome is heartbroken. Her house survived" in answer.citations[0].quote
    assert verify(answer, answer.retrieved) == []


def test_a_sentence_opening_with_a_pronoun_is_quoted_with_its_person_though_it_names_another(
        reader: Briefbot) -> None:
    answer = reader.ask("Which conservation expert serving as a minister in the deposed president's cabinet "
                        "was feared missing after the takeover in Ruritania?")
    assert not answer.abstained and "Rupert Hentzau" in answer.answer
    assert verify(answer, answer.retrieved) == []


def test_the_name_of_a_thing_is_not_the_reports_own_outlet_nor_its_column(reader: Briefbot) -> None:
    answer = reader.ask("What is the name of the US drone base in northern Zenda?")
    assert answer.abstained, answer.answer


def test_a_quote_saying_no_when_does_not_answer_when_by_its_reports_date(reader: Briefbot) -> None:
    answer = reader.ask("On what date did the Nigerian Islamic scholars meet the coup leaders in Niamey?")
    assert answer.abstained, answer.answer
    assert gives_time("Officials were asked to testify at a Sept. 28 hearing.")
    assert gives_time("The rally is taking place on the day the country celebrates independence.")
    assert gives_time("The junta wants the soldiers out by early September.")
    assert not gives_time("News has been removed from Facebook and Instagram.")


def test_a_feeds_syndication_footer_is_never_quoted(reader: Briefbot) -> None:
    answer = reader.ask("On which outlet did the post on Zenda's coup leaders courting Moscow appear first?")
    assert "appeared first" not in answer.answer


def test_a_name_saying_what_kind_of_thing_is_asked_for_need_not_be_in_the_report(reader: Briefbot) -> None:
    # "Which UN agency": the report names the agency (WMO), never "UN".
    answer = reader.ask("Which UN agency said many Libyan lives could have been saved with a normally "
                        "functioning weather service?")
    assert not answer.abstained and "WMO" in answer.answer
    profile = profile_question("Which UN agency said many Libyan lives could have been saved?", reader.keywords.get())
    assert "un" not in profile.key_terms and "libya" in profile.key_terms
    # A country stays key: a report on "which Saudi official" names Saudi Arabia.
    saudi = profile_question("Which Saudi official travelled to Niamey?", reader.keywords.get())
    assert {"saudi", "niamey"} <= saudi.key_terms or len(saudi.key_terms) == 2


def test_a_province_is_found_by_the_initials_reports_write_it_with(reader: Briefbot) -> None:
    answer = reader.ask("Which federal minister mobilised the military to help fight British Columbia's wildfires?")
    assert not answer.abstained and "Bill Blair" in answer.answer


def test_a_name_is_found_by_initials_taking_more_than_one_letter_of_a_word(reader: Briefbot) -> None:
    # "NWT" and "N.W.T." for Northwest Territories: two letters of "Northwest".
    answer = reader.ask("When did the premier tour the fire damage in Enterprise, Northwest Territories?")
    assert not answer.abstained and "Oct. 11" in answer.answer
    name = profile_question("Which town in the Northwest Territories burned?", reader.keywords.get()).key_names[0]
    assert name.abbreviated_by("nwt") and name.abbreviated_by("nt") and not name.abbreviated_by("wt")


def test_a_headline_answering_a_which_question_is_followed_by_its_report_s_sentence(reader: Briefbot) -> None:
    # The body sentence opens with the answer, a word no rule can tell from an English word; the
    # headline is chosen, and what it tells comes with it.
    answer = reader.ask("Which community in the Northwest Territories did drone footage show burnt to the ground?")
    assert not answer.abstained and "Enterprise in Canada's Northwest Territories" in answer.answer
    assert verify(answer, answer.retrieved) == []


def test_a_year_asked_for_is_a_year_the_question_does_not_give(reader: Briefbot) -> None:
    # The report never writes "Derna", but one of its sentences holds nearly all the question asks.
    answer = reader.ask("In what year did Libya's government finally commission the study that found deep cracks "
                        "in the Derna dams?")
    assert not answer.abstained and "1998" in answer.answer
    # No report gives the hour: a date is no answer to "at what time".
    assert reader.ask("At what time did the study find cracks in the Derna dams?").abstained


def test_a_change_asked_by_how_much_is_answered_by_a_multiple() -> None:
    question = "By how much did onion prices rise in Ghana after the coup?"
    assert gives_quantity("Onion prices have doubled in Ghana.", answer_kind(question), question)
    assert gives_quantity("Prices rose threefold.", answer_kind(question), question)
    assert not gives_quantity("Onion prices rose sharply in Ghana.", answer_kind(question), question)
    # A multiple counts nothing: "how many" still needs a count.
    assert not gives_quantity("Exports doubled.", "number", "How many tonnes were exported?")


def test_a_missing_name_is_not_made_up_for_by_a_sentence_that_is_all_names(reader: Briefbot) -> None:
    # The report names the chancellor but says nothing of a coup, nor of Niger ("Nigeria" is another country).
    answer = reader.ask("What did German Chancellor Rudolf Rassendyll say about the coup in Niger?")
    assert answer.abstained, answer.answer
    # The same report answers what it is about.
    answer = reader.ask("What did German Chancellor Rudolf Rassendyll say about gas imports from Nigeria?")
    assert not answer.abstained and "natural gas" in answer.answer


def test_a_term_every_retrieved_report_holds_weighs_less_in_choosing_the_sentence() -> None:
    class Rarity:
        def idf(self, term: str) -> float:
            return 4.0

    profile = profile_question("Why did the Zenda bloc delay its standby meeting?", Rarity())
    reports = [set(terms(text)) for text in ("Zenda bloc meets", "Zenda delays meeting", "Zenda standby force")]
    weights = weighed_among(profile, reports, 0.9).weights
    assert weights["zenda"] == pytest.approx(4.0 * (1 - 0.9))  # in all three reports
    assert weights["bloc"] == pytest.approx(4.0 * (1 - 0.9 / 3))  # in one of them
    assert weighed_among(profile, [], 0.9) is profile


@pytest.mark.parametrize(("question", "kind"), [
    ("In what year was the previous record set?", "year"),
    ("Which year did the dams crack?", "year"),
    ("At what time of night did the family try to slip out?", "time"),
    ("How large was the blaze threatening the city, in square kilometres?", "number"),
    ("How far from the capital did the fire come?", "number"),
    ("On which night did the territory declare a state of emergency?", "date"),
    ("By what deadline did residents have to leave the city?", "date"),
    ("In which month of 2023 did the border clash happen?", "month"),
    ("In which direction from Herat was the epicentre?", "direction"),
])
def test_years_times_of_day_nights_deadlines_sizes_and_distances_are_kinds_of_answer(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


def test_years_months_directions_and_times_of_day_are_read_as_reports_write_them() -> None:
    assert gives_year("A study commissioned in 1998 found cracks.", "In what year was the study commissioned?")
    assert not gives_year("The 2023 season broke the record.", "In what year before 2023 was the record set?")
    for said in ("At around three in the morning, he tried to escape.", "The fire broke out at 6.30am.",
                 "It struck at 23:11 local time.", "The deadline was noon on Friday."):
        assert gives_clock_time(said), said
    assert not gives_clock_time("Three days later the fire reached the town.")
    assert gives_month("The clash happened in April near the village.", "In which month of 2023 was the clash?")
    assert not gives_month("Fighting may resume in the spring.", "In which month did the fighting resume?")
    assert gives_direction("The epicentre was 40km northwest of Herat.", "In which direction from Herat?")
    assert gives_direction("It struck south of the city.", "In which direction from Herat?")
    assert not gives_direction("A quake hit western Afghanistan, close to the largest city.", "In which direction?")


def test_a_province_named_with_a_peoples_adjective_is_not_that_country() -> None:
    assert terms("British Columbia's premier") == ["british", "columbia", "premier"]
    assert terms("the British army") == ["uk", "armi"]
    assert terms("French Guiana")[0] == "french" and terms("the French president")[0] == "france"


def test_a_relative_of_the_person_asked_about_is_somebody_else() -> None:
    question = "Which of Mohamed Bazoum's daughters said in August 2023 that her detained father was losing weight?"
    assert names_a_person("Zazia Bazoum, who was on holiday in France, said she was worried.", question)
    assert not names_a_person("Mohamed Bazoum was detained by his own guard.", question)
    # A lower-case word that the name records also hold ("into") is no first name.
    assert names_a_person("Fernando Villavicencio was shot at a rally.",
                          "Who is the attorney general leading the investigation into Villavicencio's murder?") \
        is False


def test_a_first_name_given_to_men_and_women_alike_is_a_first_name() -> None:
    # "Courtney" decides no gender and is an English word too; it is still a first name on record.
    question = "Which NBC News correspondent was described as the only US-based journalist inside Niger?"
    assert names_a_person("NBC News’ Courtney Kube is the only US-based journalist inside Niger.", question)
    # The records' stray words are no first names: "Red Cross" is no person.
    assert not names_a_person("Red Cross teams reached the town on Sunday.", question)
    # A person's noun before the name says who it is, whatever the name's words.
    assert names_a_person("The fire reached the reserve, the community’s chief, Niakia Hanna, told Reuters.",
                          "Who is the First Nation's chief?")
    # A first name before a map feature's word is a place: "Haig Lake", "Donnie Creek", "Fort St. John".
    assert not names_a_person("Workers could not revive the pilot after his helicopter went down near Haig Lake.",
                              "What was the name of the helicopter pilot killed fighting the fires?")


def test_a_nickname_in_quotes_stands_inside_a_name_not_for_it() -> None:
    question = "Which Ecuadorian gang leader, known as 'El Fatal', was buried with an arsenal of guns?"
    sentence = "Ecuadorian gang leader Manuel 'El Fatal' Sevillano had guns placed inside his coffin."
    assert names_a_person(sentence, question)
    assert "Sevillano" in new_names(sentence, question)
    assert not names_a_person("Ecuadorian gang leader 'El Fatal' is buried with hundreds of firearms.", question)


def test_a_surname_that_is_also_a_word_is_a_person_when_the_sentence_says_who_they_are() -> None:
    question = "Which minister urged people near Kelowna to obey evacuation orders?"
    assert names_a_person("“Follow evacuation orders,” Bowinn Ma, the province’s minister of emergency "
                          "management, said.", question)
    assert not names_a_person("An Embraer Legacy 600 jet, the plane the tracking service identified, crashed.",
                              question)


def test_a_person_asked_for_by_office_is_answered_only_by_a_report_that_says_the_office(reader: Briefbot) -> None:
    # Bill Blair is the minister of emergency preparedness: he is no answer for "defence minister".
    assert reader.ask("Which minister of emergency preparedness mobilised the military to fight the BC wildfires?"
                      ).answer.count("Bill Blair") >= 1
    assert reader.ask("Who did the federal government name as its defence minister during the BC wildfires?"
                      ).abstained


def test_a_person_asked_for_by_what_they_did_is_not_answered_by_the_body_they_led(reader: Briefbot) -> None:
    # The report names the scholars and ECOWAS, nobody who led them: "Who led ...?" asks for a person.
    answer = reader.ask("Who led the delegation of Nigerian Islamic scholars that met Niger's coup leaders?")
    assert answer.abstained, answer.answer
    assert answer.retrieved and answer.retrieved[0].url == "https://example.org/scholars-delegation"  # it was read


@pytest.mark.parametrize(("question", "role"), [
    ("Who was the mayor of Yellowknife during the evacuation?", ("mayor",)),
    ("Who did the junta appoint as the country's civilian prime minister?", ("prime", "minister")),
    ("Who did the junta name as its defence minister?", ("defence", "minister")),
    ("What is the name of Hawaii Governor Josh Green's wife?", ("wife",)),
    ("Which former president of the region was arrested?", ("president",)),
    ("Which British Columbia minister of emergency management urged people to leave?", ("minister",)),
    ("Which federal minister mobilised the military?", ("minister",)),
    ("Who led the coup?", ()),
    ("Who is the leader of the junta?", ()),
    ("Which US diplomat argued for unity?", ()),
    ("Which country sent rescue teams?", ()),
])
def test_the_office_or_tie_a_question_asks_a_person_by(question: str, role: tuple[str, ...]) -> None:
    assert asked_role(question) == role


def test_an_office_is_read_as_reports_write_it() -> None:
    assert states_role("Mayor Rebecca Alty said the city was safe.", ("mayor",))
    assert states_role("PM Ali Lamine Zeine met the envoys.", ("prime", "minister"))
    assert states_role("Salifou Mody, the minister of defense, travelled to Mali.", ("defence", "minister"))
    assert states_role("Shelee Kimura, President & CEO of Hawaiian Electric", ("chief", "executive"))
    assert not states_role("French Foreign Minister Catherine Colonna said", ("defence", "minister"))
    assert not states_role("Premier David Eby said", ("mayor",))
    # News style abbreviates titles: "Gov." is a governor, "Sen." a senator; "Gen." is no governor.
    assert states_role("North Carolina Gov. Roy Cooper (D) declared the emergency Monday.", ("governor",))
    assert states_role("Sen. Bob Menendez said the aid would stop.", ("senator",))
    assert not states_role("Gen. Abdourahamane Tchiani declared himself leader.", ("governor",))


def test_one_name_after_an_office_of_several_words_is_a_person() -> None:
    from index.questions import names_a_person

    question = "Which US Secretary of State announced a reward for information about the killing?"
    assert names_a_person("US Secretary of State Blinken announced the reward as part of an ongoing probe.", question)
    assert not names_a_person("The Department of State announced the reward on Friday.", question)


def test_a_count_of_the_dead_does_not_answer_a_count_of_anything_else() -> None:
    question = "How many schools were destroyed by the earthquakes?"
    assert not gives_quantity("The quakes struck Herat, killing more than 2,400 people and injuring thousands.",
                              "number", question)
    assert gives_quantity("The quakes destroyed 2,000 homes and killed 1,000 people.", "number", question)
    assert gives_quantity("The boat carrying 750 migrants sank, killing at least 80.", "number",
                          "How many migrants were aboard the boat?")
    # "40 days after death" counts days, not the dead.
    assert gives_quantity("Prigozhin hailed a hero, 40 days after death in plane crash.", "number",
                          "How many days after his death did people gather?")


def test_a_headline_of_vague_tolls_and_a_quake_s_magnitude_count_nothing_else() -> None:
    question = "How many schools were destroyed by the October 2023 earthquakes in Herat province?"
    assert not gives_quantity("In photos: Thousands dead, homes destroyed in Afghanistan earthquakes.", "number",
                              question)
    assert not gives_quantity("At least one person reported dead and nearly 100 injured after a magnitude 6.3 "
                              "earthquake hits Herat province.", "number", question)
    assert gives_quantity("The 6.3-magnitude quake destroyed 12 schools.", "number", question)


@pytest.mark.parametrize(("text", "question", "counted"), [
    ("Canada mourns deaths of firefighters as wildfires ravage millions of acres.",
     "How many schools were destroyed by the earthquake?", False),
    ("Schools across the country paid a heavy toll, with over 580 of them destroyed.",
     "How many schools across Morocco were destroyed by the earthquake?", True),
    ("Armenia says 42,500 people have arrived.", "How many arrivals did Yerevan count?", True),
    ("Coup leaders say troops were pre-deployed in two Central African nations.",
     "In how many Central African countries were troops pre-deployed?", True),
    ("Tampa Bay residents told to flee as 5,500 National Guard are on standby.",
     "How many National Guard members were on standby as the storm gathered?", True),
    ("Niger military names 21-person cabinet.", "How many members did the cabinet have?", True),
    ("Wagner has deployed about 1,500 troops in Mali.", "How many Wagner fighters were in Niger?", False),
    ("More than 2,000 pieces of equipment were handed over.", "How many pieces of equipment were handed over?",
     True),
    ("The storm killed 150 people.", "How many people did the storm kill?", True),
])
def test_a_count_must_be_of_what_the_question_counts(text: str, question: str, counted: bool) -> None:
    assert names_counted(text, question) is counted


@pytest.mark.parametrize(("text", "question", "counts"), [
    # The count must stand beside what is counted, not anywhere in the quote and its headline.
    ("Canada mourns deaths of firefighters as wildfires ravage millions of acres. Millions on alert as smoke spreads.",
     "How many firefighters did Australia send?", False),
    ("At the end of August, students from the three countries received a message from the ministry.",
     "How many students had their stays in France cancelled?", False),
    ("Wildfires on Rhodes force hundreds of holidaymakers to flee their hotels.",
     "How many hotels on Rhodes were damaged?", False),
    ("Australia sent 100 more firefighters.", "How many firefighters did Australia send?", True),
    ("Niger military names 21-person cabinet.", "How many members does the cabinet have?", True),
    ("Schools paid a heavy toll, with over 580 of them destroyed.", "How many schools were destroyed?", True),
    ("Over 1,800 ‘terrorist attacks’ in West Africa in 2023.", "How many 'terrorist attacks' did it count?", True),
    ("Around a dozen officers appeared on state television.", "Roughly how many officers appeared?", True),
    ("The toll of the missing rose to 1,100.", "How many people were killed?", True),  # no noun counted
    # A count before the name of what is counted counts it ("National Guard members").
    ("Residents told to flee as 5,500 National Guard are on standby.",
     "How many National Guard members were on standby?", True),
])
def test_a_count_must_count_what_is_asked_where_it_stands(text: str, question: str, counts: bool) -> None:
    assert counts_the_counted(text, question) is counts


def test_a_share_may_be_written_as_a_fraction_in_words() -> None:
    question = "What share of the country's population needs aid?"
    assert gives_quantity("IOM says half of the country's population now needs aid.", "percent", question)
    assert gives_quantity("One in five children is malnourished.", "percent", question)
    assert gives_quantity("Two-thirds of homes were lost.", "percent", "What share of homes were lost?")
    assert not gives_quantity("The population needs aid and protection.", "percent", question)
    # A share of something else the question mentions is no answer: the ballots counted, not the vote.
    assert not gives_quantity("With three-quarters of ballots counted, the race looked set for a run-off.",
                              "percent", "What share of the vote did she have with 90% of ballots counted?")


def test_the_noun_a_how_many_question_counts() -> None:
    assert counted_noun("How many large aftershocks followed the earthquake?") == "aftershocks"
    assert counted_noun("With how many neighbouring countries did Niger reopen its borders?") == "countries"
    assert counted_noun("How many people were killed?") == ""  # any count of the dead may say it
    assert counted_noun("How many acres burned?") == ""  # a unit: checked as one
    assert counted_noun("How many were injured when protesters attacked the embassy?") == ""


def test_how_deep_far_or_high_asks_for_a_length_with_its_unit() -> None:
    question = "How deep below the surface was the magnitude 5.1 earthquake near Ojai?"
    assert not gives_quantity("The USGS reported a magnitude 5.1 earthquake near Ojai, California, at 2:41 p.m.",
                              "number", question)
    assert gives_quantity("It struck at a depth of about 10 kilometres.", "number", question)
    assert gives_quantity("DeSantis warned of a 16ft storm surge.", "number", "How high could the surge rise?")
    assert gives_quantity("Locals were told to expect storm surges of up to nine feet.", "number",
                          "How high could the storm surges reach?")
    assert not gives_quantity("One in five homes lost power.", "number", "How far inland did the surge reach?")


def test_a_day_of_a_month_is_no_count_and_a_number_word_is() -> None:
    question = "How many firefighters did Australia send?"
    assert not gives_quantity("A firefighter directs water on a fire in Kamloops, B.C., on June 5, 2023.", "number",
                              question)
    assert gives_quantity("Nineteen people to vie for the presidency in August 26 vote.", "number",
                          "How many people were cleared to contest the vote?")
    assert not gives_quantity("The funding was halted 18 months ago.", "number",
                              "How much World Bank funding to the country was suspended?")


class _Flat:
    """Every term equally rare but the ones given: the rules below do not depend on a store."""

    def __init__(self, rare: tuple[str, ...] = ()) -> None:
        self.rare = rare

    def idf(self, term: str) -> float:
        return 2.0 if term in self.rare else 1.0


def _report(title: str, text: str, url: str = "https://example.org/report", similarity: float = 0.5) -> Hit:
    return Hit(doc_id=url, title=title, url=url, date="2023-08-10", source="example.org", language="en", score=1.0,
               passages=(text,), similarity=similarity)


def test_an_outlet_named_with_its_article_is_the_report_s_own_site() -> None:
    question = "Who was Niger's ambassador in Washington who told The Washington Post the world would be destabilised?"
    report = _report("If coup holds, 'whole world will be destabilized,' Niger envoy says",
                     "Kiari Liman-Tinguiri, Niger's ambassador in Washington, spoke about the region.",
                     url="https://www.washingtonpost.com/world/2023/08/04/niger-ambassador-interview/", similarity=0.6)
    assert support(profile_question(question, _Flat()), report) is not None


def test_an_island_is_no_country() -> None:
    # countryinfo lists "Island" among Iceland's names: "Rhode Island" and "Greek island" were Iceland.
    assert terms("Rhode Island Democrat") == ["rhode", "island", "democrat"]
    assert "iceland" in terms("Icelanders in Reykjavik")


def test_a_person_the_report_names_by_surname_alone_is_named() -> None:
    question = "Which general took over from Sergei Surovikin as head of Russia's aerospace forces?"
    report = _report("Russia replaces Surovikin as air force chief",
                     "Russia has named Viktor Afzalov to replace General Surovikin as head of its aerospace forces.")
    assert support(profile_question(question, _Flat()), report) is not None
    # Not a place: "South Sudan" is not named by a report on Sudan.
    assert profile_question("What did South Sudan say about the refugees?", _Flat()).key_names[0].given == ""


def test_a_report_close_to_the_question_may_lack_one_of_its_names() -> None:
    # The report never writes "Bazoum" ("the ousted president"), but it is the question's story:
    # its best sentence holds half the question and the report is close to it in meaning.
    question = "How many West African nations committed to a military deployment to restore Bazoum after Accra?"
    close = _report("11 West African nations commit to a military deployment to restore the ousted president",
                    "The agreement comes after a crucial defense ministers meeting in Accra.", similarity=0.68)
    profile = profile_question(question, _Flat(rare=("bazoum", "accra")))
    assert support(profile, close) is not None
    far = _report(close.title, close.passages[0], similarity=0.4)
    assert support(profile, far) is None


def test_an_age_set_off_by_commas_is_an_age() -> None:
    assert gives_quantity("Lee White, 58, posted photos from the capital hours before the takeover.", "age",
                          "How old is Lee White?")
    assert gives_quantity("Trudeau pays tribute to firefighter, 19, killed battling Canada wildfires.", "age",
                          "How old was the firefighter killed in British Columbia?")
    assert not gives_quantity("In 2023, the fires burned 18 million hectares.", "age", "How old was the firefighter?")


def test_which_hurricane_is_answered_by_a_hurricane_s_name() -> None:
    question = "Which hurricane's winds fanned the Maui wildfires?"
    assert not names_the_event("Wildfires fanned by hurricane winds have torn through Maui.", question)
    assert names_the_event("Winds from Hurricane Dora, passing far to the south, fanned the flames.", question)
    assert names_the_event("Anything at all.", "Which town burned?")  # no event asked for


def test_a_town_asked_for_is_not_answered_by_its_country() -> None:
    question = "In which capital did thousands of protesters clash with riot police after the ceasefire deal?"
    assert not names_what_was_asked("Thousands of protesters clashed with riot police in Armenia's capital.",
                                    question, "which")
    assert names_what_was_asked("Thousands of protesters clashed with riot police in Yerevan.", question, "which")
    # A country is the answer when a country is asked for.
    assert names_what_was_asked("Armenia said it would take in the refugees.", "Which country took them in?", "which")


def test_which_country_is_answered_by_a_country_in_the_region_asked() -> None:
    question = "Which six African countries did Putin say would receive free Russian grain?"
    assert not names_what_was_asked("Putin offers free grain to six African countries days after quitting the "
                                    "Ukraine deal.", question, "which")  # Ukraine is no African country
    assert names_what_was_asked("Putin named Mali, Burkina Faso and Eritrea.", question, "which")
    flag = "Under which country's flag does the cargo ship sail?"
    assert not names_what_was_asked("The cargo ship's journey from Odesa to Istanbul was enabled.", flag, "which")
    assert names_what_was_asked("The Liberian-flagged ship left Odesa.", flag, "which")
    # A people's adjective two countries share ("Korean") still names a country with its land's word.
    panel = "Which country's government panel endorsed Japan's plan?"
    assert names_what_was_asked("A South Korean government panel backed Japan's plans.", panel, "which")
    # "Which group in the country": a group is asked for, not a country.
    assert names_what_was_asked("The Islamic State group claimed it.", "Which group in the country claimed it?",
                                "which")


def test_a_neighbour_or_a_country_of_a_subregion_asked_for_is_one() -> None:
    # "North African" is a subregion the country records have ("Northern Africa"); Nigeria is not in it.
    question = "Which North African neighbour tried to mediate in the Zenda crisis?"
    assert names_what_was_asked("Algeria seeks to mediate in the crisis.", question, "which")
    assert not names_what_was_asked("Nigeria tried to mediate.", question, "which")
    assert not names_what_was_asked("From North to West Africa, voices speak out.", question, "which")
    # The records have no "Western Africa": "West African" asks only for an African country.
    assert names_what_was_asked("Nigeria sent troops.", "Which West African country sent troops?", "which")
    # A neighbour of the country the question names borders it.
    border = "Which neighbouring country closed its border with Niger?"
    assert names_what_was_asked("Algeria shut its border.", border, "which")
    assert not names_what_was_asked("France shut its border.", border, "which")


def test_a_body_or_a_made_thing_asked_for_is_not_answered_by_a_place() -> None:
    question = "Which European airlines had to reroute flights after the airspace closed?"
    assert not names_what_was_asked("The closure of Niger's airspace on Sunday, August 6, hit flights.", question,
                                    "which")
    assert names_what_was_asked("Air France and Lufthansa rerouted flights.", question, "which")
    ship = "Which Russian landing ship did a sea drone hit?"
    assert not names_what_was_asked("A sea drone hit a Russian landing ship off Ukraine in August.", ship, "which")
    assert names_what_was_asked("A sea drone hit the Olenegorsky Gornyak landing ship.", ship, "which")
    # A place is still an answer when a place is asked for.
    assert names_what_was_asked("The drone came down in Novorossiysk.", "Which Russian port did it hit?", "which")


def test_a_photo_credit_in_capitals_names_a_person() -> None:
    question = "Which photographer took that picture?"
    assert names_a_person("(Photo by BERTRAND GUAY / AFP)", question)
    assert not names_a_person("WATCH LIVE: BIDEN SPEAKS", question)
    assert not names_a_person("NATO ALLIES MEET IN VILNIUS", question)


def test_a_follow_up_s_own_words_find_a_report_the_rewrite_s_words_miss(reader: Briefbot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # "their" becomes "the British and foreign nationals'", words the visa report never uses: the
    # user's own words ("How long were their visas valid for?") still find it.
    first = reader.ask("How many British and foreign nationals did Ruritania take out of Zenda?")
    conversation = Conversation().after(first.turn) if first.turn else Conversation()
    follow = reader.ask("How long were their Ruritanian visas valid for?", conversation=conversation)
    assert "British and foreign nationals" in follow.resolved_question
    assert not follow.abstained and "six-month" in follow.answer
    monkeypatch.setattr("index.answer.OWN_SUPPORT_TERMS", 99)  # the rewrite's words alone: no report holds them
    assert "six-month" not in reader.ask("How long were their Ruritanian visas valid for?",
                                         conversation=conversation).answer


def test_a_name_no_dictionary_holds_answers_which_even_at_a_sentence_s_start(reader: Briefbot) -> None:
    answer = reader.ask("Which airline said its flights to Strelsau were operating as normal?")
    assert not answer.abstained and "Skyjet" in answer.answer


def test_an_outlet_s_own_name_in_its_headline_names_no_answer() -> None:
    url = "https://www.theguardian.com/commentisfree/2023/aug/13/the-guardian-view-on-hawaii"
    text = without_own_name("The Guardian view on Hawaii's lethal wildfire | Editorial", url)
    assert "Guardian" not in text and "Hawaii" in text
    assert not names_what_was_asked(without_own_name("The Guardian view on the fire", url), "Which town burned?",
                                    "which")
    # Another outlet's name is a name like any other, and an uploaded file's name is no outlet's.
    assert "BBC" in without_own_name("The BBC reported the toll", url)
    assert without_own_name("Herders crossed from Tillia into Mali.", "tillia.html") == \
        "Herders crossed from Tillia into Mali."


def test_a_headline_s_lead_sentence_names_whom_the_headline_is_about(reader: Briefbot) -> None:
    # The lead sentence shares no word with the question; the headline holds all of it.
    report = _report("Wife of deposed Gabonese president arrested for money laundering",
                     "Sylvia Bongo Valentin has been under house arrest in the capital since her husband was "
                     "overthrown.", similarity=0.64)
    answer = ExtractiveAnswerer(reader.keywords.get).answer(
        "Who is the wife of the Gabonese president deposed in August?", [report])
    assert not answer.abstained and "Sylvia Bongo Valentin" in answer.answer


def test_a_missing_name_of_two_words_is_one_name_missing() -> None:
    # "St Petersburg" is not in the report ("in Russia"), but its sentence holds most of the question:
    # two missing words of one name are one gap, as "Accra" alone would be.
    question = ("Which former president joked that he had survived a dinner served by Prigozhin at a G8 summit "
                "in St Petersburg?")
    report = _report("Bush quips he 'survived' Prigozhin serving him meal at G8",
                     "Former President George Bush recalled having dinner served by Wagner chief Yevgeny Prigozhin "
                     "during a G8 summit in Russia, joking he survived the meal.", similarity=0.78)
    profile = profile_question(question, _Flat())
    assert support(profile, report) is not None
    # Two names missing are still too many.
    other = profile_question(question.replace("Prigozhin", "Rassendyll"), _Flat())
    assert support(other, report) is None


def test_another_first_name_before_the_asked_surname_is_somebody_else() -> None:
    question = "Which of Rudolf Elphberg's daughters said in August that her detained father was losing weight?"
    assert new_names("Flavia Elphberg, who was abroad when Rudolf Elphberg was detained, spoke to him.",
                     question) == ["Flavia"]
    # The asked person's own first name, or a surname asked alone, names nobody new.
    assert new_names("Rudolf Elphberg said he was well.", "What did Elphberg say?") == []
    assert new_names("Rudolf Elphberg said he was well.", question) == []
    # "Which of his daughters": a report writes "daughter" of one of them.
    assert states_role("Captive leader losing weight, daughter reveals", asked_role(question))


@pytest.mark.parametrize(("answered", "asked_back"), [
    # A country the question names: close in meaning and words (all but the country) is no answer.
    ("How many people did the storm and floods kill in eastern Zenda?",
     "How many people did the storm and floods kill in Bulgaria?"),
    # Another country's office is not the one asked.
    ("Who was the French ambassador to Zenda who left Strelsau?",
     "Who was the US ambassador to Zenda who left Strelsau?"),
    # "over the past two days" says when, roughly: enough for "when", not for "on what date".
    ("When did the storm and floods kill 150 people in eastern Zenda?",
     "On what date did the storm and floods kill 150 people in eastern Zenda?"),
    # The office of a named town is that town's: the Strelsau region's mayor is not Tarlenheim's, though
    # the report names Tarlenheim two sentences before.
    ("Who is the mayor of Strelsau?", "Who is the mayor of Tarlenheim?"),
], ids=["country", "office", "date", "office of a town"])
def test_a_near_miss_is_asked_back_where_the_question_itself_is_answered(
        reader: Briefbot, answered: str, asked_back: str) -> None:
    assert not reader.ask(answered).abstained
    answer = reader.ask(asked_back)
    assert answer.abstained, answer.answer



def test_a_month_is_no_place_a_which_question_asks_for() -> None:
    question = "In which city was the final debate between Flavia Elphberg and Rupert Hentzau held?"
    assert not names_what_was_asked("Centrist Flavia Elphberg and Rupert Hentzau face off ahead of the October 15 "
                                    "run-off election.", question, "which")
    assert names_what_was_asked("Flavia Elphberg and Rupert Hentzau met in Strelsau for their last debate.",
                                question, "which")
    # "Between which days of August ...?" asks for days: a date, not a name.
    assert answer_kind("Between which days of August did the storm's remnants hit the park?") == "date"


def test_a_name_after_a_country_the_question_gives_is_a_new_name() -> None:
    # "Chad's Abeche": the country owns the town; the town is no part of the country's name.
    question = "In which town in Chad's east did aid workers set up a tent camp?"
    assert new_names("Aid workers set up a tent camp outside Chad's Abeche on Sunday.", question,
                     places_count=True) == ["Abeche"]


def test_a_sentence_s_first_word_set_off_by_a_person_s_apposition_is_a_name() -> None:
    question = "Which opposition figure, once a minister under King Rudolf, said the people wanted change?"
    assert new_names("Hentzau, a former minister under King Rudolf, says the people want change.", question,
                     places_count=True) == ["Hentzau"]
    # Without the apposition a capitalised first word is only the sentence's start.
    assert new_names("Hentzau says the people want change.", question, places_count=True) == []


def test_a_state_or_province_names_no_person_or_body() -> None:
    question = "What is the name of the food safety agency that banned seafood imports in October?"
    # Fukushima is a Japanese prefecture (a province in countryinfo's records), not an agency.
    assert new_names("The watchdog has banned imports of seafood after wastewater was released from Fukushima.",
                     question) == []
    # Where a place is asked for, it is one.
    assert names_what_was_asked("The wastewater was released from Fukushima.",
                                "From which region was the wastewater released?", "which")


def test_a_city_asked_for_is_no_body_though_a_body_s_word_names_its_region() -> None:
    # "West Bank city": "bank" is a body's word, but a town is asked for, and a capital or a province may be one.
    assert names_what_was_asked("Security forces used tear gas to disperse protesters in Ramallah.",
                                "In which West Bank city did security forces fire tear gas at protesters?", "which")
