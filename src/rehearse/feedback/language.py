"""Which language and script an answer is written in: the engine reads the Latin alphabet, and its word
lists (fillers, hedges, STAR and specifics rules) read English."""

from __future__ import annotations

from .text import STOPWORDS, words


def _latin(c: str) -> bool:
    return c < "\u0250" or "\u1e00" <= c <= "\u1eff"  # Basic Latin to Latin Extended-B, and Additional


def unreadable_script(text: str) -> bool:
    """Whether most of the text's letters are in a script other than the Latin alphabet.

    The engine's words, stems and signals read the Latin alphabet (best English); an answer in
    Chinese or Russian would read as "no words", which tells its writer they wrote nothing."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(map(_latin, letters)) < len(letters) / 2


ENGLISH_MIN_WORDS = 8  # fewer words say too little about their language
ENGLISH_MIN_STOPWORD_SHARE = 0.2  # English prose: 35-55% of words are stopwords; Portuguese, Spanish: under 15%


def reads_as_english(text: str) -> bool:
    """Whether a text reads as English, by its share of English stopwords (short texts: assumed so).
    The English word lists (fillers, hedges) say nothing of another language: "um" is Portuguese for "a"."""
    found = words(text)
    if len(found) < ENGLISH_MIN_WORDS:
        return True
    return sum(w in STOPWORDS for w in found) / len(found) >= ENGLISH_MIN_STOPWORD_SHARE


# Everyday function words of the languages answers other than English come in most often; a word that
# is an English stopword as well ("a", "in", "so") says nothing of the language and is left out.
_FUNCTION_WORDS = {
    "Spanish": "de la que el en los del las un por con una su para es al lo como más pero sus ya fue este ha "
               "porque esta son entre cuando muy sin sobre también hasta hay donde desde todo nos durante "
               "todos les ni otros ese eso ellos esto antes unos yo otro otra él tanto esa estos mucho nada "
               "muchos poco ella estar algo nosotros mi mis tu te era fueron hice hizo tenía equipo",
    "Portuguese": "de que do da em um para com não uma os se na por mais as dos como mas foi ao ele das tem "
                  "seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era "
                  "depois sem mesmo aos ter seus quem nas esse eles estão você tinha foram essa num nem suas "
                  "meu minha numa pelos elas havia qual nós tenho deles este equipe fiz",
    "French": "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont "
              "avec mais ou comme nous je elle ont été était aux son sa ses leur leurs mon ma mes cette ces "
              "tout très aussi avons sans ai équipe",
    "German": "der die und den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
              "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen zum war "
              "haben nur oder aber vor zur bis mehr durch man dann wir ich habe wurde unsere unser mein "
              "meine team",
    "Italian": "di il la che per un è non una sono del da con le si dei lo ho ha della al come più ma anche "
               "io mi ci nel alla questo gli delle mio mia quando molto poi tutto essere stato squadra",
    "Dutch": "de het een en van ik te dat die niet op aan met als voor er maar om zijn ook naar dan bij "
             "nog uit wat heb hebben wij we ons mijn haar hij zij werd door",
}
_FUNCTION_SETS = {language: frozenset(found.split()) for language, found in _FUNCTION_WORDS.items()}
OTHER_LANGUAGE_MIN_SHARE = 0.12  # prose in these languages: 30-50% function words; English jargon: none of them


def other_language(text: str) -> str | None:
    """The language a text is written in when it is not English but one of the common others (its
    name), else None. English bullet notes ("Cut scope. Told VP. Shipped.") hold few English
    stopwords and read as no language: it takes another language's own function words to say so."""
    if reads_as_english(text):
        return None
    found = [w for w in words(text) if w not in STOPWORDS]
    if not found:
        return None
    share = {language: sum(w in vocabulary for w in found) / len(found)
             for language, vocabulary in _FUNCTION_SETS.items()}
    language = max(share, key=share.get)
    return language if share[language] >= OTHER_LANGUAGE_MIN_SHARE else None
