"""What an interviewer can check in an answer, as patterns: numbers, time frames, named practices
and tools. Each is found as the candidate wrote it ("6.5 days", "SLOs", "PagerDuty")."""

from __future__ import annotations

import re

from . import text as _text

# a number under a hundred in words: "seven", "fifteen", "twenty-five"
_SMALL_WORDS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
                r"seven|eight|nine)\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
NUMBER_WORDS = ("(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                "forty|fifty|sixty|seventy|eighty|ninety|hundred|half)")
# "one" is a number unless it is "one of …", "no one" or part of "one-on-one"
NUMBER = re.compile(
    # "20%", "24/7", "2-3 weeks", "$1.5 million": each one number, as written; "1:1", "1-1", "1-on-1"
    # is a meeting (a practice), not a number
    r"(?<![\w.\-/:])(?!1(?::|-|-on-)1s?\b(?![.,]\d))(?:[$€£]\s?)?\d+(?:[.,:/]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?"
    r"(?:\s?%|\s?(?:million|billion|thousand|percent|x|k|m|bn|ms|s|h|hrs?|hours|mins?|minutes|days|wks?|"
    r"weeks|months|yrs?|years|people|engineers|teams|customers|users|points|patients|beds|shifts|"
    r"mg|mcg|ml|g|kg|mmol|mm|cm|km|units|am|pm)\b|\s?[ap]\.m\.|\b)"
    # in words, "eighty five percent" and "two hundred" each one number too
    r"|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine)\b)?|(?<!no )(?<!-)(?<!each )(?<!every )(?<!any )(?<!the )(?<!this )(?<!that )(?<!which )"
    r"one(?!-|\s+of\b)|zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"hundred|thousand|million|billion|dozen|half|double|twice|triple)"
    # a number in words is read whole: "one and a half", "fifteen hundred", "two and a half thousand", "two
    # hundred and fifty thousand" are each one number, never "hundred" (or "hundred hours") cut out of it
    r"(?:\s+and\s+a\s+half\b)?"
    r"(?:\s(?:hundred|thousand|million|billion)\b(?:(?:\s+and)?\s+" + _SMALL_WORDS + r"\b(?!\s+of\b))?)*"
    r"(?:\s+and\s+a\s+half\b)?(?:\s(?:percent|per cent)\b)?\b",
    re.I,
)
DIGIT = re.compile(r"\d")

# a figure of one or two digits with no words beside it: a list's marker ("2) …", "(3)", a line "0") or
# a table's cell ("| 0 |"), which counts nothing (a candidate's count has its words: "0 incidents",
# "from 12 to 0", "incidents: 0")
_MARKER_BEFORE = re.compile(r"(?:^|[.;!?]\s+|[|\t])\s*\(?\s*$")
_MARKER_AFTER = re.compile(r"\s*(?:$|[|\t]|[.)](?:\s|$))")


def bare_marker(text: str, m: re.Match) -> bool:
    """Whether a NUMBER match is a list marker or a table cell, not a number the candidate gives."""
    figure = m.group(0).strip()
    if not (figure.isdigit() and len(figure) <= 2):
        return False
    before = text[: m.start()].rsplit("\n", 1)[-1]
    after = text[m.end():].split("\n", 1)[0]
    return bool(_MARKER_BEFORE.search(before)) and bool(_MARKER_AFTER.match(after))

# A figure as written, never starting after a decimal point or a thousands separator: "6.5 days" is
# one time frame, not "5 days" beside it; "2-3 weeks" is one too
_FIGURE = r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?"
_COUNT = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
          r"seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          r"fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"
          # read whole: "fifteen hundred hours", "two and a half days" ("hundred hours" is no time frame)
          r"(?: and a half)?(?:[\s-](?:hundred|thousand))?(?: and a half)?")
_UNIT = r"(?:minute|hour|day|week|fortnight|sprint|shift|month|quarter|year)"
_ABBREVIATED = r"(?:mins?|hrs?|wks?|yrs?)"  # "10 min", "2 hrs", "3 yrs"
_DAY_PART = r"(?:morning|afternoon|evening|night|weekday)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# A month with a word of time, a date or a year ("in June", "3 March", "November 2023"), never alone:
# "June" and "April" are names too, and "May" and "March" are a month only capitalised ("we may")
# (abbreviated only capitalised, and never before a letter: "Oct", "Nov", not "mar" nor "Octopus")
_MONTH = (r"(?:january|february|april|june|july|august|september|october|november|december|(?-i:May|March)|"
          r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?![a-z]))")
