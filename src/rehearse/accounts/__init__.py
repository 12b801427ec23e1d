"""Accounts: users and their roles, sign-in sessions, sign-in rate limits and API tokens."""
