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

from typing import TYPE_CHECKING

from techdept.rules.lazy import lazy_names

# Each name is imported from its module on first use (PEP 562), so a command that needs one
# module (``score`` needs ``scoring``) does not import the others (and the ORM they use).
_WHERE = {
    "approve": "approval",
    "reopen": "approval",
    "period_of": "base",
    "bound_policy": "document",
    "sheet": "document",
    "FACT_OPTIONS": "facts",
    "FactsGiven": "facts",
    "facts_from_dict": "facts",
    "facts_to_dict": "facts",
    "rule_i_facts_and_source": "facts",
    "AssessmentRow": "history",
    "VersionView": "history",
    "history": "history",
    "list_assessments": "history",
    "open_assessment": "opening",
    "set_facts": "opening",
    "recheck": "recheck",
    "ImportResult": "score_import",
    "import_score_rows": "score_import",
    "ScoreForm": "scoring",
    "record_scores": "scoring",
    "score_form": "scoring",
    "TEXT_OPTIONS": "texts",
    "TextsGiven": "texts",
}

if TYPE_CHECKING:
    from techdept.services.assessment.approval import approve, reopen
    from techdept.services.assessment.base import period_of
    from techdept.services.assessment.document import bound_policy, sheet
    from techdept.services.assessment.facts import (
        FACT_OPTIONS,
        FactsGiven,
        facts_from_dict,
        facts_to_dict,
        rule_i_facts_and_source,
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
    from techdept.services.assessment.texts import TEXT_OPTIONS, TextsGiven


__getattr__ = lazy_names(__name__, _WHERE)

__all__ = [
    "FACT_OPTIONS",
    "TEXT_OPTIONS",
    "AssessmentRow",
    "FactsGiven",
    "ImportResult",
    "ScoreForm",
    "TextsGiven",
    "VersionView",
    "approve",
    "bound_policy",
    "facts_from_dict",
    "facts_to_dict",
    "history",
    "import_score_rows",
    "list_assessments",
    "open_assessment",
    "period_of",
    "recheck",
    "record_scores",
    "reopen",
    "rule_i_facts_and_source",
    "score_form",
    "set_facts",
    "sheet",
]
