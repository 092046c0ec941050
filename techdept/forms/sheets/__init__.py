"""The layouts of the signed sheets, one kind of sheet a module, all drawn with
``forms.docx_kit``: assessment sheets (pre-sales, implementation, after-sales), list sheets
(payout list, personal statement, monthly sheets), the weekly tracking sheet and the ticket
forms. ``forms.render`` is the entry point the commands call."""