# a day of the month, or a range of days ("1–15 November")
_DATE_DAY = r"(?:(?<![\d.,])(?:\d{1,2}(?:st|nd|rd|th)?\s?[-–]\s?)?\d{1,2}(?:st|nd|rd|th)? (?:of )?)"
# A date written in figures or as a quarter of a year: "15/08/2023", "2023-08-15", "Q3 2022", "H1 FY24"
_NUMERIC_DATE = (r"(?<![\w./-])(?:\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\w/.-]*\d)"
                 r"|\b[QH][1-4][ -](?:FY ?)?(?:19|20)?\d\d\b")
_IN_TIME = r"(?:(?:in|by|until|since|from|during|last|next|this|that|early|late) |mid-)"
TIME_FRAME = re.compile(
    # "by week five", "in month 3" (before "by week" alone)
    r"\b(?:by|in|from|until|after|before) (?:week|month|sprint|quarter|day|year) (?:\d+|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve)\b|"
    # "a month later", "three weeks behind", "two years ago"
    rf"(?:{_FIGURE}|\b(?:a|an|one|{_COUNT}|a few|a couple of)) "
    r"(?:day|week|fortnight|sprint|shift|month|quarter|year)s? (?:later|earlier|before|after|behind|ahead|ago|late|"
    r"early)\b|"
    # "every week", "each shift", "next sprint", "every other week", "each morning", "every Friday"
    # ("the next 10 sprint goals" counts goals: a count of more than one takes the plural)
    r"\b(?:every|each|per|first|next|last|the first) "
    rf"(?:a |an |the |other )?(?:(?:{_FIGURE}|{_COUNT}|few|couple of)\s?-?\s?"
    rf"(?:(?:day|week|fortnight|sprint|shift|month|quarter|year|weekend|{_DAY_PART})s|minutes|hours)"
    rf"|(?:one\s?-?\s?)?(?:(?:day|week|fortnight|sprint|shift|month|quarter|year|weekend|{_DAY_PART})s?|minutes|"
    rf"hours|{_WEEKDAY}))\b"
    r"(?: now\b)?|"
    # "within two quarters", "for a year now", "in 6.5 days", "within an hour", "for weeks": a
    # duration; "for sprint planning", "in shift handover" name no time (a bare unit is no duration)
    r"\b(?:within|in|over|after|for|by) "
    rf"(?:(?:a |an |the )(?:{_FIGURE}|one|{_COUNT}|few|couple of )?|(?:{_FIGURE}|one|{_COUNT}|few|couple of ))"
    r"\s?(?:-?\s?)?(?:(?:day|week|fortnight|sprint|shift|month|quarter|year)s?|minutes|hours)\b(?: now\b)?"
    r"|\b(?:within|in|over|after|for|by) (?:days|weeks|fortnights|sprints|shifts|months|quarters|years|minutes|"
    r"hours)\b(?: now\b)?"
    # a time of day, a weekday, a month: "at 2am", "at 2 p.m.", "14:30", "on Friday", "November 2023"
    r"|\b(?:at |by |until |before |after |from )?(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s?(?:am|pm|a\.m\.?|p\.m\.?)"
    # a clock time without am/pm: with two digits to its hour, or after "at" ("1:10" alone is a ratio)
    r"(?![\w])|\b(?:at |by |until |before |after |from )(?:[01]?\d|2[0-3]):[0-5]\d\b(?![:.,]\d)"
    r"|(?<![\w.,:])(?:[01]\d|2[0-3]):[0-5]\d\b(?![:.,]\d)"
    r"|\b(?:at |by |until |before |after |from )?(?:noon|midday|midnight)\b|\b\d{1,2} o'clock\b"
    rf"|\b(?:on (?:a )?|by |until |since |from |last |next |this |that |every |each )?{_WEEKDAY}s?\b"
    rf"|\b(?:{_IN_TIME}{_DATE_DAY}?|{_DATE_DAY}){_MONTH}(?: \d{{1,2}}(?:st|nd|rd|th)?,?)?(?: (?:19|20)\d\d)?\b"
    rf"|\b{_MONTH}(?: \d{{1,2}}(?:st|nd|rd|th)?,?)?(?: (?:19|20)\d\d)\b(?![.,:/]\d)"
    rf"|\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b(?:in|since|by|during|until|from) (?:19|20)\d\d\b(?![.,:/]\d)"
    rf"|{_NUMERIC_DATE}"
    # "the first half", "half an hour" (not "cut it by half")
    r"|\b(?:the )?(?:first|second|next|last) half\b|\bhalf an? (?:hour|day)\b"
    r"|\b(?:within|in|over|for|after) (?:an|one) hour\b"
    # "since one year" (how many who learned English first in another language say "for a year now")
    rf"|\bsince (?:a |an |one |a few |a couple of |(?:{_FIGURE}|{_COUNT}) )?{_UNIT}s?\b"
    r"|\bq[1-4]\b|\b(?:quarterly|weekly|monthly|daily|fortnightly|annual|annually|biweekly)\b"
    # "6.5 days", "10 min", "a 3 day workshop", "a 90-minute session", "a six-week plan", "forty minutes"
    # (a unit with no plural after a count is a compound's first word: "10 sprint goals" counts goals, "a 3 day
    # workshop" and "a 6-week plan" last that long)
    rf"|{_FIGURE}(?:\s?|-)(?:{_UNIT}s|{_ABBREVIATED})\b(?!-old)|{_FIGURE}-{_UNIT}\b(?!-old)"
    rf"|(?:(?<=\ba )|(?<=\ban )|(?<![\w.,])(?=1\b)){_FIGURE}\s?{_UNIT}\b(?!-old)"
    rf"|\b(?:one|{_COUNT})-{_UNIT}s?\b(?!-old)"
    rf"|\b{_COUNT} {_UNIT}s\b"
    r"|\bthe (?:day|week|month|sprint|quarter|year) (?:after|before)\b"
    # "the same day", "that afternoon", "the next morning", "by the end of my shift", "overnight"
    r"|\bthe same (?:day|morning|afternoon|evening|night|week|shift)\b|\bsame-day\b|\bovernight\b"
    r"|\b(?:that|the next|the following) (?:morning|afternoon|evening|night)\b"
    r"|\bthe (?:next|following) (?:day|week|fortnight|shift)\b"
    r"|\bby the end of (?:the|that|this|my|our|his|her|their|the next) "
    r"(?:day|week|fortnight|shift|sprint|month|quarter|year)\b",
    re.I,
)
# A date is one specific, a time frame: the figures in "by 1 October", "May 29, 2023", "15/08/2023", "Q3
# 2022", "in 2021" are no numbers beside it (a count names an amount; a day or a year says when)
DATE = re.compile(
    rf"\b(?:{_IN_TIME})?{_DATE_DAY}?{_MONTH}(?: \d{{1,2}}(?:st|nd|rd|th)?\b,?)?(?: (?:19|20)\d\d\b)?"
    rf"|{_NUMERIC_DATE}|\b(?:in|since|by|during|until|from|of|early|late|mid-?) (?:19|20)\d\d\b(?![.,:/]\d)",
    re.I)


