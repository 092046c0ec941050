"""The Core mirror (techdept/ledger/tables.py) is the SQLModel schema, table for table: SQLModel
stays the definition, the mirror is generated from it and must not drift."""

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

import techdept.ledger.models  # noqa: F401
from techdept.ledger import tables

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_tables", ROOT / "scripts" / "gen_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mirror_is_what_the_generator_writes_from_the_models():
    rendered = _generator().render()
    assert (ROOT / "techdept" / "ledger" / "tables.py").read_text("utf-8") == rendered, (
        "models.py changed: run .venv/bin/python scripts/gen_tables.py"
    )


def test_same_tables():
    assert set(tables.metadata.tables) == set(SQLModel.metadata.tables)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
@pytest.mark.parametrize("name", sorted(SQLModel.metadata.tables))
def test_same_ddl(name, dialect):
    """Both compile to the same CREATE TABLE and CREATE INDEX on SQLite and PostgreSQL."""
    orm, core = SQLModel.metadata.tables[name], tables.metadata.tables[name]
    assert str(CreateTable(core).compile(dialect=dialect)) == str(
        CreateTable(orm).compile(dialect=dialect)
    )

    def indexes(table):
        return sorted(str(CreateIndex(i).compile(dialect=dialect)) for i in table.indexes)

    assert indexes(core) == indexes(orm)


def test_same_defaults_and_types_on_the_python_side():
    for name, orm in SQLModel.metadata.tables.items():
        core = tables.metadata.tables[name]
        for column in orm.columns:
            twin = core.c[column.name]
            kind = type(column.type).__name__
            assert type(twin.type).__name__ == {"AutoString": "String"}.get(kind, kind)
            default = None if column.default is None else column.default.arg
            twin_default = None if twin.default is None else twin.default.arg
            if not column.primary_key:
                assert twin_default == default, (name, column.name)
