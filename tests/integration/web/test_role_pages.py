"""Role pages when banks share a role slug: every role stays reachable, and unique slugs keep their URLs."""

from __future__ import annotations

import re

import pytest

from rehearse.bank import service as bank
from rehearse.formats import BankDoc, QuestionDoc, RoleDoc


def sales_bank(name: str, question: str) -> BankDoc:
    return BankDoc(name=name, roles=(RoleDoc(name="Account Executive", slug="account-executive", questions=(
        QuestionDoc(text=question, kind="situational"),)),))


@pytest.fixture(scope="module", autouse=True)
def two_sales_banks(app):
    with app.state.database.transaction(writes=True) as session:
        bank.import_bank(session, sales_bank("Sales bank A", "How do you handle a price objection?"))
        bank.import_bank(session, sales_bank("Sales bank B", "How do you qualify a lead?"))


def test_a_slug_two_banks_share_shows_a_choice_of_both_roles(browser):
    page = browser.get("/roles/account-executive")
    assert page.status_code == 200
    links = re.findall(r'href="(/roles/account-executive\?bank=[^"]+)"', page.text)
    assert links == ["/roles/account-executive?bank=sales-bank-a", "/roles/account-executive?bank=sales-bank-b"]
    for link, question in zip(links, ("price objection", "qualify a lead"), strict=True):
        role_page = browser.get(link)
        assert role_page.status_code == 200 and question in role_page.text


def test_home_links_each_shared_role_with_its_bank_and_unique_roles_by_slug_alone(browser):
    html = browser.get("/").text
    assert 'href="/roles/account-executive?bank=sales-bank-a"' in html
    assert 'href="/roles/account-executive?bank=sales-bank-b"' in html
    assert 'href="/roles/head-of-software-engineering"' in html
    assert browser.get("/roles/head-of-software-engineering").status_code == 200


@pytest.mark.parametrize("path", ["/roles/account-executive?bank=no-such-bank", "/roles/no-such-role"])
def test_a_role_that_is_not_there_is_404(browser, path):
    assert browser.get(path).status_code == 404
