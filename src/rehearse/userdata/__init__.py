"""The user's data: everything one account holds, exported as one JSON document, imported elsewhere, deleted."""
