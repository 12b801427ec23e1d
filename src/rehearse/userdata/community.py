"""The user's community data in their export: their suggestions (with the decisions on them), their comments,
their votes, their reports of comments and their notifications; and loading it back.

No database ids: the user's own suggestions and comments are numbered in the document, and a suggestion of
someone else (one the user voted on or commented on) is named by what it changes (kind, question or role)
and the moment it was made. On import such a suggestion is looked for on this server; when it is not there
(another person's suggestion on another server), the vote or comment on it is left out and counted. A report of
someone else's comment names the comment by its suggestion and the moment it was written, and is left out the same
way when that comment is not on this server.
What belongs to other people is never exported: their votes and comments, who decided, who hid a comment.
Suggestion and comment counters (votes, comments, reports) are recomputed from what is loaded, so they are not in
the document.
An edit suggestion carries the text it was made against ("base": example answer, intent and talking points),
not that revision's number, which means nothing (or another text) on another server. On import it is re-based
onto the newest revision here that says exactly that text, so it is stale when this server's question has
moved on since; when no revision here ever said it, the text itself is kept as the suggestion's base. Either
way the three-way difference is against what the author saw, and accepting never overwrites a newer text.
A suggested new question carries the kind and competencies its author gave ("question_kind", "competencies";
null when none were given: they are worked out on acceptance), checked on import by the suggestion form's rules.
An accepted suggestion likewise carries the text its acceptance made ("accepted"), not "accepted as revision N":
on import it is linked to the first revision here that says exactly that text, and when none does it keeps no
revision number (a number from another server would name another text, or nothing) but keeps the text, so it
exports the same again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Bank, Role
from rehearse.community.history import forget_contributor
from rehearse.community.models import Comment, CommentReport, Notification, Suggestion, Vote
from rehearse.community.revisions import matching_revision, revision
from rehearse.community.rules import FIELDS, CommunityError, checked_kind, clean_competencies
from rehearse.community.suggestions import proposed_values, refuse_pending_question, refuse_repeated_edit
from rehearse.scheduling.fsrs_card import utc

QuestionRef = Callable[[int], dict[str, str]]
Rejected = type[ValueError]


def _time(moment: datetime | None) -> str | None:
    return utc(moment).isoformat() if moment else None


def _role_refs(session: Session, role_ids: set[int]) -> dict[int, dict[str, str]]:
    rows = session.execute(select(Role.id, Role.slug, Bank.slug).join(Bank, Bank.id == Role.bank_id)
                           .where(Role.id.in_(role_ids))).all() if role_ids else []
    return {role_id: {"bank": bank, "role": slug} for role_id, slug, bank in rows}


def export_community(session: Session, *, user: User, ref: QuestionRef) -> dict[str, Any]:
    """The "community" part of the user's document."""
    own = session.scalars(select(Suggestion).where(Suggestion.author_id == user.id)
                          .order_by(Suggestion.created_at, Suggestion.id)).all()
    number = {s.id: index + 1 for index, s in enumerate(own)}
    comments = session.scalars(select(Comment).where(Comment.author_id == user.id)
                               .order_by(Comment.created_at, Comment.id)).all()
    comment_number = {c.id: index + 1 for index, c in enumerate(comments)}
    votes = session.scalars(select(Vote).where(Vote.user_id == user.id)
                            .order_by(Vote.created_at, Vote.suggestion_id)).all()
    notes = session.scalars(select(Notification).where(Notification.user_id == user.id)
                            .order_by(Notification.created_at, Notification.id)).all()
    reports = session.execute(select(CommentReport, Comment).join(Comment, Comment.id == CommentReport.comment_id)
                              .where(CommentReport.user_id == user.id)
                              .order_by(CommentReport.created_at, CommentReport.comment_id)).all()
    others_ids = ({c.suggestion_id for c in comments} | {v.suggestion_id for v in votes}
                  | {n.suggestion_id for n in notes if n.suggestion_id}
                  | {c.suggestion_id for _, c in reports}) - set(number)
    others = {s.id: s for s in session.scalars(select(Suggestion).where(Suggestion.id.in_(others_ids)))} \
        if others_ids else {}
    roles = _role_refs(session, {s.role_id for s in [*own, *others.values()] if s.role_id})

    def target(s: Suggestion) -> dict[str, Any]:
        return {"question": ref(s.question_id) if s.question_id else None,
                "role": roles[s.role_id] if s.role_id else None}

    def on(suggestion_id: int | None) -> dict[str, Any] | None:
        if suggestion_id is None:
            return None
        if suggestion_id in number:
            return {"mine": number[suggestion_id]}
        s = others[suggestion_id]
        return {"kind": s.kind, **target(s), "created_at": _time(s.created_at)}

    def base(s: Suggestion) -> dict[str, Any] | None:
        if s.kind != "edit" or s.question_id is None:
            return None
        seen, _ = proposed_values(session, s)
        return {name: seen.get(name) for name in FIELDS}

    def accepted(s: Suggestion) -> dict[str, Any] | None:
        """The text the acceptance made: that revision's here, or the text kept from another server."""
        if s.status != "accepted":
            return None
        if s.accepted_text is not None:
            return {name: s.accepted_text.get(name) for name in FIELDS}
        made = revision(session, s.question_id, s.revision) if s.revision and s.question_id else None
        return {name: made.get(name) for name in FIELDS} if made else None

    def comment(c: Comment) -> dict[str, Any]:
        """The user's own comment by number; someone else's by its suggestion and when it was written."""
        if c.id in comment_number:
            return {"mine": comment_number[c.id]}
        return {"on": on(c.suggestion_id), "created_at": _time(c.created_at)}

    return {
        "suggestions": [{
            "number": number[s.id], "kind": s.kind, **target(s), "base": base(s),
            "question_text": s.question_text, "question_kind": s.question_kind, "competencies": s.competencies,
            "example_answer": s.example_answer, "intent": s.intent,
            "talking_points": s.talking_points, "reason": s.reason, "licence": s.licence, "report": s.report,
            "status": s.status, "decision_reason": s.decision_reason, "decided_at": _time(s.decided_at),
            "accepted": accepted(s), "created_at": _time(s.created_at),
        } for s in own],
        "comments": [{
            "number": comment_number[c.id], "on": on(c.suggestion_id), "body": c.body,
            "reply_to": comment_number.get(c.reply_to_id),  # a reply to someone else's comment keeps no link
            "hidden": c.hidden, "hidden_reason": c.hidden_reason, "created_at": _time(c.created_at),
        } for c in comments],
        "votes": [{"on": on(v.suggestion_id), "value": v.value, "created_at": _time(v.created_at),
                   "updated_at": _time(v.updated_at)} for v in votes],
        "notifications": [{"kind": n.kind, "on": on(n.suggestion_id), "message": n.message,
                           "created_at": _time(n.created_at), "read_at": _time(n.read_at)} for n in notes],
        "comment_reports": [{"comment": comment(c), "reason": r.reason, "created_at": _time(r.created_at)}
                            for r, c in reports],
    }


