"""Follow-up questions: the rule rewriter on its own, then conversations through the real engine."""

from __future__ import annotations

import pytest

from index import Briefbot
from index.conversation import NEEDS_SUBJECT, Conversation, Turn, turn_for
from index.rule_rewriter import RuleRewriter, answer_names, is_vague, names_in, topic_of
from index.terms import is_place_word

REWRITER = RuleRewriter()


def converse(turns: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Resolve each question after the ones before it (with the names each answer gave)."""
    conversation = Conversation()
    out = []
    for question, names in turns:
        resolution = REWRITER.resolve(question, conversation)
        out.append(resolution.question)
        conversation = conversation.after(turn_for(resolution, question, names, 0.0))
    return out


def test_he_is_the_person_a_who_answer_named() -> None:
    _, follow = converse([("Who declared himself Niger's new leader after the coup?", ("Abdourahamane Tchiani",)),
                          ("when did he become leader?", ())])
    assert "Abdourahamane Tchiani" in follow and " he " not in f" {follow} "


def test_she_is_the_person_named_not_a_headlines_words_or_a_country() -> None:
    # "Senior US" (a headline's capitals) and "Burkina Faso" are not people; "Victoria" is a capital
    # and a first name, so "Victoria Nuland" is a person.
    _, follow = converse([("Which senior US State Department official held talks with the junta?",
                           ("Senior US", "Burkina Faso", "Victoria Nuland")),
                          ("how did she describe the talks?", ())])
    assert follow == "how did Victoria Nuland describe the talks?"
    # A state or province at a name's end is a headline's words too ("Maui Hawaii"), not a person.
    _, follow = converse([("Which Hawaii congresswoman said the sirens failed?", ("Maui Hawaii", "Jill Tokuda")),
                          ("which party is she from?", ())])
    assert "Jill Tokuda" in follow and "Maui Hawaii" not in follow


def test_she_is_the_person_a_which_star_question_found_not_the_one_it_named() -> None:
    # "Which reality TV star ...?" asks for a person: she is who the answer named besides President Biden.
    _, follow = converse([("Which reality TV star wrote to President Biden in Rolling Stone urging him to act?",
                           ("Kim Kardashian", "Biden", "Rolling Stone")),
                          ("Who did she co-write the piece with?", ())])
    assert follow.startswith("Who did Kim Kardashian co-write the piece with") and "Biden" not in follow


def test_she_and_he_are_the_people_whose_first_names_fit() -> None:
    # The answer names the husband first ("Wife of ... Ali Bongo jailed"): "she" is the wife, and
    # "he" after a question about her is her husband, not her.
    _, she, he = converse([("Who is the wife of the president deposed in August?",
                            ("Ali Bongo", "Sylvia Bongo Ondimba Valentin")),
                           ("where had she been held since the coup?", ("Ali Bongo", "Sylvia Bongo Ondimba Valentin")),
                           ("and where was he held?", ())])
    assert "Sylvia Bongo Ondimba Valentin" in she and "Ali Bongo" not in she
    assert "Ali Bongo" in he and "Sylvia" not in he
    # A name nobody records decides nothing; a man's name is never "she", even when he is the only
    # one named: she is then the role the question named, or no one it can say.
    _, only = converse([("Who leads the regional bloc's mission?", ("Abdel-Fatau Musah",)), ("what did she say?", ())])
    assert "Abdel-Fatau Musah" in only
    _, only = converse([("Who leads the opposition coalition?", ("Albert Ondo Ossa",)), ("what did she say?", ())])
    assert "Albert" not in only
    _, only = converse([("What did the FEMA administrator say about the search?", ("Michael Brown",)),
                        ("how did she describe what she saw?", ())])
    assert only.startswith("how did the FEMA administrator describe")
    # Both in one question: each pronoun finds a person of its own.
    _, both = converse([("Which of the deposed president's relatives was detained with him?",
                         ("Ali Bongo Ondimba", "Sylvia Bongo Ondimba Valentin")),
                        ("where was she when he was arrested?", ())])
    assert both == "where was Sylvia Bongo Ondimba Valentin when Ali Bongo Ondimba was arrested?"


def test_and_with_a_pronoun_asks_about_the_one_it_means() -> None:
    _, _, follow = converse([("Who became interim prime minister after the takeover?", ("Raymond Ndong Sima",)),
                             ("When did he say elections would be held?", ("Raymond Ndong Sima",)),
                             ("And his profession?", ())])
    assert follow.startswith("what is Raymond Ndong Sima's profession")
    _, follow = converse([("Who was Omar Bongo?", ("Omar Bongo",)), ("And the year he died?", ())])
    assert follow == "what is the year Omar Bongo died?"


def test_what_about_a_country_drops_the_old_subjects_article() -> None:
    _, follow = converse([("How did the African Union describe the events in Gabon?", ()),
                          ("What about Morocco?", ())])
    assert follow == "How did Morocco describe the events in Gabon?"


def test_what_about_another_day_asks_the_last_question_on_that_day() -> None:
    _, second, third = converse([("By Wednesday 27 September, how many people had fled the enclave?", ()),
                                 ("What about by Thursday 28 September?", ()), ("And by Friday 29 September?", ())])
    assert second == "By Thursday 28 September, how many people had fled the enclave?"
    assert third == "By Friday 29 September, how many people had fled the enclave?"
    _, follow = converse([("How many people had fled the town?", ()), ("and in August?", ())])
    assert follow == "How many people had fled the town in August?"


def test_and_a_subjectless_question_is_asked_about_the_last_one() -> None:
    _, follow = converse([("How many people died in the fuel depot explosion near Stepanakert?", ()),
                          ("And how many were taken to hospital?", ())])
    assert follow.startswith("how many were taken to hospital") and "fuel depot explosion" in follow


def test_a_news_outlet_is_never_he() -> None:
    _, follow = converse([("Who became interim prime minister after the takeover?",
                           ("Associated Press", "Raymond Ndong Sima")),
                          ("when did he tell the BBC elections would be held?", ())])
    assert "Raymond Ndong Sima" in follow and "Associated Press" not in follow


def test_it_and_they_agree_in_number_with_a_which_answer() -> None:
    # Three countries answer the which-question: "it" is the pact they signed, not a country.
    _, follow = converse([("Which three Sahel countries signed a mutual defence pact in September?",
                           ("Mali", "Burkina Faso", "Niger")),
                          ("what is it called?", ())])
    assert follow == "what is the mutual defence pact called?"
    # One company answers: "its" is the company.
    _, follow = converse([("Which power company faces lawsuits over the fire?", ("Hawaiian Electric",)),
                          ("what happened to its shares?", ())])
    assert follow.startswith("what happened to Hawaiian Electric's shares")


def test_the_answer_name_carrying_the_asked_noun_comes_first() -> None:
    question = "Which Russian mercenary group did the junta turn to for help?"
    quotes = ["Russia's mercenary force Wagner Group has taken an interest in Burkina Faso and Mali."]
    # "Russia" is no news to a question about a "Russian" group; the group's name is what "it" will mean.
    assert answer_names(question, quotes) == ("Wagner Group", "Burkina Faso", "Mali")
    quotes = ["Winds from Hurricane Dora, far to the south, fanned the flames in Lahaina."]
    assert answer_names("Which hurricane's winds fanned the fires?", quotes)[0] == "Hurricane Dora"
    # A Title Case headline gives no names: every word is capitalised there.
    assert answer_names(question, ["Wagner Chief Hails Coup In Niger As Independence Day"]) == ()


def test_the_name_beside_the_asked_noun_answers_a_which_question() -> None:
    # The sentence opens with the junta leader; the economist it asks for stands in apposition to "economist".
    question = "Which economist did the junta name as prime minister?"
    quotes = ["Junta leader Abdourahamane Tchiani named a civilian economist, Ali Mahaman Lamine Zeine, "
              "as prime minister."]
    assert answer_names(question, quotes)[0] == "Ali Mahaman Lamine Zeine"
    _, follow = converse([(question, answer_names(question, quotes)), ("where did he study?", ())])
    assert "Ali Mahaman Lamine Zeine" in follow and "Tchiani" not in follow


def test_he_is_not_someone_the_follow_up_names_itself() -> None:
    # The last question named General Tchiani first, but a follow-up naming Tchiani means someone else by "he".
    _, follow = converse([("When did General Tchiani receive the ECOWAS envoy?", ("Abdulsalami Abubakar",)),
                          ("what did he say Tchiani had refused?", ())])
    assert follow == "what did Abdulsalami Abubakar say Tchiani had refused?"
    # Without that, the titled name the question gave is "he": a title makes one word a person.
    _, follow = converse([("When did General Tchiani receive the ECOWAS envoy?", ("Abdulsalami Abubakar",)),
                          ("what did he tell him?", ())])
    assert follow.startswith("what did Tchiani tell")


def test_a_surname_the_question_gave_is_the_full_name_its_answer_gave() -> None:
    _, follow = converse([("Where was Bazoum held after the coup?", ("President Mohamed Bazoum", "Niamey")),
                          ("who was held with him?", ())])
    assert follow.startswith("who was held with Mohamed Bazoum")


def test_it_is_the_thing_the_last_question_was_about() -> None:
    # Not the outlet it was according to, not a place, not the person a which-phrase asked for.
    _, follow = converse([("At what time did the magnitude-6.8 earthquake strike near Marrakech?", ("Al Haouz",)),
                          ("how many people did it injure, according to the Guardian?", ())])
    assert follow == "how many people did the magnitude-6.8 earthquake injure, according to the Guardian?"
    _, _, follow = converse([("At what time did the magnitude-6.8 earthquake strike near Marrakech?", ()),
                             ("how many people did it injure, according to the Guardian?", ()),
                             ("how many homes did it destroy?", ())])
    assert follow.startswith("how many homes did the magnitude-6.8 earthquake destroy")
    _, follow = converse([("Which foreign minister said on Monday that the embassy would be closed?",
                           ("Catherine Colonna",)),
                          ("when will it reopen?", ())])
    assert follow.startswith("when will the embassy reopen")
    # A possessor's thing and a short clause saying which one are kept; a year describing it is not.
    _, follow = converse([("By what date does the president's decree say the republic will cease to exist?", ()),
                          ("what does it cite?", ())])
    assert follow.startswith("what does the decree cite")
    _, follow = converse([("On what day did Ethiopia launch its September 2023 military operation?", ()),
                          ("how long did it last?", ())])
    assert follow.startswith("how long did the military operation last")
    _, follow = converse([("Where was the quake that the USGS recorded at 2.16pm?", ("Herat",)),
                          ("how deep was it?", ())])
    assert follow.startswith("how deep was the quake that the USGS recorded")


def test_it_is_the_thing_not_the_property_the_last_question_asked_for() -> None:
    _, follow = converse([("What was the magnitude of the earthquake that shook Southern California on Sunday?", ()),
                          ("Near which town was it centred?", ())])
    assert follow.startswith("Near which town was the earthquake that shook Southern California centred")


def test_her_before_a_noun_is_hers_and_before_anything_else_is_her() -> None:
    turn = ("Which Los Angeles mayor called the Texas governor evil?", ("Karen Bass",))
    assert converse([turn, ("Which governor did she accuse of busing migrants to her city?", ())])[1] \
        == "Which governor did Karen Bass accuse of busing migrants to Karen Bass's city?"
    assert converse([turn, ("When did voters elect her?", ())])[1] == "When did voters elect Karen Bass?"
    assert converse([turn, ("Did the council give her a medal?", ())])[1] == "Did the council give Karen Bass a medal?"


def test_what_about_a_phrase_with_its_own_preposition_says_it_once() -> None:
    _, follow = converse([("How much rain fell in Palm Springs, according to the BBC?", ("Palm Springs",)),
                          ("What about in a whole normal year?", ())])
    assert " in in " not in follow and "in a whole normal year" in follow


def test_what_about_someones_figure_asks_the_last_question_by_them() -> None:
    _, follow = converse([("How many people died in the floods in Derna, according to the Red Crescent?", ()),
                          ("what about the WHO's toll the next day?", ())])
    assert follow == "How many people died in the floods in Derna, according to WHO?"
    # A thing's own property is a question of its own, on the last one's topic.
    _, follow = converse([("How strong was the earthquake that hit Herat province?", ()),
                          ("and the aftershock's magnitude?", ())])
    assert follow.startswith("what was the aftershock's magnitude")


def test_what_about_another_source_place_or_property_asks_the_last_question_anew() -> None:
    _, follow = converse([("What is the population of Kelowna, according to the BBC?", ()),
                          ("what about according to the Guardian?", ())])
    assert follow == "What is the population of Kelowna, according to the Guardian?"
    _, follow = converse([("How many wildfires were burning in the Northwest Territories when residents fled?", ()),
                          ("and across Canada as a whole?", ())])
    assert follow == "How many wildfires were burning across Canada as a whole when residents fled?"
    _, follow = converse([("Which First Nation fled the fire in British Columbia?", ("Lytton First Nation",)),
                          ("and the name of the fire?", ())])
    assert follow == "what is the name of the fire in British Columbia?"


def test_bare_questions_take_more_prepositions_and_the_week() -> None:
    _, follow = converse([("Where did the helicopter crash in Alberta?", ()), ("near which lake?", ())])
    assert follow == "near which lake did the helicopter crash in Alberta?"
    _, follow = converse([("In which suburb did Nigeriens gather to debate the putsch?", ("Bobigny",)),
                          ("on which day of the week?", ())])
    assert follow == "on which day of the week did Nigeriens gather to debate the putsch?"


def test_there_is_the_place_a_which_question_asked_for() -> None:
    _, follow = converse([("Which small, historic Florida city inland from the landfall saw its shelters close?",
                           ("Perry", "Hurricane Idalia")), ("How many people live there?", ())])
    assert follow.startswith("How many people live in Perry")


def test_he_is_the_person_in_a_titled_name_whatever_place_opens_it() -> None:
    # "Florida" is also a woman's name: the title, not the first word, says where the person's name starts.
    _, follow = converse([("Which governor warned would-be looters after the hurricane?",
                           ("Florida Governor Ron DeSantis",)),
                          ("Who did he decline to meet during the post-storm visit?", ())])
    assert follow.startswith("Who did Ron DeSantis decline to meet")


def test_and_with_a_question_of_its_own_is_asked_as_it_is() -> None:
    _, follow = converse([("What rare lunar event threatened to worsen the storm surge?", ()),
                          ("And on which day was the moon closest to Earth?", ())])
    assert follow.startswith("on which day was the moon closest to Earth")


def test_of_those_is_what_the_last_question_counted() -> None:
    _, follow = converse([("How many active wildfires were burning in the Northwest Territories?", ()),
                          ("what share of those were out of control?", ())])
    assert follow.startswith("what share of the active wildfires were out of control")


def test_a_shouted_word_is_no_name_but_an_acronym_is() -> None:
    assert names_in("Missionaries are STILL trapped in Niger") == ["Niger"]
    assert "US" in names_in("The US suspended aid to Niger")
    # A photo caption's "(L)" is a letter, no name.
    assert names_in("Prime Minister Rudolf Rassendyll (L) tours a burnt home in Zenda") \
        == ["Prime Minister Rudolf Rassendyll", "Zenda"]


def test_an_english_word_opening_a_clause_after_a_colon_is_no_name() -> None:
    assert names_in("The Zenda water discharge: Local businesses will receive compensation") == ["Zenda"]
    assert names_in("Water: Tepco says it will pay") == ["Tepco"]


def test_a_sentence_s_first_word_is_a_name_when_an_age_follows_it() -> None:
    assert names_in("Markiv, 27, wanted to help put out the fire.") == ["Markiv"]
    assert names_in("Firefighters wanted to help.") == []


def test_what_about_a_day_among_other_time_words_changes_only_the_day() -> None:
    _, follow = converse([("How many troops did Poland say on 9 August it would send to the border?", ()),
                          ("what about the next day, 10 August?", ())])
    assert follow == "How many troops did Poland say on 10 August it would send to the border?"


def test_and_with_a_hedged_question_is_a_question_of_its_own() -> None:
    _, follow = converse([("Outside which embassy did protesters gather in Niamey?", ("French",)),
                          ("and roughly how many gathered there?", ())])
    assert follow.startswith("roughly how many gathered in Niamey")


def test_a_pronoun_subject_becomes_the_subject_what_about_replaces() -> None:
    _, _, follow = converse([("What did Joe Biden say about the coup in Niger?", ()),
                             ("what did he say happens in Russia?", ()),
                             ("and Zelensky?", ())])
    assert follow == "what did Zelensky say happens in Russia?"


def test_they_is_who_a_passive_question_named_as_doing_it_never_one_person() -> None:
    _, _, follow = converse([("Which French official was arrested by Niger's junta in September?",
                              ("Stephane Jullien",)),
                             ("what was his role?", ()),
                             ("how long did they hold him?", ())])
    assert follow == "how long did Niger's junta hold Stephane Jullien?"


def test_they_is_what_a_how_many_question_counted() -> None:
    _, _, follow = converse([("Which French nuclear company activated a crisis unit in Niger?", ("Orano",)),
                             ("how many mines does it have there?", ()),
                             ("how many of them are operating?", ())])
    assert follow == "how many of the mines are operating in Niger?"
    # "They" acts: the subject, not the counted days.
    _, follow = converse([("How many days did ECOWAS give the junta?", ()), ("What did they close?", ())])
    assert follow == "What did ECOWAS close?"
    # A people's adjective ("French") is nowhere to be "there".
    assert "in French" not in converse([("Which French company had mines in Niger?", ("Orano",)),
                                        ("how many workers does it have there?", ())])[1]


def test_an_unanswered_which_question_still_says_what_it_is() -> None:
    # The answer named a person, not the programme asked for: "it" is the programme as asked.
    _, follow = converse([("From which US trade programme did Biden remove Niger at the end of October?",
                           ("Joe Biden", "Uganda")),
                          ("which other countries lost it too?", ())])
    assert follow == "which other countries lost the US trade programme too?"
    # "they" without a plural answer: the plural noun the last question used.
    _, follow = converse([("Which California church had members stranded in Niger?", ("Cornerstone",)),
                          ("how old were they?", ())])
    assert follow.startswith("how old were the members")


def test_titles_do_not_make_a_name_a_headline_and_roles_keep_their_owner() -> None:
    titled = "French Foreign Minister Catherine Colonna"
    assert names_in(f"{titled} said so.") == [titled]
    assert names_in("Which of Mohamed Bazoum's daughters spoke?") == ["Mohamed Bazoum"]
    _, follow = converse([("Which French foreign minister set a deadline for the junta?",
                           ("French Foreign Minister Catherine Colonna",)),
                          ("what did she say about the envoy?", ())])
    assert follow.startswith("what did Catherine Colonna say")
    _, follow = converse([("Which country did Algeria's foreign minister warn about?", ()),
                          ("what did he warn against?", ())])
    assert follow.startswith("what did Algeria's foreign minister warn against")


def test_short_follow_ups_are_asked_about_the_last_question() -> None:
    # "on which day?" is a bare wh-question: the last question, asked that way.
    _, follow = converse([("How many soldiers were killed in the attack near the border in August?", ()),
                          ("on which day?", ())])
    assert follow.startswith("on which day") and "killed in the attack near the border" in follow
    # One word of its own ("died") cannot stand alone in a chat.
    _, follow = converse([("Who was blamed for the attack on the army convoy near Tillaberi?", ()),
                          ("how many died?", ())])
    assert follow.startswith("how many died") and "convoy" in follow
    # A question with words enough of its own is searched as asked, but it carries the conversation on.
    rewriter_turn = REWRITER.resolve("What did ECOWAS leaders order at their summit?", Conversation())
    conversation = Conversation().after(turn_for(rewriter_turn, "What did ECOWAS leaders order?", (), 0.0))
    later = REWRITER.resolve("how many countries committed troops?", conversation)
    assert later.question == "how many countries committed troops?" and later.continues
    assert later.subject == "ECOWAS" and not later.used_context
    # A new explicit subject does not carry the conversation on.
    assert not REWRITER.resolve("What did Algeria propose?", conversation).continues


def test_pointing_phrases_and_what_about_carry_the_last_questions_words() -> None:
    first = "How much more likely did global heating make the extreme rainfall that hit Libya, according to scientists?"
    _, follow, other = converse([(first, ("World Weather Attribution",)), ("Which group produced that estimate?", ()),
                                 ("And for Greece?", ())])
    assert follow.startswith("Which group produced that estimate:") and "global heating" in follow
    assert "Greece" in other and "Libya" not in other and "for Greece" not in other
    # A named storm is no "he": "his house" is the mayor's, the person the last question asked for.
    _, follow = converse([("Who was mayor of Derna when its dams burst?", ("Storm Daniel",)),
                          ("What did protesters do to his house?", ())])
    assert "Storm Daniel" not in follow and "mayor of Derna's house" in follow


def test_a_country_is_never_he() -> None:
    _, follow = converse([("Who declared himself Niger's new leader?", ()), ("when did he take power?", ())])
    assert "Niger take" not in follow


def test_what_about_x_replaces_the_subject_and_keeps_the_question() -> None:
    _, follow = converse([("What did ECOWAS threaten after the coup?", ()), ("what about Russia?", ())])
    assert follow == "What did Russia threaten after the coup?"


def test_and_a_new_question_keeps_the_topic_but_not_the_old_subject() -> None:
    _, follow = converse([("What did ECOWAS threaten after the coup?", ()), ("and what did Russia say?", ())])
    assert "Russia" in follow and "after the coup" in follow and "ECOWAS" not in follow


def test_bare_wh_asks_the_last_question_that_way() -> None:
    _, why, when = converse([("What did the junta do with Niger's airspace?", ()), ("why?", ()), ("since when?", ())])
    assert why.lower().startswith("why did the junta do with niger's airspace")
    assert when.lower().startswith("since when did the junta")


def test_bare_wh_after_a_who_or_which_question_asks_about_the_name_the_answer_gave() -> None:
    _, when = converse([("Which Nigerien president was detained by his own guard?", ("Mohamed Bazoum",)),
                        ("when?", ())])
    assert when == "when was Mohamed Bazoum detained by his own guard?"
    _, why = converse([("Who declared himself Niger's new leader?", ("Abdourahamane Tchiani",)), ("why?", ())])
    assert why == "why was it that Abdourahamane Tchiani declared himself Niger's new leader?"
    _, doer = converse([("Which Maui official defended the decision not to sound the sirens?", ("Herman Andaya",)),
                        ("why?", ())])
    assert doer == "why was it that Herman Andaya defended the decision not to sound the sirens?"
    # "Who did X appoint?" asks for an object: the name does not go in the subject's place.
    _, object_question = converse([("Who did the junta appoint as prime minister?", ("Ali Lamine Zeine",)),
                                   ("when?", ())])
    assert object_question.lower().startswith("when did the junta appoint")
    _, since = converse([("Which unit had Abdourahamane Tchiani commanded?", ("Presidential Guard",)),
                         ("since when?", ())])
    assert "Presidential Guard" not in since and "Abdourahamane Tchiani commanded" in since


def test_a_new_explicit_subject_replaces_the_old_one() -> None:
    _, follow = converse([("What did ECOWAS threaten?", ()), ("What did Algeria propose for Niger?", ())])
    assert follow == "What did Algeria propose for Niger?"


def test_time_phrases_are_not_carried_and_months_are_not_names() -> None:
    _, follow = converse([("What did France say in late August 2023?", ()), ("why did they say it?", ())])
    assert "August" not in follow and "France" in follow
    assert names_in("What happened in September to Mohamed Bazoum?") == ["Mohamed Bazoum"]


@pytest.mark.parametrize("question", ["when did he become leader?", "why?", "what did they say?",
                                      "how many died there?", "and what about it?", "What happened?"])
def test_a_first_message_without_a_subject_is_vague(question: str) -> None:
    assert is_vague(question)
    assert REWRITER.resolve(question, Conversation()).needs_subject


@pytest.mark.parametrize("question", ["What did the junta say it would do?", "What is the death toll?",
                                      "What did Pope Francis call for regarding Niger?", "Who leads ECOWAS?"])
def test_questions_with_a_subject_are_not_vague(question: str) -> None:
    assert not REWRITER.resolve(question, Conversation()).needs_subject


def test_a_conversation_expires_after_its_quiet_time_and_keeps_few_turns() -> None:
    conversation = Conversation()
    for i in range(10):
        conversation = conversation.after(Turn(question=f"q{i}", resolved=f"q{i}", at=100.0 + i))
    assert len(conversation.turns) == 4 and conversation.last is not None and conversation.last.question == "q9"
    assert conversation.fresh(now=109.0 + 60, ttl=1800).turns == conversation.turns
    assert conversation.fresh(now=109.0 + 1801, ttl=1800).turns == ()


@pytest.mark.slow
def test_follow_ups_through_the_engine(engine: Briefbot) -> None:
    first = engine.ask("Who did General Tchiani appoint as prime minister?", conversation=Conversation())
    assert not first.abstained and "Zeine" in first.answer and not first.used_context
    assert first.turn is not None and any("Zeine" in n for n in first.turn.answer_names)
    follow = engine.ask("what about the uranium exports?", conversation=Conversation().after(first.turn))
    assert follow.used_context and follow.searched != follow.question
    data = follow.to_json()
    assert data["resolved_question"] == follow.searched and data["question"] == "what about the uranium exports?"


@pytest.mark.slow
def test_a_vague_first_question_asks_back_without_searching(engine: Briefbot) -> None:
    answer = engine.ask("when did he become leader?")
    assert answer.abstained and answer.answer == NEEDS_SUBJECT and not answer.retrieved and not answer.citations
    assert answer.to_json()["resolved_question"] == "when did he become leader?"


@pytest.mark.slow
def test_two_conversations_do_not_mix(engine: Briefbot) -> None:
    a = engine.ask("What did ECOWAS order after the summit in Abuja?")
    b = engine.ask("What did Algeria propose for Niger?")
    assert a.turn is not None and b.turn is not None
    conv_a, conv_b = Conversation().after(a.turn), Conversation().after(b.turn)
    follow_a = engine.ask("why?", conversation=conv_a)
    follow_b = engine.ask("why?", conversation=conv_b)
    assert "ECOWAS" in follow_a.searched and "Algeria" not in follow_a.searched
    assert "Algeria" in follow_b.searched and "ECOWAS" not in follow_b.searched


@pytest.mark.slow
def test_batch_lines_of_one_conversation_share_context(engine: Briefbot, tmp_path, monkeypatch, capsys) -> None:
    import json

    from bot.cli import main

    batch = tmp_path / "chat.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in [
        {"id": "a1", "question": "What did ECOWAS order after the summit in Abuja?", "conversation": "a"},
        {"id": "b1", "question": "What did Algeria propose for Niger?", "conversation": "b"},
        {"id": "a2", "question": "why?", "conversation": "a"},
        {"id": "solo", "question": "why?"},
    ]) + "\n")
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(engine.settings.data_dir))
    assert main(["ask", "--batch", str(batch), "--json"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["a1"]["resolved_question"] == rows["a1"]["question"]
    assert "ECOWAS" in rows["a2"]["resolved_question"] and "Algeria" not in rows["a2"]["resolved_question"]
    assert rows["solo"]["abstained"] and rows["solo"]["resolved_question"] == "why?"


@pytest.mark.slow
def test_a_follow_up_is_searched_in_the_documents_the_last_answer_cited(engine: Briefbot) -> None:
    import dataclasses
    from datetime import date

    from index.search import Window

    question = "What did ECOWAS order after the summit in Abuja?"
    plain = {h.doc_id: h for h in engine.searcher.search(question, k=50)}
    # A document the plain search ranks below its top 3, carried from an earlier answer: it
    # ranks as a third retriever's first, on top of what the question's own search gave it.
    other = next(h for h in engine.searcher.search("uranium exports to France", k=10)
                 if h.doc_id not in list(plain)[:3] and h.date)
    boosted = {h.doc_id: h for h in engine.searcher.search(question, k=50, carried=[other])}
    before = plain[other.doc_id].score if other.doc_id in plain else 0.0
    first_place = engine.searcher.context_weight / (engine.searcher.rrf_k + 1)
    assert boosted[other.doc_id].score == pytest.approx(before + first_place)
    assert list(boosted).index(other.doc_id) <= (list(plain).index(other.doc_id) if other.doc_id in plain else 50)
    assert boosted[other.doc_id].passages  # its text was fetched again
    # Outside the question's date window, a carried document stays out.
    day = date.fromisoformat(other.date)
    windowed = engine.searcher.search(question, Window(since=day.replace(year=day.year + 1)), k=10, carried=[other])
    assert other.doc_id not in [h.doc_id for h in windowed]
    # A carried document deleted since is simply gone, with no error.
    gone = dataclasses.replace(other, doc_id="deleted", chunk_ids=("deleted-0",))
    assert "deleted" not in [h.doc_id for h in engine.searcher.search(question, k=10, carried=[gone])]

    first = engine.ask("Who did General Tchiani appoint as prime minister?")
    assert first.turn is not None and first.turn.sources
    assert {h.doc_id for h in first.turn.sources} == {c.doc_id for c in first.citations}
    # What it quoted is remembered too: the follow-up's answer passes over it (test_answers.py).
    assert first.turn.said and all(any(s in c.quote for c in first.citations) for s in first.turn.said)
    follow = engine.ask("when was he appointed?", conversation=Conversation().after(first.turn))
    assert follow.used_context
    assert {h.doc_id for h in first.turn.sources} <= {h.doc_id for h in follow.retrieved}


def test_a_piece_of_a_question_is_asked_of_the_last_one_as_its_answer_filled_it() -> None:
    _, follow = converse([("Which company is the biggest foreign investor in Ruritania?", ("Acme Mining",)),
                          ("Mining which metal?", ())])
    assert follow.startswith("Mining which metal") and "Acme Mining" in follow
    # An outlet it is "according to" is no subject of its own: still a piece of the last question.
    _, follow = converse([("When did the United States pause aid to Ruritania?", ()),
                          ("Affecting which kind of aid, according to the AP?", ())])
    assert follow.startswith("Affecting which kind of aid") and "Ruritania" in follow
    # A whole question that opens with a participle is no piece: "Following which attack did ...?"
    _, follow = converse([("When did the United States pause aid to Ruritania?", ()),
                          ("Following which vote did the army seize power in Zenda?", ())])
    assert follow == "Following which vote did the army seize power in Zenda?"


def test_they_are_the_people_the_last_question_said_acted() -> None:
    _, follow = converse([("In which city did thousands of protesters clash with police after the vote?", ("Zenda",)),
                          ("What did they throw at police?", ())])
    assert "thousands of protesters" in follow


def test_it_stays_what_it_was_resolved_to() -> None:
    _, second, third = converse([("How many people were aboard the business jet carrying the minister when it "
                                  "crashed near Zenda?", ()),
                                 ("And how many minutes into the flight did it lose contact?", ()),
                                 ("Which city was it flying to?", ())])
    assert "the business jet" in second
    assert third == "Which city was the business jet flying to?"


def test_a_count_of_nothing_named_is_asked_of_the_last_question() -> None:
    _, follow = converse([("How long did the summit of Ruritania's neighbours last?", ()),
                          ("How many took part?", ())])
    assert follow.startswith("How many took part") and "summit" in follow


def test_a_surname_the_answer_also_gave_in_full_is_not_it() -> None:
    _, follow = converse([("Which town had travel restricted as the fires approached?", ("Trudeau", "Justin Trudeau")),
                          ("What is its population?", ())])
    assert "Trudeau" not in follow


def test_an_asked_name_with_its_owner_before_it_is_not_the_answer() -> None:
    names = answer_names("Which town, the capital of the Eastern Province, was evacuated?",
                         ["Wildfire forces the capital of Ruritania’s Eastern Province to evacuate.",
                          "All residents of Zenda were ordered to flee."])
    assert names[0] == "Zenda"


def test_names_skip_a_quotes_opening_pronoun_but_keep_a_country_opening_a_sentence() -> None:
    assert names_in("‘We need to start again’: Morocco’s earthquake puts girls’ education at risk.") == ["Morocco"]
    assert names_in("Iran hosts talks; Russia says the main issue is resolved.") == ["Iran", "Russia"]


def test_he_stays_who_he_was_resolved_to() -> None:
    _, second, third = converse([("Who was prime minister when the soldiers seized power?",
                                  ("Ruritanian PM Karlan", "President Anton Mirek")),
                                 ("Did he think the coup was over?", ("President Anton Mirek",)),
                                 ("Which minister did he meet in Paris?", ())])
    assert "Karlan" in second
    assert "Karlan" in third and "Mirek" not in third


def test_it_is_not_whom_a_who_question_found() -> None:
    _, follow = converse([("Whom did the State Department order out of the US embassy in Zenda?", ("U.S",)),
                          ("Did it close?", ())])
    assert "embassy" in follow and "U.S" not in follow


def test_a_lone_name_beside_the_asked_role_is_he() -> None:
    # "former president Karlan": the title is lowercase, so the name stands alone, and is still a person.
    question = "Which former president was criticised for staying silent?"
    names = answer_names(question, ["Did former president Karlan play a part in the coup?",
                                    "Anton Mirek's predecessor has been criticised for staying silent."])
    assert names[0] == "President Karlan"
    _, follow = converse([(question, names), ("Which general was he a close ally of?", ())])
    assert "Karlan" in follow and "Mirek" not in follow


def test_afterwards_asks_after_the_last_questions_event() -> None:
    _, follow = converse([("How many soldiers died in the attack near the border?", ()),
                          ("what did the government declare afterwards?", ())])
    assert follow.startswith("what did the government declare afterwards") and "attack" in follow


def test_an_adjective_made_of_a_name_is_not_it() -> None:
    # The answer named only "the Ruritanian island": "it" is the hurricane asked for.
    _, follow = converse([("Which hurricane's winds fanned the wildfires?", ("Ruritanian", "Zenda")),
                          ("how strong was it?", ())])
    assert follow == "how strong was the hurricane?"
    # Nor is it what a question is mainly about: "Mediterranean storm" is Storm Daniel's kind.
    _, follow = converse([("What type of Mediterranean storm did Storm Daniel turn into before it reached land?", ()),
                          ("What wind speeds did it bring?", ())])
    assert "Storm Daniel" in follow


def test_its_residents_are_the_places() -> None:
    _, follow = converse([("How many people lived in Zenda before the flood, according to the authorities?", ()),
                          ("How many of its buildings were completely destroyed?", ())])
    assert follow.startswith("How many of Zenda's buildings were completely destroyed")


def test_what_about_another_event_of_the_same_kind_replaces_the_first() -> None:
    _, follow = converse([("How many soldiers were killed in the suspected attack near the northern border?", ()),
                          ("what about the rebel attack in the south-west at the end of September?", ())])
    assert follow == "How many soldiers were killed in the rebel attack in the south-west at the end of September?"
    # The old event's phrase ends at its verb: "... say the 7 October earthquake struck?"
    _, follow = converse([("How far from Zenda did Le Monde say the 7 October earthquake struck?", ()),
                          ("What about the quake of Wednesday 11 October?", ())])
    assert follow == "How far from Zenda did Le Monde say the quake of Wednesday 11 October struck?"


def test_he_after_which_ally_of_someone_is_the_ally() -> None:
    # An ally is a person asked for; the person the question named is not the answer.
    _, follow = converse([("Which close ally of Mirek told Le Monde his camp was ready to fight?",
                           ("President Mirek", "Ivo Karlan", "General Sava")),
                          ("Which movement did he launch?", ())])
    assert "Ivo Karlan" in follow


def test_them_are_the_people_who_acted_in_the_last_question() -> None:
    _, follow = converse([("In which suburb did around a hundred Ruritanians gather to debate the putsch?",
                           ("Bobigny",)),
                          ("Which organisation convened them?", ())])
    assert "around a hundred Ruritanians" in follow


def test_it_that_someone_reported_is_the_last_questions_news() -> None:
    _, follow = converse([("How old was the firefighter killed battling a forest blaze in July?", ()),
                          ("Which union reported it?", ())])
    assert follow.startswith("Which union reported it") and "firefighter killed" in follow


def test_what_about_another_village_replaces_the_village_not_its_region() -> None:
    _, second, third = converse([("How many people died in the High Atlas village of Tafeghaghte?", ()),
                                 ("What about Douzrou?", ()), ("And Tenzirt?", ())])
    assert second == "How many people died in the High Atlas village of Douzrou?"
    assert third == "How many people died in the High Atlas village of Tenzirt?"


def test_what_the_last_question_said_of_its_subject_is_not_carried_to_the_next() -> None:
    # ", which was home to 200" was said of Tafeghaghte; it is not true of Douzrou.
    _, second = converse([("How many people died in the High Atlas village of Tafeghaghte, which was home to 200?", ()),
                          ("What about Douzrou?", ())])
    assert second == "How many people died in the High Atlas village of Douzrou?"
    _, second = converse([("What did Ruritania, which hosts the French base, say about the sanctions?", ()),
                          ("And Freedonia?", ())])
    assert second == "What did Freedonia say about the sanctions?"
    # The rest of a list is kept: ", the UN and France" may name others asked about.
    _, second = converse([("How did Ruritania, the UN and France react to the coup?", ()),
                          ("What about Freedonia?", ())])
    assert "the UN and France" in second


def test_it_that_says_is_the_outlet_the_last_question_cited() -> None:
    _, follow = converse([("How much aid did Ruritania receive each year, according to a Guardian editorial?", ()),
                          ("How fast did it say the economy was growing?", ())])
    assert follow == "How fast did the Guardian editorial say the economy was growing?"
    _, follow = converse([("How did the Financial Times describe the response to the coup?", ()),
                          ("Why did it say hardly anyone was talking about Ruritania?", ())])
    assert follow.startswith("Why did the Financial Times say")


def test_they_stay_what_they_were_resolved_to() -> None:
    _, second, third = converse([("Which measures imposed after the coup were strangling Chad?", ()),
                                 ("How many people are they hurting?", ()),
                                 ("What did backers of the junta call them?", ())])
    assert "the measures" in second
    assert third.startswith("What did backers of the junta call the measures")


def test_them_may_be_a_people_the_last_question_named() -> None:
    _, follow = converse([("How was the US getting Americans out of Ruritania?", ()),
                          ("Whose flights had a handful of them already boarded?", ())])
    assert "the Americans" in follow


def test_he_is_the_role_that_did_the_verb_not_the_first_role_named() -> None:
    _, follow = converse([("What assurance about the captive president did a civilian leader of the junta give?", ()),
                          ("Did he say the junta would call in mercenaries?", ())])
    assert follow.startswith("Did the civilian leader say")


def test_there_is_the_place_an_earlier_question_asked_for() -> None:
    *_, follow = converse([("Which city was destroyed by the 1960 earthquake?", ("Agadir",)),
                           ("How many people did that quake kill?", ()),
                           ("Which 83-year-old from there lived through both quakes?", ())])
    assert follow == "Which 83-year-old from Agadir lived through both quakes?"


def test_what_about_a_thing_replaces_what_the_last_pronoun_stood_for() -> None:
    *_, follow = converse([("Roughly how many French soldiers were stationed in Chad?", ()),
                           ("what did Macron announce about them in late September?", ()),
                           ("what about the ambassador?", ())])
    assert follow.startswith("what did Macron announce about the ambassador in late September")


def test_what_about_an_event_after_a_question_on_a_people_asks_of_that_event() -> None:
    _, follow = converse([("How many Ruritanian soldiers were killed by jihadists near the border in October?", ()),
                          ("What about the attack in the south-west at the end of September?", ())])
    assert follow == "How many Ruritanian soldiers were killed in the attack in the south-west at the end of September?"
    # A plural subject with its owner takes no article: "Zenda's coup supporters".
    _, follow = converse([("Why did thousands of Zenda's coup supporters gather?", ()), ("what did they chant?", ())])
    assert follow == "what did thousands of Zenda's coup supporters chant?"


def test_a_bare_when_after_a_prepositional_which_question_asks_of_its_event() -> None:
    _, follow = converse([("Near which small Florida community did Hurricane Ruth make landfall on 30 August?",
                           ("Keaton Beach",)),
                          ("When?", ())])
    assert follow == "when did Hurricane Ruth make landfall on 30 August?"


def test_a_bare_when_asks_when_the_event_happened_not_when_a_name_was() -> None:
    # The event a count was asked of is what "when?" asks about.
    _, when = converse([("At least how many people died when the army shelled a market in Zenda in July?", ()),
                        ("When?", ())])
    assert when == "when the army shelled a market in Zenda in July?"
    # After "What was its name?", "when?" asks of the event before it, not "when was the name of ...".
    _, _, when = converse([("At least how many people died when the army shelled a market in Zenda?", ()),
                           ("What was its name?", ("Shaabi",)),
                           ("When?", ())])
    assert when == "when the army shelled a market in Zenda?"
    _, _, why = converse([("Why did the junta close Ruritania's airspace?", ()),
                          ("What is the operation called?", ()),
                          ("why?", ())])
    assert why.lower().startswith("why did the junta close ruritania's airspace")


def test_the_latest_one_is_the_latest_of_what_the_last_question_counted() -> None:
    _, hurt, lasted = converse([("How many drone attacks had Ruritania launched on the port of Zenda by Friday?", ()),
                                ("Who was hurt in the latest one?", ()),
                                ("How long did it last?", ())])
    assert hurt.startswith("Who was hurt in the latest drone attack")
    assert "latest drone attack" in lasted and " it " not in f" {lasted} "
    _, first = converse([("How many aftershocks followed the quake?", ()), ("How strong was the first one?", ())])
    assert first.startswith("How strong was the first aftershock")


def test_the_paper_is_the_outlet_the_conversation_cited() -> None:
    _, other, first = converse([("What did the Financial Times call Ruritania after the coup?", ()),
                                ("And the Telegraph?", ()),
                                ("What did the first paper say the coup would fuel?", ())])
    assert "the the" not in other and other.startswith("What did the Telegraph call")
    assert first == "What did the Financial Times say the coup would fuel?"
    _, last = converse([("What signs of mobilisation were there in Zenda, according to the Wall Street Journal?", ()),
                        ("How did the paper describe the army?", ())])
    assert last == "How did the Wall Street Journal describe the army?"
    # "What about according to the Daily Mail?": the paper is the one cited last, as written.
    _, _, park = converse([("How much rain fell on Zenda Park, according to Fox News?", ()),
                           ("What about according to the Daily Mail?", ()),
                           ("What did the paper say the park looked like later?", ())])
    assert park == "What did the Daily Mail say the park looked like later?"
    # No outlet cited: "the paper" stays as asked.
    _, plain = converse([("Why did the junta close the border?", ()), ("What did the paper say?", ())])
    assert "the paper" in plain


def test_its_residents_are_the_place_the_question_was_about_before_a_place_it_owned() -> None:
    _, _, follow = converse([("Near which city was the epicentre of the Ruritania earthquake?", ("Zenda",)),
                             ("Where does it rank among Ruritania's cities by size?", ()),
                             ("Where did its residents sleep?", ())])
    assert follow == "Where did Zenda's residents sleep?"
    _, follow = converse([("How did the Wall Street Journal describe Ghana's army?", ()),
                          ("And its population?", ())])
    assert "Ghana's population" in follow


def test_its_after_what_about_a_body_is_that_body() -> None:
    _, _, follow = converse([("What kind of assistance did the US say it would halt after the Zenda coup?", ()),
                             ("What about the EU?", ()),
                             ("What did its foreign policy chief call the president?", ())])
    assert follow.startswith("What did the EU's foreign policy chief call the president")


def test_and_a_scene_then_a_question_is_a_question_of_its_own() -> None:
    _, follow = converse([("How many suspects in the killing of the Zenda candidate were arrested in August?", ()),
                          ("And by mid-October, how many suspects had died in prison?", ())])
    assert follow.startswith("by mid-October, how many suspects had died in prison")


def test_a_bare_why_asks_of_the_clause_after_the_wh_phrase_whatever_its_words() -> None:
    _, why = converse([("From which US trade-preference scheme did President Biden drop Zenda in October?", ()),
                       ("why?", ())])
    assert why == "why did President Biden drop Zenda in October?"
    _, why = converse([("For how long was it that Ruritania halted approvals of new wind projects?", ()), ("why?", ())])
    assert why == "why was it that Ruritania halted approvals of new wind projects?"


def test_the_country_is_the_country_the_conversation_named() -> None:
    _, share = converse([("How many people had the war in Sudan displaced, according to the International "
                          "Organization for Migration?", ()),
                         ("What share of the country's population did it say needed aid?", ())])
    assert share == ("What share of Sudan's population did the International Organization for Migration say "
                     "needed aid?")


def test_their_is_the_people_counted_not_a_people_s_adjective() -> None:
    _, visas, among = converse([("How many British and foreign nationals did Ruritania evacuate from Zenda?", ()),
                                ("How long were their visas valid for?", ()),
                                ("What did a lecturer among them say?", ())])
    assert visas == "How long were the British and foreign nationals' visas valid for?"
    assert among == "What did a lecturer among the British and foreign nationals say?"


def test_it_that_speaks_is_the_body_the_last_question_had_speaking() -> None:
    _, follow = converse([("According to the Guardian, what kind of forces did Zenda's new regime say were no longer "
                           "welcome?", ()),
                          ("What did it say was under way instead?", ())])
    assert follow.startswith("What did Zenda's new regime say was under way instead")


def test_he_after_who_was_a_passive_is_the_person_it_describes() -> None:
    _, follow = converse([("Who was declared the storm's second death, according to ABC News?", ()),
                          ("Where did he go missing?", ())])
    assert follow == "Where did the person declared the storm's second death go missing?"
    _, follow = converse([("Who was mayor of Zenda when its dams burst?", ()), ("What did he say?", ())])
    assert follow == "What did the mayor of Zenda say?"


def test_a_name_inside_a_place_word_is_replaced_with_the_word() -> None:
    _, follow = converse([("How many coups in sub-Saharan Africa did the map show?", ()),
                          ("And in West and Central Africa since 2020?", ())])
    assert "sub-" not in follow and "in West and Central Africa since 2020" in follow
    _, follow = converse([("Why did pro-Ruritanian protesters gather in Zenda?", ()), ("What about Freedonian?", ())])
    assert "pro-Freedonian protesters" in follow


def test_their_after_a_plural_takes_an_apostrophe_alone() -> None:
    _, follow = converse([("What did Zenda's coup leaders accuse the foreign troops of?", ()),
                          ("How did their government respond?", ())])
    assert follow == "How did Zenda's coup leaders' government respond?"


_ENVOY = "Which head of state flew to Zenda days after the coup and was photographed with Rassendyll?"


def test_a_topic_phrase_ends_where_a_second_verb_begins() -> None:
    _, follow = converse([(_ENVOY,
                           ("Rudolf Elphberg",)),
                          ("Which country does he lead?", ())])
    assert follow == "Which country does Rudolf Elphberg lead after the coup?"


def test_they_is_never_one_thing_nor_a_span_of_time() -> None:
    *_, follow = converse([(_ENVOY,
                            ("Rudolf Elphberg",)),
                           ("Which country does he lead?", ("Ruritania",)),
                           ("How did Rassendyll look when they met?", ())])
    assert "the coup met" not in follow and "the days" not in follow
    _, follow = converse([("What did the junta announce after the coup?", ()), ("Why did they do it?", ())])
    assert "the junta" in follow


def test_they_who_meet_are_the_two_people_of_the_conversation() -> None:
    _, follow = converse([("Whom did Rupert Hentzau meet in Zenda?", ("Rudolf Rassendyll",)),
                          ("When did they meet?", ())])
    assert follow.startswith("When did Rudolf Rassendyll and Rupert Hentzau meet")
    *_, follow = converse([("Which head of state flew to Zenda and was photographed with Rudolf Rassendyll?",
                            ("Michael Elphberg",)),
                           ("How did Rassendyll look when they met?", ())])
    assert "Michael Elphberg and Rudolf Rassendyll met" in follow


def test_that_town_is_the_place_the_last_answer_named() -> None:
    _, follow = converse([("Where did the president's plane land?", ("Strelsau",)),
                          ("How far is that town from where the storm came ashore?", ())])
    assert follow.startswith("How far is Strelsau from where the storm came ashore")


def test_a_topic_phrase_ends_at_a_colon() -> None:
    _, follow = converse([("Which governor warned looters after Storm Ruth: 'You loot, we shoot'?",
                           ("Rudolf Elphberg",)),
                          ("Who did he decline to meet?", ())])
    assert follow == "Who did Rudolf Elphberg decline to meet after Storm Ruth?"


def test_was_that_points_back_at_the_last_answer() -> None:
    _, follow = converse([("How high did the water in Zenda's harbour stand?", ()),
                          ("How far above the average high-water mark was that?", ())])
    # The last question follows whole, as the user asked it, not a clause cut out of it.
    assert follow == ("How far above the average high-water mark was that: "
                      "How high did the water in Zenda's harbour stand?")


def test_a_bare_wh_after_a_composed_wh_phrase_asks_of_the_question_it_was_composed_with() -> None:
    # "From how many airbases?" has no clause of its own: "why?" asks why the operations resumed.
    *_, why = converse([("When did Ruritanian air operations resume in September?", ()),
                        ("From how many airbases?", ()), ("Why?", ())])
    assert why == "why did Ruritanian air operations resume in September?"



def test_a_bare_wh_after_a_subject_question_asks_it_whole() -> None:
    # "Who led the coup?" unanswered: its wh-word is the subject, so "why did led the coup" is no question.
    _, why = converse([("Who led the coup in Zenda?", ()), ("Why?", ())])
    assert why == "why: Who led the coup in Zenda?"
    _, when = converse([("How many people died in Zenda?", ()), ("When?", ())])
    assert when == "when: How many people died in Zenda?"
    # Answered, the answer stands in the wh-word's place, as before.
    _, why = converse([("Who led the coup in Zenda?", ("Rupert Hentzau",)), ("Why?", ())])
    assert why == "why was it that Rupert Hentzau led the coup in Zenda?"


def test_the_thing_the_last_question_spoke_of_is_asked_of_it() -> None:
    _, follow = converse([("Which resort offered evacuees from Storm Ruth a discount on hotel stays?", ()),
                          ("How big was the discount?", ())])
    assert follow.startswith("How big was the discount:") and "Storm Ruth" in follow
    # A thing nobody spoke of is a question of its own.
    _, follow = converse([("Which resort offered evacuees from Storm Ruth a discount on hotel stays?", ()),
                          ("How big was the harbour wall?", ())])
    assert follow == "How big was the harbour wall?"


def test_a_topic_phrase_ends_where_the_questions_verb_stands() -> None:
    assert topic_of("How many people had six months of war in Zenda killed?") == "in Zenda"
    assert topic_of("Where in Ruritania is it held?") == "in Ruritania"
    assert topic_of("Who led the protests in the flooded city?") == "in the flooded city"


def test_they_is_not_the_one_thing_it_stood_for_but_the_body_asked_about_before() -> None:
    *_, follow = converse([("Which city did the Black Hussars claim to have captured in Ruritania's war?", ("Zenda",)),
                           ("Which province is it the capital of?", ()),
                           ("What did they say they had taken over there?", ())])
    assert "the Black Hussars say the Black Hussars" in follow and "Zenda say" not in follow


def test_its_name_is_the_name_of_the_thing_a_question_brought_in_unnamed() -> None:
    _, follow = converse([("How many people died when the army shelled a market in Strelsau, according to the Post?",
                           ()), ("What was its name?", ())])
    assert follow == "What was the name of the market in Strelsau?"


def test_a_word_that_only_stems_like_a_place_is_none() -> None:
    assert not is_place_word("Sans") and not is_place_word("Lake")
    assert all(is_place_word(w) for w in ("Paris", "Niger's", "Nigeriens", "Africa", "US"))
    _, _, follow = converse([("At which hospital did Médecins Sans Frontières halt surgery in Zenda?", ()),
                             ("Why?", ()), ("Where were its supplies held up?", ())])
    assert "Médecins Sans Frontières" in follow and "Zenda's supplies" not in follow



def test_what_about_a_figure_asks_for_that_figure_on_the_last_topic() -> None:
    *_, follow = converse([("How many people had six months of war in Zenda killed, according to the UN?", ()),
                           ("What about the number displaced, according to the Post later that month?", ())])
    assert follow == "what was the number displaced, according to the Post later that month in Zenda?"
    _, follow = converse([("How many people died in Strelsau?", ()), ("What about the toll from the county?", ())])
    assert follow == "How many people died in Strelsau, according to the county?"
    _, follow = converse([("How many people died in Strelsau, according to the police?", ()),
                          ("What about the figure given by the governor?", ())])
    assert follow == "How many people died in Strelsau, according to the governor?"


def test_what_about_x_then_a_question_asks_that_question_of_x() -> None:
    _, follow = converse([("Which country did the general visit first after the war began?", ("Rudolf Elphberg",)),
                          ("What about in Qatar - whom did he meet there?", ())])
    assert follow == "whom did Rudolf Elphberg meet in Qatar?"
    _, follow = converse([("Which three countries kept their bans on Zenda's grain imports?", ()),
                          ("What about Germany - what did it accuse the three countries of?", ())])
    assert follow.startswith("what did Germany accuse the three countries of")
    _, follow = converse([("What did the Guardian report about the airport closure?", ()),
                          ("What about the Wall Street Journal, what did it say happened to flights?", ())])
    assert follow.startswith("what did the Wall Street Journal say happened to flights")


def test_they_after_it_with_an_earlier_turn_of_no_subject_is_resolved_not_a_crash() -> None:
    *_, follow = converse([("What happened next?", ()), ("Which city did they capture?", ("Zenda",)),
                           ("Which province is it the capital of?", ()), ("What did they take there?", ())])
    assert follow.startswith("What did") and "Zenda" in follow



def test_a_bare_wh_after_a_count_or_a_measure_asks_of_the_clause_with_its_subject() -> None:
    # "How many people were killed ...?" then "where?": the counted noun is the clause's subject.
    _, where = converse([("How many people were killed in two attacks in northern Zenda in September?", ()),
                         ("Where?", ())])
    assert where == "where were people killed in two attacks in northern Zenda in September?"
    # A count of what the clause acts on stays out: "the attack kill", not "people the attack kill".
    _, why = converse([("How many people did the attack kill in Zenda?", ()), ("Why?", ())])
    assert why == "why did the attack kill in Zenda?"
    # "How far south-west of Strelsau did ...?": no "far south-west of Strelsau did" left in the clause.
    _, when = converse([("How far south-west of Strelsau did the quake hit, according to the Ruritanian survey?", ()),
                        ("When?", ())])
    assert when == "when did the quake hit, according to the Ruritanian survey?"


def test_a_bare_wh_after_a_scene_set_question_puts_the_scene_after_it() -> None:
    _, why = converse([("According to the Zenda Times, what was the ambassador in Strelsau living on?", ()),
                       ("why?", ())])
    assert why == "why was the ambassador in Strelsau living on, according to the Zenda Times?"
    _, why = converse([("By mid-October, how many suspects had died in prison?", ()), ("why?", ())])
    assert why == "why had suspects died in prison, by mid-October?"
    # A question whose comma comes after its own wh-phrase has no scene.
    _, why = converse([("In which city, the capital, did protesters gather?", ()), ("why?", ())])
    assert why == "why did protesters gather?"


def test_there_is_never_the_outlet_a_question_cited() -> None:
    # An outlet named after a country is no place "there" points to.
    _, follow = converse([("How long had residents been living in tents in Tarlenheim, according to Pakistan "
                           "Observer?", ()),
                          ("How long had they been there, according to one resident?", ())])
    assert "Tarlenheim" in follow and "Observer" not in follow


def test_two_prepositions_the_user_wrote_both_stay() -> None:
    # "returned from on the day": the user's words; "flown from" then the last question's place: both kept.
    _, follow = converse([("What did the president say about the crash that killed the general?", ()),
                          ("Where did he say the general had returned from on the day of the crash?", ())])
    assert "returned from on the day" in follow
    _, _, when = converse([("What did the president say about the crash that killed the general?", ()),
                           ("Where did he say the general had returned from on the day of the crash?", ()),
                           ("When?", ())])
    assert "returned from on the day" in when
    _, follow = converse([("Which Zendair plane made a hard landing in Strelsau amid Storm Ruth?", ("Flight 12",)),
                          ("Where had it flown from?", ())])
    assert "flown from" in follow
    # A pair the rewrite made says its preposition once.
    _, follow = converse([("How much rain fell in Strelsau Park?", ()), ("What about in a whole normal year?", ())])
    assert " in in " not in follow


def test_they_are_never_the_place_the_conversation_is_in() -> None:
    # "there" is Sfax; "them" are the migrants the conversation is about, not "many of Sfax".
    _, _, taken = converse([("In which Tunisian city were migrants attacked after a local man was killed?", ("Sfax",)),
                            ("How many were injured there, according to a medic?", ()),
                            ("Where were many of them taken afterwards?", ())])
    assert "of Sfax" not in taken and "migrants" in taken
    # A place a which-question found is "there", never "they".
    _, whose = converse([("Which crossing opened to let aid trucks into Gaza?", ("Rafah",)),
                         ("Whose trucks were they?", ())])
    assert "Rafah" not in whose