def in_date(span: tuple[int, int], dates: list[tuple[int, int]]) -> bool:
    """Whether a figure found at `span` is part of a date (a DATE match's span)."""
    return any(start <= span[0] and span[1] <= end for start, end in dates)


_BARE_WEEKDAY = re.compile(rf"{_WEEKDAY}s?", re.I)
_NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \t]+$")
_TIME_WORDS = frozenset(("early", "late", "mid", "last", "next", "every", "each"))


def named_day(text: str, m: re.Match) -> bool:
    """Whether a weekday TIME_FRAME found is part of a day's name ("Black Friday", "Cyber Monday", "Easter
    Sunday"): a capitalised word before it that is no word of time ("Before Friday", "Early Monday")."""
    if not _BARE_WEEKDAY.fullmatch(m.group(0).strip()):
        return False
    before = _NAME_BEFORE.search(text, 0, m.start())
    return bool(before) and before.group(1).lower() not in _text.STOPWORDS | _TIME_WORDS


# A time frame that runs up to now: what a story's result sounds like ("since one year we have had
# no incident", "it has held for a year now")
UP_TO_NOW = re.compile(
    rf"\bsince (?:a |an |one |a few |a couple of |(?:{_FIGURE}|{_COUNT}) )?{_UNIT}s?\b|\b{_UNIT}s? now\b", re.I)

