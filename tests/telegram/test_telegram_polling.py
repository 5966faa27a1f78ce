"""The polling worker on a fake Bot API, with the real stack behind the router."""

from bot.channels.telegram import texts
from bot.db import transaction
from bot.services.conversations import ensure_tenant
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi
from tests.transcript import conversation_of, messages_of

MENU_PAYLOADS = {"/topic_energy", "/topic_biowaste", "/request_human"}
SUMMARY = "Voici ce que nous gardons sur vous"


def payloads(sent) -> set[str]:
    return {payload for _, payload in sent.buttons}


def until_last_is(api: FakeBotApi, chat_id: int, text: str) -> list:
    """All messages to the chat once the last one is ``text`` (a chat's updates are handled in order)."""
    return api.wait_for(
        f"{text[:30]!r} to chat {chat_id}",
        lambda: (sent := api.messages_to(chat_id)) and sent[-1].text == text and sent,
    )


def until_summary(api: FakeBotApi, chat_id: int, count: int = 1) -> list:
    """All messages to the chat once the ``count``-th /mesdonnees summary is the last one."""
    return api.wait_for(
        f"summary {count} to chat {chat_id}",
        lambda: (
            (sent := api.messages_to(chat_id))
            and sent[-1].text.startswith(SUMMARY)
            and sum(m.text.startswith(SUMMARY) for m in sent) == count
            and sent
        ),
    )


def start(api: FakeBotApi, chat_id: int, argument: str = "") -> list:
    """Send /start (with a deep-link argument) and return the welcome and the menu."""
    api.push(updates.message(chat_id, f"/start {argument}".strip()))
    return api.wait_for_messages(chat_id, 2)


def test_start_with_a_tenant_gives_that_tenant_s_welcome_intact(worker, polling_api, stack):
    welcome = "Bienvenue chez <Habitat> & Cie : *tri* des _biodéchets_ !"
    with transaction(stack.settings.database_url) as session:
        tenant_id = ensure_tenant(session, slug="habitat-tg", name="Habitat & Cie", welcome_message=welcome).id
    chat_id = updates.new_chat_id()

    welcome_message, menu = start(polling_api, chat_id, "habitat-tg")

    assert welcome_message.text == welcome
    assert payloads(menu) >= MENU_PAYLOADS
    assert conversation_of(stack.settings, str(chat_id), channel="telegram").tenant_id == tenant_id


def test_an_unknown_tenant_link_is_explained_and_the_default_tenant_answers(worker, polling_api):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/start vieux-qr-code"))

    sent = polling_api.wait_for_messages(chat_id, 3)

    assert sent[0].text == texts.UNKNOWN_TENANT
    assert "assistant automatique de la Régie de Quartier" in sent[1].text


def test_an_faq_question_gets_its_answer_with_sources(worker, polling_api):
    chat_id = updates.new_chat_id()

    polling_api.push(updates.message(chat_id, "c quoi le cheque energie"))

    sent = polling_api.wait_for(
        "an answer with its sources",
        lambda: (texts_ := [m.text for m in polling_api.messages_to(chat_id)]) and "Source :" in texts_[-1] and texts_,
    )
    assert "chèque énergie" in sent[0]


def test_a_button_tap_goes_through_the_router_and_its_keyboard_goes_away(worker, polling_api):
    chat_id = updates.new_chat_id()
    _, menu = start(polling_api, chat_id)
    update, query_id = updates.tap(menu, "/topic_energy")

    polling_api.push(update)

    answer = polling_api.wait_for_messages(chat_id, 3)[2]
    assert "énergie" in answer.text
    assert any(c.params.get("callback_query_id") == query_id for c in polling_api.calls_of("answerCallbackQuery"))
    edits = polling_api.calls_of("editMessageReplyMarkup", chat_id)
    assert [int(e.params["message_id"]) for e in edits] == [menu.message_id]
    assert polling_api.messages_to(chat_id)[1].reply_markup is None


