"""How text is matched: the roots a snippet is indexed by and a query looks for, and the
excerpt a search result shows. Pure functions of text; the index itself is in storage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import aliases
from bot.domain.stemming import root, words

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")

# Words that say nothing about what is asked: never searched for on their own.
STOP_WORDS = frozenset("""
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
для до его ее ей ему если есть еще же за здесь и из или им их к как какая какие какой кем
когда кого ком кто ли либо между меня мне мной мы на над нам нас наш не него нее нет ни них
но ну о об однако он она они оно от очень по под при про с со так также такой там те тем
то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это этот я
ещё её нём мой моя мое мои твой твоя сам сама само сами себя себе свой своя свое свои раз
бы ведь вдруг вот вон где-то кто-то что-то сейчас теперь тогда тут потом можно нужно надо
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell show me please
""".split())
# What people say to a bot that is not a question about the subject.
CHATTER = frozenset("""
привет приветик здравствуй здравствуйте здорово добрый доброе день утро вечер ночи хай
спасибо спс благодарю пожалуйста пока дела делишки норм нормально хорошо отлично ок окей ладно
понятно ясно круто класс супер ага угу хм ммм бот ботик поживаешь жизнь
hi hello hey hiya thanks thank thx ok okay cool great nice bye goodbye morning evening how
are doing fine good yes no lol bot
""".split())


# Thanks, and the words that come with it ("спасибо большое", "thank you so much"): answered
# with a short thanks of the bot's own, not the greeting.
THANKS = frozenset("""
спасибо спасибочки спасиб пасиб пасибо спс сенкс благодарю благодарим благодарствую мерси
thanks thank thx thnx tnx ty thankyou cheers
""".split())
WITH_THANKS = frozenset("""
большое огромное большущее тебе вам всем за помощь информацию ответ еще раз много
a lot much so very you for the help info again many really
""".split())


def meaningful_words(text: str) -> list[str]:
    """The words of a text that could be searched for: neither stop words nor chatter."""
    return [word for word in words(text[:MAX_QUERY_CHARS]) if word not in STOP_WORDS and word not in CHATTER]


def is_chatter(text: str) -> bool:
    """A greeting, thanks or "how are you" — words only of chatter and stop words, at least one
    of them chatter — rather than a question about the content."""
    found = words(text[:MAX_QUERY_CHARS])
    return bool(found) and len(found) <= 8 and any(w in CHATTER for w in found) and all(
        w in CHATTER or w in STOP_WORDS for w in found
    )


def is_thanks(text: str) -> bool:
    """Thanks ("спасибо", "спс", "thank you", "thx", "Спасибо большое!"), perhaps with a greeting,
    and nothing asked: any word of the subject makes it a question instead."""
    found = words(text[:MAX_QUERY_CHARS])
    return bool(found) and len(found) <= 8 and any(w in THANKS for w in found) and all(
        w in THANKS or w in WITH_THANKS or w in CHATTER or w in STOP_WORDS for w in found
    )


def index_terms(text: str) -> str:
    """What the FTS index stores for a text: the root of each word, then once each the roots of
    their aliases (`lexicons/aliases.yaml`), so «АЭС» is found by NPP and Rosatom by Росатом."""
    found = [root(word) for word in words(text)]
    return " ".join([*found, *aliases.added(found)])


def query_roots(query: str) -> list[str]:
    """Distinct roots of the meaningful words at the start of a query, in order, bounded in
    number; stop words never match on their own (a query of only them finds nothing)."""
    found = [word for word in words(query[:MAX_QUERY_CHARS]) if word not in STOP_WORDS]
    return list(dict.fromkeys(root(word) for word in found))[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class Excerpt:
    """A short passage as (text, highlighted) pieces; the renderer escapes and marks them."""

    pieces: tuple[tuple[str, bool], ...]
    truncated_start: bool
    truncated_end: bool


def excerpt(text: str, query: str, max_chars: int = 220) -> Excerpt:
    """The sentence with the most query words (or their aliases), trimmed to `max_chars`,
    matches marked."""
    asked = query_roots(query)
    roots = set(asked) | set(aliases.added(asked))

    def matches(word: str) -> bool:
        lowered = word.lower().replace("ё", "е")
        return root(lowered) in roots

    sentences = [s.group().strip() for s in SENTENCE.finditer(text) if s.group().strip()] or [text]
    best = max(sentences, key=lambda s: sum(matches(w) for w in re.findall(r"\w+", s)))
    truncated_start = truncated_end = False  # cut inside the sentence, not at its edges
    if len(best) > max_chars:
        first = next((m.start() for m in re.finditer(r"\w+", best) if matches(m.group())), 0)
        begin = max(0, min(first - max_chars // 3, len(best) - max_chars))
        begin = best.rfind(" ", 0, begin) + 1 if begin else 0
        end = best.rfind(" ", begin, begin + max_chars)
        end = end if end > begin else begin + max_chars
        truncated_start = begin > 0
        truncated_end = end < len(best)
        best = best[begin:end]
    best = _balanced(best)
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for match in re.finditer(r"\w+", best):
        if matches(match.group()):
            if match.start() > cursor:
                pieces.append((best[cursor : match.start()], False))
            pieces.append((match.group(), True))
            cursor = match.end()
    if cursor < len(best):
        pieces.append((best[cursor:], False))
    return Excerpt(tuple(pieces), truncated_start, truncated_end)


def _balanced(text: str) -> str:
    """No stray closing guillemet at the start, and as many « as »."""
    text = text.lstrip("» ").rstrip("« ")
    opened, closed = text.count("«"), text.count("»")
    if opened > closed:
        text += "»" * (opened - closed)
    elif closed > opened:
        text = "«" * (closed - opened) + text
    return text
