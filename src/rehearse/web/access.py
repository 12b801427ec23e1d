"""Who may use each route: the one list of every page and API endpoint, and who it is for.

tests/integration/web/test_access.py holds the app to this list: every route the app serves
must be listed here (and nothing else), and it walks the list as five people — anonymous,
candidates A and B, an editor and an admin — checking that each is let in or kept out as the
list says. The checks in the views (ApiUser, PageUser, the editor and admin dependencies,
owner filters in the services) do the keeping out; this list is what they must add up to.

Adding a route (one line, next to its feature's others):

    Route("GET", "/api/widgets/{widget_id}", OWNER),

* method and path exactly as declared (path parameters in braces, with the router's prefix);
* the access level, one of:
  - PUBLIC: anyone, signed in or not;
  - SIGNED_IN: any account; anonymous callers get 401 (API) or a redirect to /signin (pages);
  - OWNER: any account, but the path names one user's private thing; everyone else, editors
    and admins included, gets 404 (or 403), exactly as if it did not exist;
  - EDITOR: editors and admins; candidates get 403;
  - ADMIN: admins only.
* If the path has a parameter the walk has no sample for yet, add a sample maker to SAMPLES
  in tests/integration/web/test_access.py (for OWNER routes, something candidate A owns).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "anyone"
    SIGNED_IN = "any account"
    OWNER = "its owner only"
    EDITOR = "editors and admins"
    ADMIN = "admins"


PUBLIC, SIGNED_IN, OWNER, EDITOR, ADMIN = Access


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    access: Access
    note: str = ""


ROUTES: tuple[Route, ...] = (
    # --- operations and docs
    Route("GET", "/healthz", PUBLIC),
    Route("GET", "/readyz", PUBLIC),
    Route("GET", "/metrics", PUBLIC, "aggregate figures by route template; no ids, users or queries"),
    Route("GET", "/docs", PUBLIC),
    Route("GET", "/redoc", PUBLIC),
    # --- browsing pages
    Route("GET", "/", PUBLIC, "signed in: also the latest attempts"),
    Route("GET", "/roles/{reference}", PUBLIC),
    Route("GET", "/questions/{question_id}", PUBLIC),
    Route("GET", "/search", PUBLIC),
    Route("GET", "/random", PUBLIC),
    # --- practice pages
    Route("GET", "/practice/{question_id}", PUBLIC),
    Route("POST", "/practice/{question_id}", PUBLIC, "anonymous: scored, not kept; rate limited per address"),
    Route("POST", "/practice/{question_id}/recording", PUBLIC, "anonymous: rate limited per address"),
    Route("GET", "/practice/{question_id}/stories", SIGNED_IN, "the caller's own stories that fit the question"),
    Route("GET", "/attempts/{attempt_id}", OWNER),
    Route("GET", "/history", SIGNED_IN),
    # --- account pages
    Route("GET", "/signup", PUBLIC),
    Route("POST", "/signup", PUBLIC, "rate limited per address"),
    Route("GET", "/signin", PUBLIC),
    Route("POST", "/signin", PUBLIC, "back-off per account and address"),
    Route("POST", "/signout", PUBLIC),
    Route("GET", "/settings", SIGNED_IN),
    Route("GET", "/settings/tokens", PUBLIC),  # a redirect to /settings, which asks for an account
    Route("POST", "/settings/tokens", SIGNED_IN),
    Route("POST", "/settings/name", SIGNED_IN),
    Route("POST", "/settings/password", SIGNED_IN),
    Route("POST", "/settings/tokens/{token_id}/revoke", OWNER),
    Route("GET", "/account/data", SIGNED_IN, "the signed-in user's own data"),
    Route("POST", "/account/data", SIGNED_IN),
    Route("GET", "/account/data.json", SIGNED_IN),
    Route("POST", "/account/delete", SIGNED_IN, "deletes the signed-in user's own account"),
    # --- review, mock interviews, progress, stories (pages)
    Route("GET", "/review", SIGNED_IN),
    Route("GET", "/review/next", SIGNED_IN),
    Route("POST", "/attempts/{attempt_id}/rating", OWNER),
    Route("POST", "/review/optimise", SIGNED_IN),
    Route("GET", "/mock", SIGNED_IN),
    Route("POST", "/mock", SIGNED_IN),
    Route("GET", "/mocks/{mock_id}", OWNER),
    Route("POST", "/mocks/{mock_id}/answer", OWNER),
    Route("POST", "/mocks/{mock_id}/resume", OWNER),
    Route("POST", "/mocks/{mock_id}/share", OWNER),
    Route("GET", "/mocks/{mock_id}/stories", OWNER, "the stories that fit its question, loaded after the page"),
    Route("GET", "/mocks/{mock_id}/abandon", OWNER, "asks to confirm"),
    Route("POST", "/mocks/{mock_id}/abandon", OWNER, "deletes an unfinished mock"),
    Route("GET", "/shared/mocks/{token}", PUBLIC, "a capability link: whoever holds the token"),
    Route("GET", "/progress", SIGNED_IN),
    Route("GET", "/stories", SIGNED_IN),
    Route("POST", "/stories", SIGNED_IN),
    Route("GET", "/stories/{story_id}", OWNER),
    Route("POST", "/stories/{story_id}", OWNER),
    Route("GET", "/stories/{story_id}/delete", OWNER, "asks to confirm"),
    Route("POST", "/stories/{story_id}/delete", OWNER),
    Route("GET", "/stories/{story_id}/score", OWNER),
    Route("GET", "/plans", SIGNED_IN),
    Route("POST", "/plans", SIGNED_IN),
    Route("GET", "/plans/{plan_id}", OWNER),
    Route("POST", "/plans/{plan_id}/mock", OWNER),
    Route("POST", "/plans/{plan_id}/review", OWNER),
    Route("GET", "/plans/{plan_id}/delete", OWNER, "asks to confirm"),
    Route("POST", "/plans/{plan_id}/delete", OWNER),
    Route("GET", "/prep-sheets/{role_ref}", SIGNED_IN, "the signed-in user's own best answers and stories"),
    Route("GET", "/prep-sheets/{role_ref}.pdf", SIGNED_IN, "the same sheet as PDF"),
    # --- community pages
    Route("GET", "/questions/{question_id}/improve", PUBLIC),
    Route("POST", "/questions/{question_id}/improve", SIGNED_IN),
    Route("GET", "/roles/{role_id}/suggest", SIGNED_IN),
    Route("POST", "/roles/{role_id}/suggest", SIGNED_IN),
    Route("GET", "/suggestions/{suggestion_id}", PUBLIC),
    Route("POST", "/suggestions/{suggestion_id}/vote", SIGNED_IN),
    Route("POST", "/suggestions/{suggestion_id}/comments", SIGNED_IN),
    Route("POST", "/suggestions/{suggestion_id}/comments/{comment_id}/report", SIGNED_IN),
    Route("POST", "/suggestions/{suggestion_id}/comments/{comment_id}/hide", EDITOR),
    Route("POST", "/suggestions/{suggestion_id}/withdraw", OWNER),
    Route("POST", "/suggestions/{suggestion_id}/accept", EDITOR),
    Route("POST", "/suggestions/{suggestion_id}/reject", EDITOR),
    Route("GET", "/community/queue", EDITOR),
    Route("GET", "/questions/{question_id}/history", PUBLIC),
    Route("POST", "/questions/{question_id}/revert", EDITOR),
    Route("GET", "/notifications", SIGNED_IN),
    Route("POST", "/notifications/read", SIGNED_IN),
    Route("GET", "/notifications/read", SIGNED_IN, "the list, unchanged: nothing is marked by a GET"),
    Route("GET", "/notifications/{notification_id}", OWNER, "marks it read, then goes to its suggestion"),
    Route("GET", "/community/editors", ADMIN),
    Route("POST", "/community/editors", ADMIN),
    # --- bank API
    Route("GET", "/api/roles", PUBLIC),
    Route("GET", "/api/questions", PUBLIC),
    Route("GET", "/api/questions/{question_id}", PUBLIC),
    # --- accounts API
    Route("POST", "/api/users", PUBLIC, "rate limited per address; makes candidates only"),
    Route("POST", "/api/auth/token", PUBLIC, "back-off per account and address"),
    Route("GET", "/api/me", SIGNED_IN),
    Route("PATCH", "/api/me", SIGNED_IN),
    Route("POST", "/api/me/password", SIGNED_IN),
    Route("GET", "/api/tokens", SIGNED_IN),
    Route("POST", "/api/tokens", SIGNED_IN),
    Route("DELETE", "/api/tokens/{token_id}", OWNER),
    Route("GET", "/api/me/data", SIGNED_IN),
    Route("POST", "/api/me/data", SIGNED_IN),
    Route("DELETE", "/api/me/account", SIGNED_IN, "deletes the caller's own account"),
    # --- practice API
    Route("POST", "/api/feedback", PUBLIC, "anonymous: shorter answers, rate limited per address"),
    Route("POST", "/api/attempts", SIGNED_IN),
    Route("GET", "/api/attempts", SIGNED_IN),
    Route("GET", "/api/attempts/{attempt_id}", OWNER),
    Route("GET", "/api/speech", PUBLIC),
    Route("POST", "/api/transcriptions", PUBLIC, "anonymous: rate limited per address"),
    Route("GET", "/api/transcriptions/{job_id}", PUBLIC, "its uploader only: an account, or the anonymous browser"),
    # --- review, mock interviews, progress, stories API
    Route("GET", "/api/review/due", SIGNED_IN),
    Route("GET", "/api/review/upcoming", SIGNED_IN),
    Route("PUT", "/api/review/attempts/{attempt_id}/rating", OWNER),
    Route("POST", "/api/review/optimise", SIGNED_IN),
    Route("POST", "/api/mocks", SIGNED_IN),
    Route("GET", "/api/mocks", SIGNED_IN),
    Route("GET", "/api/mocks/{mock_id}", OWNER),
    Route("POST", "/api/mocks/{mock_id}/answers", OWNER),
    Route("POST", "/api/mocks/{mock_id}/resume", OWNER),
    Route("POST", "/api/mocks/{mock_id}/share", OWNER),
    Route("DELETE", "/api/mocks/{mock_id}/share", OWNER),
    Route("DELETE", "/api/mocks/{mock_id}", OWNER, "abandons an unfinished mock"),
    Route("GET", "/api/progress", SIGNED_IN),
    Route("GET", "/api/stories", SIGNED_IN),
    Route("POST", "/api/stories", SIGNED_IN),
    Route("GET", "/api/stories/suggestions", SIGNED_IN),
    Route("GET", "/api/stories/{story_id}", OWNER),
    Route("PUT", "/api/stories/{story_id}", OWNER),
    Route("DELETE", "/api/stories/{story_id}", OWNER),
    Route("POST", "/api/stories/{story_id}/score", OWNER),
    Route("GET", "/api/plans", SIGNED_IN),
    Route("POST", "/api/plans", SIGNED_IN),
    Route("GET", "/api/plans/{plan_id}", OWNER),
    Route("POST", "/api/plans/{plan_id}/mock", OWNER),
    Route("POST", "/api/plans/{plan_id}/review", OWNER),
    Route("DELETE", "/api/plans/{plan_id}", OWNER),
    # --- community API
    Route("POST", "/api/questions/{question_id}/suggestions/preview", SIGNED_IN),
    Route("POST", "/api/questions/{question_id}/suggestions", SIGNED_IN),
    Route("POST", "/api/roles/{role_id}/suggestions/preview", SIGNED_IN),
    Route("POST", "/api/roles/{role_id}/suggestions", SIGNED_IN),
    Route("GET", "/api/questions/{question_id}/suggestions", PUBLIC),
    Route("GET", "/api/suggestions/mine", SIGNED_IN),
    Route("GET", "/api/suggestions/{suggestion_id}", PUBLIC),
    Route("POST", "/api/suggestions/{suggestion_id}/withdraw", OWNER),
    Route("POST", "/api/suggestions/{suggestion_id}/vote", SIGNED_IN),
    Route("POST", "/api/suggestions/{suggestion_id}/comments", SIGNED_IN),
    Route("POST", "/api/comments/{comment_id}/report", SIGNED_IN),
    Route("GET", "/api/community/queue", EDITOR),
    Route("POST", "/api/suggestions/{suggestion_id}/accept", EDITOR),
    Route("POST", "/api/suggestions/{suggestion_id}/reject", EDITOR),
    Route("POST", "/api/comments/{comment_id}/hide", EDITOR),
    Route("GET", "/api/community/reported-comments", EDITOR),
    Route("GET", "/api/questions/{question_id}/history", PUBLIC),
    Route("POST", "/api/questions/{question_id}/revert", EDITOR),
    Route("GET", "/api/notifications", SIGNED_IN),
    Route("GET", "/api/notifications/unread", SIGNED_IN),
    Route("POST", "/api/notifications/read", SIGNED_IN),
    Route("GET", "/api/community/users", ADMIN),
    Route("PUT", "/api/community/users/{user_id}/role", ADMIN),
    Route("POST", "/api/community/users/{user_id}/ban", ADMIN),
    Route("POST", "/api/community/users/{user_id}/reinstate", ADMIN),
)


def find(method: str, path: str) -> Route | None:
    """The rule for a declared route (path as declared, with braces), or None."""
    for route in ROUTES:
        if route.method == method and route.path == path:
            return route
    return None
