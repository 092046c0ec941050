"""techdept: a technical department's work, assessments and bonuses over a local ledger."""

__version__ = "0.1.0"
