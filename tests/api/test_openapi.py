"""openapi.yaml is generated from the code; it must equal what the code generates now."""

from pathlib import Path

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_openapi_yaml_matches_the_code():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    generated = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()

    assert generated == SCHEMA_FILE.read_text(), "openapi.yaml is stale: run `make schema`"