def has_community_data(session: Session, user: User) -> bool:
    return any(session.scalar(select(column).where(owner == user.id).limit(1)) is not None
               for column, owner in ((Suggestion.id, Suggestion.author_id), (Comment.id, Comment.author_id),
                                     (Vote.suggestion_id, Vote.user_id), (Notification.id, Notification.user_id),
                                     (CommentReport.comment_id, CommentReport.user_id)))


def forget(session: Session, *, user: User) -> None:
    """Take the user's votes, comments and reports out of other people's counters, and their name out of the
    banks' credits, before the account goes (the rows themselves go with it, by the database's cascades)."""
    forget_contributor(session, user=user)
    for suggestion_id, value in session.execute(select(Vote.suggestion_id, Vote.value)
                                                .where(Vote.user_id == user.id)):
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id).values(
            votes=Suggestion.votes - value, up=Suggestion.up - int(value == 1),
            down=Suggestion.down - int(value == -1)))
    for suggestion_id, count in session.execute(select(Comment.suggestion_id, func.count())
                                                .where(Comment.author_id == user.id).group_by(Comment.suggestion_id)):
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(comment_count=Suggestion.comment_count - count))
    session.execute(update(Comment).where(Comment.id.in_(select(CommentReport.comment_id)
                                                         .where(CommentReport.user_id == user.id)))
                    .values(reports=Comment.reports - 1))


