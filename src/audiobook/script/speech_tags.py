"""Speech verbs and the shapes of a speech tag ("said Mara", "he whispered", "I say").

:data:`SPEECH_VERBS` holds every inflection (says, said, saying) of a list of verbs of speaking; the
tag patterns in :mod:`audiobook.script.attribution` look a verb up here.
"""

from __future__ import annotations

_REGULAR = """
ask answer add admit advise agree announce argue assent assert assure babble bark bawl beg bellow blurt
boast bluster breathe call caution chant chatter cheer chide chime chirp chuckle claim command comment
complain concede conclude confess confide confirm congratulate console continue correct cough counter
croak croon cry declare demand deny drawl echo encourage enquire entreat exclaim explain exult falter
fume gasp giggle grin groan growl grumble grunt guess gush hazard hiss holler howl hum inquire insist
interject interpose interrupt jeer jest joke laugh lecture lisp mention moan mock mourn mouth
mumble murmur muse mutter nag note object observe offer order pant persist plead pout pray proclaim
promise prompt propose protest purr query question quip quote rage rail rant rasp reason recall
reckon recollect reflect rejoin relate remark remind repeat reply report reproach request respond resume
retort return roar sass scoff scold scream screech shout shriek sigh slur smirk snap snarl sneer sniff
sniffle snort sob soothe splutter sputter squeak squeal stammer state storm stutter suggest summon
taunt tease testify threaten thunder trill urge utter venture vow wail warn weep whimper whine whisper
wonder worry yawn yell yelp add acknowledge accuse bristle wheeze greet instruct intone gulp huff
implore bemoan accost address ejaculate vociferate quaver counsel inform interrogate narrate reiterate recite respond reassure scream
comfort pursue remonstrate acquiesce expostulate apologize apologise volunteer titter simper pipe chorus
admit regret prefer coo puff admonish rebuke corroborate prattle warble asseverate
"""

_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "begin": ("begin", "begins", "began", "beginning", "begun"),
    "speak": ("speak", "speaks", "spoke", "speaking"),
    "think": ("think", "thinks", "thought", "thinking"),
    "go on": ("go on", "goes on", "went on", "going on"),
    "break in": ("break in", "breaks in", "broke in", "breaking in"),
    "cut in": ("cut in", "cuts in", "cut in", "cutting in"),
    "put in": ("put in", "puts in", "put in", "putting in"),
    "bite out": ("bite out", "bites out", "bit out", "biting out"),
    "shoot back": ("shoot back", "shoots back", "shot back", "shooting back"),
    "fire back": ("fire back", "fires back", "fired back", "firing back"),
    "cry out": ("cry out", "cries out", "cried out", "crying out"),
    "call out": ("call out", "calls out", "called out", "calling out"),
    "sing": ("sing", "sings", "sang", "singing"),
    "swear": ("swear", "swears", "swore", "swearing"),
    "bid": ("bid", "bids", "bade", "bidding"),
    "let out": ("let out", "lets out", "let out", "letting out"),
}

# Verbs that tell who speaks when they follow a quote, though they are not verbs of speaking.
_BEAT_AS_TAG = """
smile nod shrug frown wink grimace beam scowl glare laugh sigh pause hesitate blush
"""


def _inflect(verb: str) -> tuple[str, str, str, str]:
    if verb.endswith("e"):
        past, ing = verb + "d", verb[:-1] + "ing"
        third = verb + "s"
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        past, ing, third = verb[:-1] + "ied", verb + "ing", verb[:-1] + "ies"
    elif verb.endswith(("sh", "ch", "ss", "x", "z", "o")):
        past, ing, third = verb + "ed", verb + "ing", verb + "es"
    elif verb in ("snap", "sob", "plan", "stop", "grin", "nag", "jab", "chat", "quip", "hum", "pat", "trot",
                  "bid", "beg", "rap", "yap", "wag", "spit", "admit", "regret", "prefer", "commit", "permit",
                  "omit", "refer", "confer", "control", "compel", "expel", "rebel", "nod", "shrug"):
        past, ing, third = verb + verb[-1] + "ed", verb + verb[-1] + "ing", verb + "s"
    else:
        past, ing, third = verb + "ed", verb + "ing", verb + "s"
    return verb, third, past, ing


def _build() -> tuple[dict[str, str], dict[str, str]]:
    verbs: dict[str, str] = {}
    for base in _REGULAR.split():
        for form in _inflect(base):
            verbs[form] = base
    for base, forms in _IRREGULAR.items():
        for form in forms:
            verbs[form] = base
    beats: dict[str, str] = {}
    for base in _BEAT_AS_TAG.split():
        for form in _inflect(base):
            beats[form] = base
    return verbs, beats


SPEECH_VERBS, TAG_BEAT_VERBS = _build()
"""Inflected form (said, whispers, went on) -> base verb."""

MULTIWORD_VERBS = sorted((form for form in SPEECH_VERBS if " " in form), key=len, reverse=True)

# Verbs that take the spoken line as an object but do not mark the speaker reliably.
WEAK_VERBS = {"hear", "read", "write", "think", "wonder", "tell", "ask", "answer", "call", "question", "mention", "quote", "recall", "remind"}


def speech_verb_at(words: list[str], index: int) -> tuple[str, int] | None:
    """The speech verb starting at ``words[index]`` (lowercase words) and how many words it takes."""
    if index >= len(words):
        return None
    word = words[index]
    if index + 1 < len(words):
        pair = word + " " + words[index + 1]
        if pair in SPEECH_VERBS:
            return SPEECH_VERBS[pair], 2
    if word in SPEECH_VERBS:
        return SPEECH_VERBS[word], 1
    return None
