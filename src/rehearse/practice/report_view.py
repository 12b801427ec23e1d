"""The feedback report for a terminal, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rehearse.feedback.delivery import clock


def _breakdown_part(part: dict) -> str:
    """"coverage 36/40" for a part of the score; a cap has no weight: "off-topic cap −23"."""
    name = part["part"].replace("_", " ")
    if part["weight"]:
        return f"{name} {part['points']:.0f}/{part['weight']:.0f}"
    return f"{name.removesuffix(' cap')} cap {part['points']:+.0f}".replace("-", "−")


def _counts(mapping: dict) -> str:
    return ", ".join(f"{word} ×{count}" for word, count in mapping.items()) or "none"


SPECIFICS_LISTED = 16  # as many as the web report shows before its "and N more" (a long answer had 40 and more)


def specifics_shown(spec: dict | None) -> list[str]:
    """The specifics a report lists, those that say most first: named practices and tools, time
    frames, numbers not already inside a time frame ("24 hours" beside "in 24 hours"), then the
    bank's job terms; each once, whatever its case."""
    spec = spec or {}
    frames = [f.lower() for f in spec.get("time_frames", ())]
    numbers = [n for n in spec.get("numbers", ()) if not any(n.lower() in f for f in frames)]
    items = [*spec.get("named_practices", ()), *spec.get("time_frames", ()), *numbers, *spec.get("job_terms", ())]
    words = [frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in item.lower().split())
             for item in items]
    # each once, and not again inside a longer one: "sprints" beside "sprint", "budget" beside "error budget"
    return [item for i, item in enumerate(items)
            if not any(words[i] < other or (words[i] == other and j < i) for j, other in enumerate(words) if j != i)]


def task_implied(star: dict) -> bool:
    """A scene and what was done imply the task: the reports show it as implied, not missing."""
    return bool(not star.get("task") and star.get("situation") and star.get("action"))


def structure_sentence(structure: dict) -> str | None:
    """How an answer that tells no STAR story is laid out, in the words of both reports (the terminal
    said "a clear framework or steps" where the web said "6 steps laid out"); None for a story."""
    if structure.get("star"):
        return None
    steps = structure.get("steps") or 0
    laid_out = f"{steps} step{'' if steps == 1 else 's'} laid out"
    if structure.get("kind") == "situational":
        if structure.get("framework"):
            return f"A clear framework: {laid_out}."
        return "No clear framework or steps yet; lay out how you would approach it, step by step."
    return ("Neither a “tell me about a time” nor a “how would you” question: the answer’s shape is judged by how "
            f"fully it is developed{f' ({laid_out})' if steps else ''}.")


def breakdown_note(part: dict, structure: dict | None) -> str:
    """The part's note, or for a story's structure that lost points without one, what it lost them for
    ("Task implied, not said: −1"). Each STAR part and a quantified result count alike, so the points
    lost are shared out over what is missing; a missing result is no quantified one either: two shares."""
    if part.get("note") or part["part"] != "structure" or not (structure or {}).get("star"):
        return part.get("note", "")
    shares = _structure_shortfalls(structure)
    lost = part["weight"] - part["points"]
    if not shares or lost <= 0:
        return ""
    share = lost / sum(shares.values())
    return " · ".join(f"{label}: −{f'{share * count:.1f}'.removesuffix('.0')}" for label, count in shares.items())


def _structure_shortfalls(structure: dict) -> dict[str, int]:
    """What a story's structure lacks, each with the shares of the structure points it costs."""
    star = structure["star"]
    shares = {(f"{name.capitalize()} implied, not said" if name == "task" and task_implied(star)
               else f"{name.capitalize()} missing"): 1 for name, present in star.items() if not present}
    if structure.get("result_quantified") is False:
        if star.get("result"):
            shares["Result not quantified"] = 1
        else:
            shares["Result missing"] = 2
    return shares


def render_report(console: Console, question: str | None, report: dict) -> None:
    """The report, under the question it answers (None: the screen shows the question just above already)."""
    colour = "green" if report["score"] >= 70 else "yellow" if report["score"] >= 45 else "red"
    if question is not None:
        console.print(f"[bold]{escape(question)}[/]")
    points = report.get("talking_points") or []
    covered = (f"  ·  {sum(p['covered'] for p in points)} of {len(points)} talking points covered"
               if points else "")
    console.print(f"\nScore [bold {colour}]{report['score']}[/] / 100 ({report.get('grade', '')}){covered}")
    if not report["on_topic"] and report.get("grade") != "no answer":
        console.print("[bold red]This answer does not seem to address this question.[/]")
    if report.get("breakdown"):
        console.print("  " + "  ".join(_breakdown_part(part) for part in report["breakdown"]))
    table = Table("", "talking point", "strength", "evidence from your answer", show_lines=False)
    for point in report["talking_points"]:
        mark = "[green]✓[/]" if point["covered"] else "[red]✗[/]"
        # the candidate's words are text, never markup; a missed point's quote is only a near miss
        evidence = escape(point["evidence"]) if point["evidence"] else "—"
        if point["evidence"] and not point["covered"]:
            evidence = f"[dim]near miss: {evidence}[/]"
        if not report["on_topic"] and report.get("grade") != "no answer":
            # its closeness to another question's answer is no near miss of this one
            evidence = "[dim]not credited: the answer reads as one to another question[/]"
        table.add_row(mark, escape(point["point"]), f"{point['strength']:.2f}", evidence)
    if report["talking_points"]:
        console.print(table)
    structure = report["structure"]
    if structure.get("star"):
        star = structure["star"]
        implied = task_implied(star)
        parts = ", ".join(f"{'–' if name == 'task' and implied else '✓' if present else '✗'} {name}"
                          + (" (implied)" if name == "task" and implied else "")
                          for name, present in star.items())
        console.print(f"Structure (STAR): {parts}")
    else:
        console.print(f"Structure: {structure_sentence(structure)}")
    if report.get("specificity"):
        found = specifics_shown(report["specificity"])
        shown = ", ".join(found[:SPECIFICS_LISTED]) + (f" and {len(found) - SPECIFICS_LISTED} more"
                                                       if len(found) > SPECIFICS_LISTED else "")
        console.print(f"Specifics: {escape(shown) or 'none yet'}")
    delivery = report["delivery"]
    console.print(f"Delivery: {delivery['words']} words, about {clock(delivery['speaking_seconds'])} spoken "
                  f"({delivery.get('length_verdict', '')}); fillers: {_counts(delivery.get('fillers', {}))}; "
                  f"hedges: {_counts(delivery.get('hedges', {}))}; clichés: {_counts(delivery.get('cliches', {}))}")
    if report["suggestions"]:
        console.print("\n[bold]Suggestions[/]")
        for suggestion in report["suggestions"]:
            console.print(f"• {escape(suggestion['message'])}")
            if suggestion.get("example"):
                console.print(f"  [dim]e.g. “{escape(suggestion['example'])}”[/]")
    console.print(f"\n[dim]engine: {report['engine'].get('backend')} {report['engine'].get('version', '')}[/]")