def question_refs(part: dict[str, Any]) -> list[dict[str, str]]:
    """Every question the community part names, so the caller can check they are all on this server."""
    refs = [s["question"] for s in part.get("suggestions", ()) if s.get("question")]
    for key in ("comments", "votes", "notifications"):
        refs += [item["on"]["question"] for item in part.get(key, ())
                 if item.get("on") and "mine" not in item["on"] and item["on"].get("question")]
    for report in part.get("comment_reports", ()):
        on = report["comment"].get("on")
        if on and "mine" not in on and on.get("question"):
            refs.append(on["question"])
    return refs


def _texts(seen: dict[str, Any], what: str, where: str, rejected: Rejected) -> dict[str, Any]:
    """A question's texts as a document gives them (a base, or what an acceptance made), checked."""
    values = {"example_answer": seen["example_answer"], "intent": seen["intent"],
              "talking_points": seen["talking_points"]}
    if not (all(isinstance(values[name], str | None) for name in ("example_answer", "intent"))
            and isinstance(values["talking_points"], list)
            and all(isinstance(point, str) for point in values["talking_points"])):
        raise rejected(f"{where}: its {what} must hold an example answer and intent (text or null) and talking "
                       "points (a list of text).")
    return values


def _rebased(session: Session, question: int | None, s: dict[str, Any], where: str,
             rejected: Rejected) -> tuple[int | None, dict[str, Any] | None]:
    """An imported edit's base here: the newest revision that says what the author saw, else that text itself."""
    seen = s.get("base")
    if seen is None or question is None:  # version 1 documents carry only the source's revision number
        return None, None
    values = _texts(seen, "base", where, rejected)
    number = matching_revision(session, question, values)
    return (number, None) if number is not None else (None, values)


def _accepted_as(session: Session, question: int | None, s: dict[str, Any], where: str,
                 rejected: Rejected) -> tuple[int | None, dict[str, Any] | None]:
    """An imported acceptance's revision here: the first that says the text it made, else no number and that text.

    Version 1 and 2 documents name only the source's revision number, which is dropped: unchecked, it would
    point at another text here, or at nothing."""
    made = s.get("accepted")
    if s["status"] != "accepted" or made is None or question is None:
        return None, None
    values = _texts(made, "accepted text", where, rejected)
    number = matching_revision(session, question, values, first=True)
    return (number, None) if number else (None, values)  # 0 is the question before any revision: none made it


def _new_question_facets(s: dict[str, Any], where: str, rejected: Rejected) -> tuple[str | None, list[str] | None]:
    """A suggested new question's kind and competencies, checked by the rules the suggestion form applies;
    None for either when the document leaves it out (versions 1 to 4 do): it is worked out on acceptance."""
    kind, names = s.get("question_kind"), s.get("competencies")
    if s["kind"] != "new_question":
        given = "question_kind" if kind is not None else "competencies" if names is not None else None
        if given:
            raise rejected(f"{where}: {given} is given to a suggested new question only, and this suggestion is "
                           "an edit. Nothing was imported.")
        return None, None
    if kind is not None and not isinstance(kind, str):
        raise rejected(f"{where}: question_kind is text or null. Nothing was imported.")
    if names is not None and not (isinstance(names, list) and all(isinstance(name, str) for name in names)):
        raise rejected(f"{where}: competencies is a list of text or null. Nothing was imported.")
    try:
        kind = checked_kind(kind)
    except CommunityError as error:
        raise rejected(f"{where}: question_kind: {error} Nothing was imported.") from None
    try:
        names = clean_competencies(names)
    except CommunityError as error:
        raise rejected(f"{where}: competencies: {error} Nothing was imported.") from None
    return kind, names


