"""Typed, frozen documents: what services return, what the terminal and the .docx renderers
read by attribute, and what is stored (each with one ``to_json`` and one ``from_json``)."""

from techdept.documents.assessment import DOC_VERSION, AssessmentDoc

__all__ = ["DOC_VERSION", "AssessmentDoc"]
