"""The HTML pages: thin views that parse input, call one service, and render a template."""

from . import accounts, browse, community, mock, plans, practice, progress, review, stories, userdata

# Included one by one into the app (not nested in a parent router): every level of nesting
# is one more round of route matching on each request. The most visited first (routes are tried
# in order): browsing, then practice and history, ahead of community's nineteen routes.
routers = [browse.router, practice.router, community.router, accounts.router, review.router, mock.router,
           progress.router, stories.router, userdata.router, plans.router]
