"""The review meeting: open an assessment with the sheet's facts, record scores, approve
(director, then GM), reopen, show the sheet, list, history, and recheck approved results.

An assessment is bound when it is opened to the policy then active (its id, its hash and the
file's exact text in ``policy_snapshot``) and uses that policy to the end. At the GM's approval
the inputs, every result and the explanation are stored, so a later change of the policy or of
the project never alters an approved assessment; ``sheet`` rebuilds its document from them.

One module per noun: ``base`` (identity, period, bound policy), ``facts``, ``document`` (the
sheet), ``opening`` (open and set), ``scoring``, ``score_import``, ``approval`` (with
``entitlements``), ``history`` (lists and versions) and ``recheck`` (``db check``).
"""

from techdept.services.assessment.approval import approve, reopen
from techdept.services.assessment.base import TRACKS, period_of
from techdept.services.assessment.document import bound_policy, sheet
from techdept.services.assessment.facts import (
    FACT_OPTIONS,
    FactsGiven,
    facts_from_dict,
    facts_to_dict,
    internal_acceptance_facts,
)
from techdept.services.assessment.history import (
    AssessmentRow,
    VersionView,
    history,
    list_assessments,
)
from techdept.services.assessment.opening import open_assessment, set_facts
from techdept.services.assessment.recheck import recheck
from techdept.services.assessment.score_import import ImportResult, import_score_rows
from techdept.services.assessment.scoring import ScoreForm, record_scores, score_form

__all__ = [
    "FACT_OPTIONS",
    "TRACKS",
    "AssessmentRow",
    "FactsGiven",
    "ImportResult",
    "ScoreForm",
    "VersionView",
    "approve",
    "bound_policy",
    "facts_from_dict",
    "facts_to_dict",
    "history",
    "import_score_rows",
    "internal_acceptance_facts",
    "list_assessments",
    "open_assessment",
    "period_of",
    "recheck",
    "record_scores",
    "reopen",
    "score_form",
    "set_facts",
    "sheet",
]
