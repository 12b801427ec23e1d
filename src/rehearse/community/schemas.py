"""Pydantic schemas of the community API: what clients send and what they get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from rehearse.web.params import MAX_ID

from . import diff as diffs
from . import rules, service
from .markdown import render as render_markdown
from .models import Comment, Notification, Suggestion

# The service's limits, declared here so /openapi.json shows them and going over is a 422 naming the field.
# They count the characters as sent; the service counts again after trimming spaces and folding line ends.
Answer = Annotated[str, Field(max_length=service.MAX_ANSWER)]
Intent = Annotated[str, Field(max_length=service.MAX_INTENT)]
Point = Annotated[str, Field(max_length=service.MAX_POINT)]
Reason = Annotated[str, Field(max_length=service.MAX_REASON)]
Competency = Annotated[str, Field(max_length=rules.MAX_COMPETENCY)]
QuestionText = Annotated[str, Field(max_length=service.MAX_QUESTION)]


class Body(BaseModel):
    """A request body: a field this server does not know is refused (422 naming it), never silently
    dropped, so a typo such as {"reply_too": 5} or {"dry_run": true} cannot do something else."""

    model_config = ConfigDict(extra="forbid")


class Chunk(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


def chunks(items: list[diffs.Chunk]) -> list[Chunk]:
    return [Chunk(op=c.op, text=c.text) for c in items]  # type: ignore[arg-type]


class EditFields(Body):
    example_answer: Answer | None = Field(None, description="The whole suggested example answer.")
    intent: Intent | None = None
    talking_points: list[Point] | None = Field(None, max_length=service.MAX_POINTS,
                                             description="The whole list, replacing the current points: "
                                                         "at least one, none empty or given twice.")


class SuggestionCreate(EditFields):
    """A suggested edit: give only the fields you change."""

    reason: Reason = Field(..., description="Why this is better.")
    # Strict: consent is `true`, not "yes" or 1 (which lax validation took as agreeing).
    accept_licence: StrictBool = Field(False, description="You agree to publish the suggestion under the bank's "
                                       "licence (JSON true).")
    base_revision: int | None = Field(None, ge=0, le=MAX_ID, strict=True,
                                      description="The revision you edited (default: the current one).")


class NewQuestionFields(Body):
    """What a suggested new question is, besides its texts; left out, it is worked out on acceptance as an
    import works it out (the kind from the question's wording, the competencies from its words)."""

    kind: Literal["behavioural", "situational", "other"] | None = Field(
        None, description="Behavioural (asks for a past story), situational (asks for an approach) or other.")
    competencies: list[Competency] | None = Field(
        None, max_length=service.MAX_COMPETENCIES,
        description="The competencies it tests, as the bank writes them (e.g. \"hiring\", \"people-management\"; "
                    "\"People management\" is stored so); no commas.")


class QuestionSuggestionCreate(EditFields, NewQuestionFields):
    text: QuestionText = Field(..., description="The new question.")
    reason: Reason
    accept_licence: StrictBool = Field(False, description="You agree to publish the suggestion under the bank's "
                                       "licence (JSON true).")


class PreviewRead(BaseModel):
    base_revision: int
    changed: list[str]
    diffs: dict[str, list[Chunk]]
    report: dict[str, Any] | None = Field(None, description="The feedback engine's report of the suggested "
                                                            "example answer against the (suggested) talking points.")

    @classmethod
    def of(cls, preview: service.Preview) -> PreviewRead:
        return cls(base_revision=preview.base.revision, changed=preview.changed_fields,
                   diffs={k: chunks(v) for k, v in preview.diffs.items()}, report=preview.report)


class QuestionFields(EditFields, NewQuestionFields):
    text: QuestionText = Field(..., description="The new question.")


class QuestionPreviewRead(BaseModel):
    """A suggested new question as its page would show it, checked as a suggestion is."""

    role_id: int
    text: str
    intent: str | None
    talking_points: list[str]
    example_answer: str | None
    kind: str | None = Field(None, description="As given (null: worked out from the text on acceptance).")
    competencies: list[str] | None = Field(None, description="As they will be stored (null: inferred on "
                                           "acceptance).")
    report: dict[str, Any] | None = Field(None, description="The feedback engine's report of the example "
                                                            "answer against the question's own talking points.")
    digest: str = Field(..., description="Names exactly this content.")

    @classmethod
    def of(cls, preview: service.QuestionPreview) -> QuestionPreviewRead:
        return cls(role_id=preview.role.id, text=preview.text, intent=preview.intent,
                   talking_points=preview.talking_points, example_answer=preview.example_answer,
                   kind=preview.kind, competencies=preview.competencies, report=preview.report,
                   digest=preview.digest)


class CommentRead(BaseModel):
    id: int
    author: str
    reply_to: int | None
    created_at: datetime
    hidden: bool
    body: str | None = Field(None, description="The Markdown as written (null when hidden).")
    html: str | None = Field(None, description="The Markdown rendered safely (null when hidden).")

    @classmethod
    def of(cls, comment: Comment) -> CommentRead:
        visible = not comment.hidden
        return cls(id=comment.id, author=comment.author.display_name, reply_to=comment.reply_to_id,
                   created_at=comment.created_at, hidden=comment.hidden, body=comment.body if visible else None,
                   html=str(render_markdown(comment.body)) if visible else None)


class ReportRead(BaseModel):
    reporter: str = Field(..., description="The reporter's display name.")
    reason: str
    created_at: datetime


class ReportedCommentRead(CommentRead):
    """A reported comment as editors see it: where it is, how many reported it, and why."""

    suggestion_id: int
    reports: int = Field(..., description="How many people reported it.")
    reasons: list[ReportRead] = Field(..., description="Each report, oldest first.")

    @classmethod
    def of_reported(cls, reported: service.ReportedComment) -> ReportedCommentRead:
        comment = reported.comment
        return cls(**CommentRead.of(comment).model_dump(), suggestion_id=comment.suggestion_id,
                   reports=comment.reports,
                   reasons=[ReportRead(reporter=r.reporter, reason=r.reason, created_at=r.created_at)
                            for r in reported.reports])


class SuggestionSummary(BaseModel):
    id: int
    kind: str
    question_id: int | None
    role_id: int | None
    status: str
    reason: str
    votes: int
    up: int
    down: int
    base_revision: int | None
    revision: int | None = Field(None, description="The revision an acceptance made (None for a suggestion "
                                 "accepted on another Rehearse when no revision here says the text it made).")
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None
    question_kind: str | None = Field(None, description="A suggested new question's kind, as its author gave it "
                                      "(null: worked out from its text on acceptance).")
    competencies: list[str] | None = Field(None, description="A suggested new question's competencies, as its "
                                           "author gave them (null: inferred on acceptance).")

    @classmethod
    def of(cls, s: Suggestion) -> SuggestionSummary:
        return cls(id=s.id, kind=s.kind, question_id=s.question_id, role_id=s.role_id, status=s.status,
                   reason=s.reason, votes=s.votes, up=s.up, down=s.down, base_revision=s.base_revision,
                   revision=s.revision, decision_reason=s.decision_reason, created_at=s.created_at,
                   decided_at=s.decided_at, question_kind=s.question_kind, competencies=s.competencies)


class SuggestionRead(SuggestionSummary):
    author: str
    author_record: dict[str, int]
    question_text: str | None
    proposed: dict[str, Any]
    diffs: dict[str, list[Chunk]]
    report: dict[str, Any] | None
    licence: str | None
    stale: bool
    current_revision: int | None
    changed_since: dict[str, list[Chunk]] = Field(default_factory=dict,
                                                  description="Stale only: base revision -> current revision.")
    merged: dict[str, Any] | None = Field(None, description="Stale only: what accepting would store.")
    conflict: str | None = None
    my_vote: int = 0
    edited_by: str | None = Field(None, description="Accepted: the editor who changed it before accepting it "
                                  "(null when it was accepted as suggested).")
    intent_warning: str | None = Field(None, description="Pending: accepting it changes the talking points and "
                                       "the intent lists them without that change; accepted: the revision it "
                                       "made did so. The intent is never rewritten for you: edit it if it should "
                                       "say the change. Null otherwise.")
    scored_revision: int | None = Field(None, description="The revision whose talking points `report` measures "
                                        "(an edit's; see the queue's scored_revision).")
    comments: list[CommentRead]

    @classmethod
    def of_view(cls, view: service.SuggestionView) -> SuggestionRead:
        s = view.suggestion
        return cls(**SuggestionSummary.of(s).model_dump(), author=s.author.display_name,
                   author_record=view.author_record,
                   question_text=s.question.text if s.question else s.question_text, proposed=view.proposed,
                   diffs={k: chunks(v) for k, v in view.diffs.items()}, report=s.report, licence=s.licence,
                   stale=view.stale, current_revision=view.current.revision if view.current else None,
                   changed_since={k: chunks(v) for k, v in view.since.items()}, merged=view.merge,
                   conflict=view.conflict, my_vote=view.my_vote, edited_by=view.edited_by,
                   intent_warning=view.intent_warning, scored_revision=view.scored_revision,
                   comments=[CommentRead.of(c) for c in view.comments])


class QueueItemRead(BaseModel):
    id: int
    kind: str
    question_id: int | None
    question_text: str
    author: str
    author_accepted: int
    author_rejected: int
    reason: str
    votes: int
    up: int
    down: int
    comments: int
    created_at: datetime
    fields: list[str]
    base_revision: int | None
    current_revision: int | None
    stale: bool
    score: int | None
    missed_points: list[str]
    scored_revision: int | None = Field(None, description="The revision whose talking points `score` and "
                                        "`missed_points` are measured against (null: a new question, or no "
                                        "report). Older than current_revision until the re-score that an "
                                        "accepted edit or a revert queues has run; a stale suggestion whose "
                                        "change conflicts with the current revision keeps its own.")

    @classmethod
    def of(cls, item: service.QueueItem) -> QueueItemRead:
        return cls(id=item.id, kind=item.kind, question_id=item.question_id, question_text=item.question_text,
                   author=item.author_name, author_accepted=item.accepted, author_rejected=item.rejected,
                   reason=item.reason, votes=item.votes, up=item.up, down=item.down, comments=item.comments,
                   created_at=item.created_at, fields=list(item.fields), base_revision=item.base_revision,
                   current_revision=item.current_revision, stale=item.stale, score=item.score,
                   missed_points=list(item.missed), scored_revision=item.scored_revision)


class QueueRead(BaseModel):
    total: int
    items: list[QueueItemRead]


class VoteCreate(Body):
    value: Literal[-1, 0, 1] = Field(..., description="1 up, -1 down, 0 takes your vote back.")

    @field_validator("value", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        if type(value) is not int:  # true and 1.0 equal 1: lax validation counted them as up-votes
            raise ValueError("a vote is the number 1, -1 or 0")
        return value


class CommentCreate(Body):
    body: str = Field(..., max_length=service.MAX_COMMENT, description="Markdown; raw HTML is shown as text.")
    reply_to: int | None = Field(None, ge=1, le=MAX_ID, strict=True, description="The comment this one answers.")


class ReasonBody(Body):
    reason: Reason


class HideBody(ReasonBody):
    hidden: StrictBool = True


class AcceptEdits(EditFields, NewQuestionFields):
    """An editor's edit of a suggestion: kind and competencies are a suggested new question's only."""


class AcceptBody(Body):
    note: Reason | None = Field(None, description="An editor's note, added to the revision's reason.")
    edited: AcceptEdits | None = Field(None, description="Edit, then accept: the fields given replace the suggested "
                                       "ones, those left out keep what the suggestion proposes ({} accepts it as "
                                       "proposed). A suggested new question's kind and competencies may be given "
                                       "too (400 for an edit of an existing question). An edit that changes "
                                       "something is recorded: the history says the editor edited it.")
    edited_base: int | None = Field(None, ge=0, le=MAX_ID, strict=True,
                                    description="The revision the edit was made against (default: the "
                                    "one the suggestion was made against, so the edit is merged like it).")


class RevertBody(Body):
    revision: int = Field(..., ge=1, le=MAX_ID, strict=True)
    reason: Reason


class RevisionRead(BaseModel):
    revision: int
    question_id: int
    source: str
    author_id: int | None
    suggestion_id: int | None
    reverted_from: int | None
    created_at: datetime


class HistoryEntryRead(BaseModel):
    revision: int
    created_at: datetime
    source: str
    author: str | None
    reason: str | None
    suggestion_id: int | None
    reverted_from: int | None
    edited_by: str | None = Field(None, description="The editor who changed the suggestion before accepting it "
                                  "(edit, then accept): the author is credited with the suggestion, not with "
                                  "this revision's every word. Null when it was accepted as suggested.")
    changed: list[str]
    diffs: dict[str, list[Chunk]]

    @classmethod
    def of(cls, entry: service.HistoryEntry) -> HistoryEntryRead:
        return cls(revision=entry.revision, created_at=entry.created_at, source=entry.source, author=entry.author,
                   reason=entry.reason, suggestion_id=entry.suggestion_id, reverted_from=entry.reverted_from,
                   edited_by=entry.edited_by, changed=list(entry.changed),
                   diffs={k: chunks(v) for k, v in entry.diffs.items()})


class HistoryRead(BaseModel):
    question_id: int
    total: int
    page: int
    revisions: list[HistoryEntryRead]


class NotificationRead(BaseModel):
    id: int
    kind: str
    suggestion_id: int | None
    message: str
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, n: Notification) -> NotificationRead:
        return cls(id=n.id, kind=n.kind, suggestion_id=n.suggestion_id, message=n.message, created_at=n.created_at,
                   read=n.read_at is not None)


class UnreadRead(BaseModel):
    unread: int


class MarkRead(Body):
    # Unknown fields matter most here: a typo such as {"idz": [1]} would otherwise read as "mark all".

    # Strict whole numbers in the id range: "1" or 2**40 is a 422, not a string matched or a database overflow.
    # At most 1,000 ids a call keeps the IN list well under the databases' limits on bound parameters.
    ids: list[Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]] | None = Field(
        None, max_length=1000, description="Notifications to mark read; all when omitted (or with no body).")


class RoleBody(Body):
    role: Literal["candidate", "editor", "admin"]


class UserRead(BaseModel):
    """An account as admins see it: display names need not be unique (anyone may call themself "editor"),
    so the e-mail address says who it is."""

    id: int
    display_name: str
    email: str
    role: str
    active: bool

    @classmethod
    def of(cls, user) -> UserRead:
        return cls(id=user.id, display_name=user.display_name, email=user.email, role=user.role, active=user.active)


class BanRead(BaseModel):
    withdrawn: int = Field(..., description="How many pending suggestions were withdrawn.")
