"""Steps a person takes in the pages, shared by the browser tests."""

from __future__ import annotations

import uuid

PASSWORD = "a long enough password"
STRONG = (
    "First, I would get every request to the platform team into one visible list, with the "
    "requesting team and the business goal. Then I would rank the list with the product "
    "leads against explicit criteria: which company priority it unblocks and the cost of "
    "delay. Next, I would relieve the platform team by building self-service tooling and "
    "lending an engineer for a quarter. Finally, I would publish the ranked list and "
    "explain the trade-offs to every waiting team."
)


def new_email() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page, email: str | None = None, password: str = PASSWORD) -> str:
    email = email or new_email()
    page.goto("/signup")
    page.fill("[data-field=email]", email)
    page.fill("[data-field=name]", email.split("@")[0])
    page.fill("[data-field=password]", password)
    page.click("[data-signup-form] [data-submit]")
    page.wait_for_selector("[data-user]")
    return email


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    page.fill("[data-field=email]", email)
    page.fill("[data-field=password]", password)
    page.click("[data-signin-form] [data-submit]")
    page.wait_for_selector("[data-user]")


def sign_out(page) -> None:
    page.click("[data-action=signout]")
    page.wait_for_selector("[data-nav=signin]")


def platform_question(page) -> dict:
    """The built-in question about one platform team and many requests (it has 4 talking points)."""
    found = page.request.get("/api/questions", params={"q": "platform team requests"}).json()[0]
    return page.request.get(f"/api/questions/{found['id']}").json()


def submit_answer(page, answer: str) -> None:
    page.fill("[data-answer-form] [data-answer]", answer)
    # No waiting for the navigation inside click(): its 15 s default is shorter than a first model load.
    page.click("[data-answer-form] [data-submit]", no_wait_after=True)
    page.wait_for_selector(
        "[data-report]", timeout=60_000
    )  # the first answer may wait for the model to load