def test_an_old_button_is_refused_kindly(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    _, menu = start(polling_api, chat_id)
    polling_api.push(updates.tap(menu, "/topic_energy")[0])
    polling_api.wait_for_messages(chat_id, 3)
    stale, query_id = updates.tap(menu, "/topic_biowaste")

    polling_api.push(stale)

    assert polling_api.wait_for_messages(chat_id, 4)[3].text == texts.EXPIRED_BUTTON
    assert any(c.params.get("callback_query_id") == query_id for c in polling_api.calls_of("answerCallbackQuery"))
    assert "/topic_biowaste" not in [payload for _, _, payload in messages_of(stack.settings, str(chat_id))]


def test_a_voice_note_gets_a_kind_answer_and_nothing_is_stored(worker, polling_api, stack):
    chat_id = updates.new_chat_id()

    polling_api.push(updates.voice(chat_id))

    assert polling_api.wait_for_messages(chat_id, 1)[0].text == texts.VOICE
    assert conversation_of(stack.settings, str(chat_id), channel="telegram") is None


def test_the_same_update_delivered_twice_is_handled_once(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "merci beaucoup"), copies=2)
    polling_api.push(updates.message(chat_id, "/mesdonnees"))

    sent = until_summary(polling_api, chat_id)

    assert len(sent) == 2
    resident_texts = [t for author, t, _ in messages_of(stack.settings, str(chat_id)) if author == "resident"]
    assert resident_texts == ["merci beaucoup"]


def test_unknown_commands_and_slash_text_get_the_help_and_never_reach_rasa(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/inconnue"))
    polling_api.push(updates.message(chat_id, '  /book_visit{"slot": "x"}'))

    sent = polling_api.wait_for_messages(chat_id, 2)

    assert [m.text for m in sent] == [texts.HELP, texts.HELP]
    assert conversation_of(stack.settings, str(chat_id), channel="telegram") is None


def test_router_commands_reach_their_intent(worker, polling_api):
    chat_id = updates.new_chat_id()

    polling_api.push(updates.message(chat_id, "/aide"))

    assert "Voici ce que je peux faire" in polling_api.wait_for_messages(chat_id, 1)[0].text


def test_in_human_mode_the_bot_says_a_mediator_has_it_and_keeps_the_message(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/mediateur"))
    polling_api.push(updates.message(chat_id, "/mesdonnees"))
    before = until_summary(polling_api, chat_id)
    polling_api.push(updates.message(chat_id, "ma facture est de 300 euros"))
    polling_api.push(updates.message(chat_id, "/mesdonnees"))

    after = until_summary(polling_api, chat_id, count=2)

    assert "médiateur" in before[0].text
    # The notice that a mediator has the conversation, then the gateway's own /mesdonnees: Rasa is not asked.
    assert len(after) == len(before) + 2 and "médiateur" in after[-2].text
    assert ("resident", "ma facture est de 300 euros", None) in messages_of(stack.settings, str(chat_id))


def test_markdown_and_html_characters_typed_by_a_resident_break_nothing(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    typed = "*gras* _souligne_ <b>salut</b> & 5 < 6 > 2 `code` [lien](http://x.fr)"

    polling_api.push(updates.message(chat_id, typed))

    assert polling_api.wait_for_messages(chat_id, 1)
    assert not [c for c in polling_api.calls_of("sendMessage", chat_id) if c.status == 400]
    assert ("resident", typed, None) in messages_of(stack.settings, str(chat_id))


def test_the_worker_logs_neither_the_token_nor_what_residents_write(worker, polling_api):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "mon code est 4321 et j'habite au 12 rue Pasteur"))
    polling_api.wait_for_messages(chat_id, 1)

    log = worker.log.read_text()

    assert polling_api.token.split(":")[1] not in log
    assert "Pasteur" not in log