# Named practices, metrics and tools an interviewer recognises as concrete (generic, any role).
PRACTICES = re.compile(
    r"\b(okrs?|kpis?|dora|mttr|mttd|slos?|slas?|slis?|error budgets?|p9[059]|latency|uptime|"
    r"availability|nps|churn|retention|conversion rates?|throughput|lead time|cycle time|"
    r"deployment frequency|change failure rate|postmortems?|post-mortems?|blameless|"
    r"retrospectives?|retros?|rfcs?|adrs?|design docs?|design reviews?|code reviews?|pairing|"
    r"pair programming|mob programming|1:1s?|1-1s?|1-on-1s?|one-on-ones?|one-to-ones?|skip-levels?|pips?|performance "
    r"improvement plan|career ladders?|levell?ing|calibration|scorecards?|structured "
    r"interviews?|rubrics?|kanban|scrum|sprints?|standups?|stand-ups?|backlog|roadmaps?|"
    r"ci/cd|ci|cd|continuous (?:integration|delivery|deployment)|feature flags?|canary|"
    r"blue-green|trunk-based|monorepo|microservices?|monolith|kubernetes|k8s|terraform|aws|"
    r"gcp|azure|jira|github|gitlab|slack|datadog|grafana|prometheus|pagerduty|on-call|"
    r"kafka|redis|elasticsearch|postgres(?:ql)?|mysql|mongodb|docker|"
    r"runbooks?|incident commander|raci|swot|rice|moscow|wsjf|a/b tests?|experiments?|"
    r"brag docs?|okr|north star|tech radar|threat model(?:ling|ing)?|pen ?tests?|"
    r"soc ?2|iso ?27001|gdpr|budget|headcount|capex|opex|unit economics|sla|"
    r"circuit[- ]breakers?|(?:exponential )?backoff|retries with jitter|rate[- ]limit(?:s|ing|er)?|"
    r"load[- ]shedding|connection pool(?:s|ing)?|idempotency keys?|dead[- ]letter queues?|chaos engineering|"
    r"game ?days?|load tests?|smoke tests?|contract tests?|integration tests?|observability|tracing|"
    r"strangler(?:[- ]fig)?|staging(?: tests?| environments?)?|(?:discovery|technical|design) spikes?|"
    r"burn-?(?:down|up)(?: charts?)?)\b",
    re.I,
)

# Tools and practices the list above does not know, told by their shape: an acronym of two to five
# capitals ("SSO", "MFA", "APIs") or a name with a capital inside it ("DynamoDB", "iOS"). A word that
# is merely capitalised ("Kafka") is not read: without a list of people's names it cannot be told
# from one ("I promoted Lena"); nor is a name with a capital after Mc, Mac, De, Le… ("McKenzie").
_ACRONYM = re.compile(r"\b[A-Z]{2,5}(?:s\b|\b)")
_CAMEL = re.compile(r"\b(?!(?:Mc|Mac|De|Di|Da|Du|Le|La|Van|Von|St)[A-Z])(?:[A-Z][a-z]+|[a-z]+)[A-Z][A-Za-z0-9]*\b")
# Capitals that name a role, a place, a time, a chat abbreviation, a unit or a roman numeral, not a tool
NOT_TOOLS = frozenset("""
    ceo cto cfo coo cpo cio ciso cmo cro cso vp svp evp avp em pm tpm po tl ic hr it pr qa ux ui
    us usa uk eu uae nyc sf la emea apac latam am est pst utc gmt cet
    ok asap fyi eta tbd tbc aka btw imo imho lol omg wfh ooo pto tldr dm faq nb ps rsvp
    mba phd bsc msc cv id iq tv pc ai ml rh vs ii iii iv vi vii viii ix xi xii kb mb gb tb
""".split())  # noqa: SIM905
# Words that are no specific in any profession, alone or together ("senior leadership", "executive
# team", "staff engagement" says nothing checkable): the vocabulary of management and of values that
# every leadership answer uses, nouns for people in general, and the everyday nouns of any technical
# answer ("the technology", "a recruiting engine", "a weak signal": a dashboard is named by its tool).
# A bank's job term made only of these is not listed (a term with a word of the field stays:
# "incident management", "patient safety", "data pipeline"); matched as written (a stem would take
# "organ" with "organisation")
GENERIC_SPECIFICS = frozenset("""
    management manage manages managed managing leadership leading ownership owner owners
    accountability accountable responsibility responsibilities executive executives senior seniors
    junior juniors director directors head heads strategy strategies strategic vision mission value
    values culture collaboration collaborative communication alignment aligned excellence innovation
    innovative empowerment empowered transparency visibility scale scales scaling scaled insight
    insights outcome outcomes result results impact efficiency productivity initiative initiatives
    priority priorities resource resources improve improves improved improving leverage synergy
    synergies mindset passion passionate commitment committed dedication dedicated integrity holistic
    journey stakeholders
    stakeholder org organisation organization organisations organizations company companies business
    people person persons staff staffing team teams teammates member members employee employees
    workforce personnel individuals colleague colleagues nurse nurses engineer engineers developer
    developers customer customers patient patients client clients user users worker workers manager
    managers leader leaders everyone everybody folks
    technology technologies tech engine tool tooling signal thinking investment invest commit
""".split())  # noqa: SIM905
# Phrases of the same kind: values and aims, not what was done ("we built psychological safety")
GENERIC_SPECIFIC_PHRASES = frozenset((
    "psychological safety", "best practice", "best practices", "growth mindset", "bias for action",
    "continuous improvement", "thought leadership", "core values", "big picture", "next level",
))
_ENGLISH = _text.STOPWORDS | _text.VAGUE | frozenset(_text.GENERIC_WORDS) | frozenset(_text.PLAIN_ALONE_WORDS)


