"""The review meeting's live console (``techdept meeting``): ``sheet`` is the pure model,
``app`` the Textual screen, imported only when the command runs."""
