"""Model-driven rest-json plumbing: routes a request to an operation of a botocore service model, parses
its input (uri, querystring, header, JSON body), validates it against the model (required members,
enums, lengths, ranges, patterns), and serializes an output dict. Services implemented here get their
request shapes from AWS's own model instead of hand-written parsing."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, unquote

from botocore.loaders import Loader


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


# Inside character classes, as the models use them.
_JAVA_CLASSES = {r"\p{L}": "a-zA-Z\u00c0-\uffff", r"\p{Z}": " \u00a0\u2000-\u200a", r"\p{N}": "0-9"}


def _matches(pattern: str, value: str) -> bool:
    """The model's patterns are Java regular expressions; the Unicode classes they use are approximated."""
    for java, python in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, python)
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True


class ServiceModel:
    def __init__(self, service: str) -> None:
        self.model = Loader().load_service_model(service, "service-2")
        self.shapes = self.model["shapes"]
        self.routes: list[tuple[str, re.Pattern[str], str]] = []
        for name, op in self.model["operations"].items():
            uri = op["http"]["requestUri"]
            path, _, query = uri.partition("?")
            pattern = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", path)
            # A label ending the path takes the rest (ARNs arrive with their slashes unescaped).
            pattern = re.sub(r"\{(\w+)\}$", r"(?P<\1>.+)", pattern)
            pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
            self.routes.append((op["http"]["method"], re.compile(f"^{pattern}$"), name))
        # Longer literal paths first, so /v1/domain/permissions/policy wins over /v1/domain.
        self.routes.sort(key=lambda r: -len(r[1].pattern))

    def route(self, method: str, path: str) -> tuple[str, dict[str, str]]:
        for m, pattern, name in self.routes:
            if m != method:
                continue
            match = pattern.match(path)
            if match:
                return name, {k: unquote(v) for k, v in match.groupdict().items()}
        raise ApiError("UnknownOperationException", f"no operation for {method} {path}", 404)

    def parse(self, operation: str, uri: dict[str, str], query_string: str, headers: Any, body: bytes) -> dict[str, Any]:
        op = self.model["operations"][operation]
        if "input" not in op:
            return {}
        shape = self.shapes[op["input"]["shape"]]
        query = parse_qs(query_string, keep_blank_values=True)
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            raise ApiError("SerializationException", "request body is not JSON")
        params: dict[str, Any] = {}
        for member, spec in shape["members"].items():
            location = spec.get("location")
            name = spec.get("locationName", member)
            target = self.shapes[spec["shape"]]
            if location == "uri":
                if name in uri:
                    params[member] = uri[name]
            elif location == "querystring":
                if target["type"] == "list" and name in query:
                    params[member] = query[name]
                elif name in query:
                    params[member] = self._scalar(target, query[name][0])
            elif location == "header":
                if headers.get(name) is not None:
                    params[member] = self._scalar(target, headers.get(name))
            elif member in payload:
                params[member] = payload[member]
        self.validate(op["input"]["shape"], params, "")
        return params

    @staticmethod
    def _scalar(shape: dict[str, Any], raw: str) -> Any:
        if shape["type"] in ("integer", "long"):
            return int(raw)
        if shape["type"] == "boolean":
            return raw == "true"
        return raw

    def validate(self, shape_name: str, value: Any, path: str) -> None:
        """The checks AWS makes on the wire, with AWS's wording for the common ones."""
        shape = self.shapes[shape_name]
        kind = shape["type"]
        where = path or "input"
        if kind == "structure":
            if not isinstance(value, dict):
                raise ApiError("ValidationException", f"{where} must be an object")
            for required in shape.get("required", []):
                if required not in value:
                    raise ApiError("ValidationException", f"1 validation error detected: Value null at '{path + required}' failed to satisfy constraint: Member must not be null")
            for member, item in value.items():
                if member not in shape["members"]:
                    continue
                self.validate(shape["members"][member]["shape"], item, f"{path}{member}.")
        elif kind == "list":
            if not isinstance(value, list):
                raise ApiError("ValidationException", f"{where.rstrip('.')} must be a list")
            self._length(shape, len(value), where)
            for item in value:
                self.validate(shape["member"]["shape"], item, path)
        elif kind == "map":
            if not isinstance(value, dict):
                raise ApiError("ValidationException", f"{where.rstrip('.')} must be a map")
            self._length(shape, len(value), where)
            for k, v in value.items():
                self.validate(shape["key"]["shape"], k, path)
                self.validate(shape["value"]["shape"], v, path)
        elif kind == "string":
            if not isinstance(value, str):
                raise ApiError("ValidationException", f"{where.rstrip('.')} must be a string")
            self._length(shape, len(value), where)
            if "enum" in shape and value not in shape["enum"]:
                raise ApiError("ValidationException", f"1 validation error detected: Value '{value}' at '{where.rstrip('.')}' failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(shape['enum'])}]")
            if "pattern" in shape and not _matches(shape["pattern"], value):
                raise ApiError("ValidationException", f"1 validation error detected: Value '{value}' at '{where.rstrip('.')}' failed to satisfy constraint: Member must satisfy regular expression pattern: {shape['pattern']}")
        elif kind in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ApiError("ValidationException", f"{where.rstrip('.')} must be an integer")
            if "min" in shape and value < shape["min"]:
                raise ApiError("ValidationException", f"1 validation error detected: Value '{value}' at '{where.rstrip('.')}' failed to satisfy constraint: Member must have value greater than or equal to {shape['min']}")
            if "max" in shape and value > shape["max"]:
                raise ApiError("ValidationException", f"1 validation error detected: Value '{value}' at '{where.rstrip('.')}' failed to satisfy constraint: Member must have value less than or equal to {shape['max']}")
        elif kind == "boolean" and not isinstance(value, bool):
            raise ApiError("ValidationException", f"{where.rstrip('.')} must be a boolean")

    @staticmethod
    def _length(shape: dict[str, Any], n: int, where: str) -> None:
        if "min" in shape and n < shape["min"]:
            raise ApiError("ValidationException", f"1 validation error detected: Value at '{where.rstrip('.')}' failed to satisfy constraint: Member must have length greater than or equal to {shape['min']}")
        if "max" in shape and n > shape["max"]:
            raise ApiError("ValidationException", f"1 validation error detected: Value at '{where.rstrip('.')}' failed to satisfy constraint: Member must have length less than or equal to {shape['max']}")

    def response(self, operation: str, output: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        op = self.model["operations"][operation]
        headers = {"Content-Type": "application/json"}
        body: dict[str, Any] = {}
        if "output" in op:
            shape = self.shapes[op["output"]["shape"]]
            for member, value in output.items():
                spec = shape["members"].get(member, {})
                if spec.get("location") == "header":
                    headers[spec.get("locationName", member)] = str(value)
                else:
                    body[member] = value
        return op["http"].get("responseCode", 200), headers, json.dumps(body, default=str).encode()