# A standard or product named by capitals and figures: "HL7", "P99", "EC2", "S3", "ISO 27001" (a quarter
# or half of a year, "Q3", "H1", is a time frame)
_CODED = re.compile(r"\b(?![QH][1-4]\b)[A-Z]{1,5}\d{1,5}[a-z]?\b|\b[A-Z]{2,5} \d{1,5}\b(?! ?%)")
# A product told by its place in the sentence: a capitalised word after "the", "our", "their"… ("their
# Epic system", "the Stripe integration"), in brackets after what it is ("a payment provider (Adyen)"), or
# listed with a "+" ("cards + PayPal"): people's names stand in none of these places. Not a team's or a
# department's name ("our Finance team"), a title ("a Senior Engineer") nor a season's ("the Black Friday peak")
_NAMED_PRODUCT = re.compile(
    r"(?:\b(?:[Tt]he|[Oo]ur|[Tt]heir|[Ii]ts|[Yy]our)\s+|\(\s*|\+\s*)([A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)\b"
    r"(?!\s+(?:team|teams|org|group|department|squad|function|committee|office|leadership|family|people)\b)"
    r"(?![\w'’-])")
_NOT_PRODUCTS = frozenset("""
    finance sales marketing legal security design support ops operations product engineering data growth
    payments infrastructure platform mobile web board exec executive hr recruiting people research
    senior staff principal lead chief head director manager engineer architect analyst nurse doctor
    ward hospital council government ministry trust university school
    series black christmas central north south east west world pacific atlantic
""".split())  # noqa: SIM905
_CALENDAR = re.compile(rf"{_WEEKDAY}s?|{_MONTH}", re.I)


def _shouting(text: str) -> bool:
    """More capitals than small letters: every word of it would read as an acronym."""
    upper = sum(c.isupper() for c in text)
    return upper > sum(c.islower() for c in text)


def named_tools(text: str) -> list[str]:
    """Acronyms and names with an inner capital, as written: "SSO", "PagerDuty"; not "CEO", "OK" nor
    a word in capitals for emphasis ("we did NOT ship")."""
    if _shouting(text):
        return []
    out = []
    for m in _ACRONYM.finditer(text):
        word = m.group(0)
        key = (word[:-1] if word.endswith("s") else word).lower()
        if key not in NOT_TOOLS and key not in _ENGLISH and word.lower() not in _ENGLISH:
            out.append(word)
    out.extend(m.group(0) for m in _CAMEL.finditer(text))
    out.extend(m.group(0) for m in _CODED.finditer(text) if m.group(0).split()[0].lower() not in NOT_TOOLS)
    for m in _NAMED_PRODUCT.finditer(text):
        word = m.group(1)
        key = word.lower()
        if (key not in _ENGLISH and key not in _NOT_PRODUCTS and key not in GENERIC_SPECIFICS
                and key not in NOT_TOOLS and not _CALENDAR.fullmatch(word)):
            out.append(word)
    return out
