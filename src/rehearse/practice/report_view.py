"""The feedback report for a terminal, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _breakdown_part(part: dict) -> str:
    """"coverage 36/40" for a part of the score; a cap has no weight: "off-topic cap −23"."""
    name = part["part"].replace("_", " ")
    if part["weight"]:
        return f"{name} {part['points']:.0f}/{part['weight']:.0f}"
    return f"{name.removesuffix(' cap')} cap {part['points']:+.0f}".replace("-", "−")


def _counts(mapping: dict) -> str:
    return ", ".join(f"{word} ×{count}" for word, count in mapping.items()) or "none"


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
        # a scene and what was done imply the task, as the web report and the advice say
        implied = not star.get("task") and star.get("situation") and star.get("action")
        parts = ", ".join(f"{'–' if name == 'task' and implied else '✓' if present else '✗'} {name}"
                          + (" (implied)" if name == "task" and implied else "")
                          for name, present in star.items())
        console.print(f"Structure (STAR): {parts}")
    elif structure.get("kind") == "situational":
        console.print(f"Structure: {'a clear framework or steps' if structure.get('framework') else 'no clear steps'}")
    if report.get("specificity"):
        console.print(f"Specifics: {escape(', '.join(specifics_shown(report['specificity']))) or 'none yet'}")
    delivery = report["delivery"]
    console.print(f"Delivery: {delivery['words']} words, about {delivery['speaking_seconds']:.0f} s spoken "
                  f"({delivery.get('length_verdict', '')}); fillers: {_counts(delivery.get('fillers', {}))}; "
                  f"hedges: {_counts(delivery.get('hedges', {}))}; clichés: {_counts(delivery.get('cliches', {}))}")
    if report["suggestions"]:
        console.print("\n[bold]Suggestions[/]")
        for suggestion in report["suggestions"]:
            console.print(f"• {escape(suggestion['message'])}")
            if suggestion.get("example"):
                console.print(f"  [dim]e.g. “{escape(suggestion['example'])}”[/]")
    console.print(f"\n[dim]engine: {report['engine'].get('backend')} {report['engine'].get('version', '')}[/]")
