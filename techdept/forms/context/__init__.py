"""The words and figures of a sheet, from documents the services already computed.

Pure: a sheet is built from the typed assessment document (``techdept.documents``; a mapping
in the shape of ``assess show --json`` is read through it), the payout list, the
policy's labels and bands, and the message catalogs. Nothing here opens the ledger, touches
python-docx, or recomputes a rule: every score, amount, grade and veto is read from the
document; only sums of already-final amounts (totals of a list) and differences shown as
explanations (days early, amount overspent) are worked out here. The names of stages and
deliverables on the tracking sheet are read from ``techdept.rules.domain`` (pure, no rule run).

Money on every sheet is written one way: ``5,808.00`` (yuan, thousands separated, two
decimals); the unit is in the labels.
"""

from techdept.forms.context.assessment import aftersales_context, assessment_context
from techdept.forms.context.common import (
    CHECKED,
    SIMPLE_TYPES,
    UNCHECKED,
    AssessmentSheet,
    Band,
    Block,
    Box,
    BoxLine,
    Field,
    ListSheet,
    ListTable,
    PairBlock,
    ScoreRow,
    Signature,
    SplitRow,
    TrackingSheet,
    _footer,
    _t,
    money,
    quarter_text,
)
from techdept.forms.context.statements import payout_context, statement_context
from techdept.forms.context.tracking import tracking_context

__all__ = [
    "CHECKED",
    "SIMPLE_TYPES",
    "UNCHECKED",
    "AssessmentSheet",
    "Band",
    "Block",
    "Box",
    "BoxLine",
    "Field",
    "ListSheet",
    "ListTable",
    "PairBlock",
    "ScoreRow",
    "Signature",
    "SplitRow",
    "TrackingSheet",
    "_footer",
    "_t",
    "aftersales_context",
    "assessment_context",
    "money",
    "payout_context",
    "quarter_text",
    "statement_context",
    "tracking_context",
]
