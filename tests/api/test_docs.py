"""The API documentation: quick to open and describing every app (issue 13, item 20).

Regression: /api/docs/ took about 7 s to become usable, because Swagger UI waited for a schema
generated anew on every request (4–5 s on a fresh process, half a second warm) and then drew
every operation at once; and its description spoke of the directory and portfolio only.
"""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from liaison.api.urls import CachedSchemaView

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def fresh_schema_cache():
    CachedSchemaView._schemas.clear()
    yield
    CachedSchemaView._schemas.clear()


def test_the_schema_is_generated_once_per_process(client, monkeypatch, fresh_schema_cache, db):
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = client.get("/api/schema/", HTTP_ACCEPT=JSON)
    second = client.get("/api/schema/", HTTP_ACCEPT=JSON)
    yaml = client.get("/api/schema/")
    assert first.status_code == second.status_code == yaml.status_code == 200
    assert first.json() == second.json()
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert len(calls) == 1
    # A made-up language reads as the default one: no new schema is kept for it.
    client.get("/api/schema/?lang=xx-made-up", HTTP_ACCEPT=JSON)
    assert len(calls) == 1
    monkeypatch.setattr(CachedSchemaView, "KEPT", 2)
    for n in range(4):  # nor is one kept for every made-up version
        assert client.get(f"/api/schema/?version=v{n}", HTTP_ACCEPT=JSON).status_code == 200
    assert len(CachedSchemaView._schemas) == 2


def test_the_description_and_tags_cover_every_app(client, fresh_schema_cache, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT=JSON).json()
    description = schema["info"]["description"]
    for part in ("directory", "portfolio", "events", "training", "assessments", "equipment"):
        assert part in description, part
    assert "results" in description
    described = {tag["name"]: tag["description"] for tag in schema["tags"]}
    used = {
        tag
        for operations in schema["paths"].values()
        for op in operations.values()
        for tag in op.get("tags", [])
    }
    assert used <= set(described), used - set(described)
    assert all(described.values())


def test_swagger_ui_opens_on_the_tags_only(client, db):
    html = client.get("/api/docs/").content.decode()
    script = next(u for u in re.findall(r'src="([^"]+)"', html) if u.startswith("/api/docs/"))
    body = client.get(script.replace("&amp;", "&")).content.decode()
    assert '"docExpansion": "none"' in body and '"filter": true' in body
