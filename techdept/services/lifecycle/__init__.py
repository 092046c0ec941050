"""A project's life, one noun per module: ``stages`` (advance through the gates, history),
``deliverables`` (filing, review chains, the checklist), ``acceptance`` (the acceptance
sequence), ``state`` (what the ledger says of a project: documents, events, the facts the
gates and the assessment use) and ``views`` (what these return). Speaks data: keys and
values; words are made in commands/ (``techdept.display``)."""

from techdept.services.lifecycle.acceptance import accept, acceptance
from techdept.services.lifecycle.deliverables import checklist, deliver, review
from techdept.services.lifecycle.stages import advance, history
from techdept.services.lifecycle.state import (
    doc_states,
    internal_acceptance_passed,
    project_facts,
    recorded_internal_acceptance,
)
from techdept.services.lifecycle.views import FINAL, INTERNAL

__all__ = [
    "FINAL",
    "INTERNAL",
    "accept",
    "acceptance",
    "advance",
    "checklist",
    "deliver",
    "doc_states",
    "history",
    "internal_acceptance_passed",
    "project_facts",
    "recorded_internal_acceptance",
    "review",
]