def import_community(session: Session, *, user: User, part: dict[str, Any], question_id: Callable[[dict], int],
                     parse_time: Callable[[Any, str], datetime | None], rejected: Rejected) -> dict[str, int]:
    """Load the community part for this user; counts of what was loaded and of what was left out."""

    def role_id(ref: dict[str, str] | None, where: str) -> int | None:
        if ref is None:
            return None
        found = session.scalar(select(Role.id).join(Bank, Bank.id == Role.bank_id)
                               .where(Bank.slug == ref["bank"], Role.slug == ref["role"]))
        if found is None:
            raise rejected(f"{where}: the role {ref['bank']}/{ref['role']} is not on this server; import its bank "
                           "first. Nothing was imported.")
        return found

    own: dict[int, Suggestion] = {}
    for index, s in enumerate(part.get("suggestions", ())):
        where = f"suggestion {index + 1}"
        if s["kind"] not in ("edit", "new_question") or s["status"] not in ("pending", "accepted", "rejected",
                                                                              "withdrawn"):
            raise rejected(f"{where}: kind {s['kind']!r} or status {s['status']!r} does not exist.")
        question = question_id(s["question"]) if s["question"] else None
        base_revision, imported_base = _rebased(session, question, s, where, rejected) if s["kind"] == "edit" \
            else (None, None)
        accepted_revision, accepted_text = _accepted_as(session, question, s, where, rejected)
        question_kind, competencies = _new_question_facets(s, where, rejected)
        suggestion = Suggestion(
            kind=s["kind"], question_id=question, role_id=role_id(s["role"], where), author_id=user.id,
            base_revision=base_revision, imported_base=imported_base, question_text=s["question_text"],
            question_kind=question_kind, competencies=competencies, example_answer=s["example_answer"],
            intent=s["intent"], talking_points=s["talking_points"], reason=s["reason"], licence=s["licence"],
            report=s["report"], status=s["status"], votes=0, up=0, down=0, comment_count=0,
            decision_reason=s["decision_reason"],
            decided_at=parse_time(s["decided_at"], where), revision=accepted_revision, accepted_text=accepted_text,
            created_at=parse_time(s["created_at"], where))
        if suggestion.question_id is None and suggestion.role_id is None:
            raise rejected(f"{where}: it names neither a question nor a role.")
        if suggestion.status == "pending":  # one pending suggestion of each change, as the suggestion forms keep
            try:
                if suggestion.kind == "edit":
                    refuse_repeated_edit(session, question_id=question,
                                         fields={name: s[name] for name in FIELDS})
                else:  # (one for a question the role has since gained is kept: it is refused when accepted)
                    refuse_pending_question(session, role_id=suggestion.role_id, text=s["question_text"] or "")
            except CommunityError as repeated:
                raise rejected(f"{where}: {repeated} Nothing was imported.") from None
        session.add(suggestion)
        session.flush()
        own[s["number"]] = suggestion

    def find(on: dict[str, Any] | None, where: str) -> int | None:
        """The suggestion an item is on: the user's own by number, someone else's by what and when."""
        if on is None:
            return None
        if "mine" in on:
            if on["mine"] not in own:
                raise rejected(f"{where}: it is on suggestion {on['mine']!r}, which the document does not have.")
            return own[on["mine"]].id
        statement = select(Suggestion.id).where(Suggestion.kind == on["kind"],
                                                Suggestion.created_at == parse_time(on["created_at"], where))
        if on.get("question"):
            statement = statement.where(Suggestion.question_id == question_id(on["question"]))
        if on.get("role"):
            statement = statement.where(Suggestion.role_id == role_id(on["role"], where))
        return session.scalar(statement.order_by(Suggestion.id).limit(1))

    left_out = 0
    comments: dict[int, int] = {}
    for index, c in enumerate(part.get("comments", ())):
        where = f"comment {index + 1}"
        suggestion_id = find(c["on"], where)
        if suggestion_id is None:
            left_out += 1
            continue
        comment = Comment(suggestion_id=suggestion_id, author_id=user.id, body=c["body"],
                          reply_to_id=comments.get(c["reply_to"]) if c["reply_to"] else None,
                          hidden=bool(c["hidden"]), hidden_reason=c["hidden_reason"], reports=0,
                          created_at=parse_time(c["created_at"], where))
        session.add(comment)
        session.flush()
        comments[c["number"]] = comment.id
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(comment_count=Suggestion.comment_count + 1))
    votes = 0
    for index, v in enumerate(part.get("votes", ())):
        where = f"vote {index + 1}"
        if v["value"] not in (-1, 1):
            raise rejected(f"{where}: a vote is 1 or -1, not {v['value']!r}.")
        suggestion_id = find(v["on"], where)
        if suggestion_id is None:
            left_out += 1
            continue
        if session.scalar(select(Suggestion.author_id).where(Suggestion.id == suggestion_id)) == user.id:
            raise rejected(f"{where}: it is a vote on the user's own suggestion, which Rehearse does not allow.")
        session.add(Vote(suggestion_id=suggestion_id, user_id=user.id, value=v["value"],
                         created_at=parse_time(v["created_at"], where), updated_at=parse_time(v["updated_at"], where)))
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id).values(
            votes=Suggestion.votes + v["value"], up=Suggestion.up + int(v["value"] == 1),
            down=Suggestion.down + int(v["value"] == -1)))
        votes += 1
    notifications = 0
    for index, n in enumerate(part.get("notifications", ())):
        where = f"notification {index + 1}"
        suggestion_id = find(n["on"], where)
        if n["on"] is not None and suggestion_id is None:
            left_out += 1
            continue
        session.add(Notification(user_id=user.id, kind=n["kind"], suggestion_id=suggestion_id, message=n["message"],
                                 created_at=parse_time(n["created_at"], where),
                                 read_at=parse_time(n["read_at"], where)))
        notifications += 1
    reported: set[int] = set()
    own_numbers = {c["number"] for c in part.get("comments", ())}
    for index, r in enumerate(part.get("comment_reports", ())):
        where = f"comment report {index + 1}"
        ref = r["comment"]
        if "mine" in ref:
            if ref["mine"] not in own_numbers:
                raise rejected(f"{where}: it is on comment {ref['mine']!r}, which the document does not have.")
            comment_id = comments.get(ref["mine"])  # None when that comment was left out
        else:
            suggestion_id = find(ref["on"], where)
            comment_id = None if suggestion_id is None else session.scalar(
                select(Comment.id).where(Comment.suggestion_id == suggestion_id,
                                         Comment.created_at == parse_time(ref["created_at"], where))
                .order_by(Comment.id).limit(1))
        if comment_id is None:
            left_out += 1
            continue
        if comment_id in reported:
            raise rejected(f"{where}: the same comment is reported twice; Rehearse keeps one report per person.")
        reported.add(comment_id)
        session.add(CommentReport(comment_id=comment_id, user_id=user.id, reason=r["reason"],
                                  created_at=parse_time(r["created_at"], where)))
        session.execute(update(Comment).where(Comment.id == comment_id).values(reports=Comment.reports + 1))
    session.flush()
    return {"suggestions": len(own), "comments": len(comments), "votes": votes, "notifications": notifications,
            "comment_reports": len(reported), "community_left_out": left_out}

