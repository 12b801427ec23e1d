"""Community use cases: suggest, vote, comment, moderate, revise, revert, notify. The only code in
community/ that touches the database session; callers own the transaction (web: one per request).

The work is split by concern, one module each, and this module gathers their public names so that
callers keep one import (`from rehearse.community import service as community`):

- rules: size and rate limits, errors, input checks, permissions, the licence
- revisions: snapshots of a question, writing a revision, diffs and three-way merges
- suggestions: suggesting an edit or a new question, previews, reading and withdrawing a suggestion
- discussion: votes, comments, reports and hiding
- moderation: the editors' queue, accepting and rejecting
- history: a question's revisions, reverting, contributors
- inbox: notifications and the unread count
- editors: admins making editors and suspending accounts
"""

from __future__ import annotations

from .discussion import (
    add_comment,
    hide_comment,
    report_comment,
    reported_comments,
    vote,
)
from .editors import (
    ban,
    list_users,
    set_role,
)
from .history import (
    HistoryEntry,
    contributors,
    history,
    revert,
)
from .inbox import (
    mark_read,
    notifications,
    notify,
    unread_count,
)
from .moderation import (
    QueueItem,
    accept,
    queue,
    queue_diffs,
    reject,
)
from .revisions import (
    Snapshot,
    current,
    diff_fields,
    fill_proposed,
    latest_row,
    merge_onto,
    question_or_404,
    revision,
    snapshot_of,
    write_revision,
)
from .rules import (
    COMMENT_LIMIT,
    DEFAULT_LICENCE,
    FIELDS,
    HISTORY_PAGE,
    MAX_ANSWER,
    MAX_COMMENT,
    MAX_INTENT,
    MAX_POINT,
    MAX_POINTS,
    MAX_QUESTION,
    MAX_REASON,
    PREVIEW_LIMIT,
    QUEUE_PAGE,
    SUGGESTION_LIMIT,
    VOTE_LIMIT,
    CommunityError,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    checked_text,
    clean_points,
    count_action,
    count_preview,
    licence_of,
    preview_allowed,
    require_active,
    require_editor,
    shorten,
)
from .suggestions import (
    Preview,
    QuestionPreview,
    SuggestionView,
    author_records,
    compact_report,
    engine_report,
    get_suggestion,
    preview_edit,
    preview_question,
    proposed_values,
    question_suggestions,
    suggest_edit,
    suggest_question,
    user_suggestions,
    view_suggestion,
    withdraw,
)

__all__ = [
    "COMMENT_LIMIT",
    "CommunityError",
    "Conflict",
    "DEFAULT_LICENCE",
    "FIELDS",
    "Forbidden",
    "HISTORY_PAGE",
    "HistoryEntry",
    "MAX_ANSWER",
    "MAX_COMMENT",
    "MAX_INTENT",
    "MAX_POINT",
    "MAX_POINTS",
    "MAX_QUESTION",
    "MAX_REASON",
    "NotFound",
    "PREVIEW_LIMIT",
    "Preview",
    "QUEUE_PAGE",
    "QuestionPreview",
    "QueueItem",
    "RateLimited",
    "SUGGESTION_LIMIT",
    "Snapshot",
    "SuggestionView",
    "VOTE_LIMIT",
    "accept",
    "add_comment",
    "author_records",
    "ban",
    "checked_text",
    "clean_points",
    "compact_report",
    "contributors",
    "count_action",
    "count_preview",
    "current",
    "diff_fields",
    "engine_report",
    "fill_proposed",
    "get_suggestion",
    "hide_comment",
    "history",
    "latest_row",
    "licence_of",
    "list_users",
    "mark_read",
    "merge_onto",
    "notifications",
    "notify",
    "preview_allowed",
    "preview_edit",
    "preview_question",
    "proposed_values",
    "question_or_404",
    "question_suggestions",
    "queue",
    "queue_diffs",
    "reject",
    "report_comment",
    "reported_comments",
    "require_active",
    "require_editor",
    "revert",
    "revision",
    "set_role",
    "shorten",
    "snapshot_of",
    "suggest_edit",
    "suggest_question",
    "unread_count",
    "user_suggestions",
    "view_suggestion",
    "vote",
    "withdraw",
    "write_revision",
]
