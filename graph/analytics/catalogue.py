"""The analysts' catalogue: ``cypher/analytics/*.cypher`` with parsed, typed headers.

Every analytics file opens with a ``//`` header in this line-oriented format::

    // title: Daily active viewers
    // description: Distinct users who viewed something, per UTC day.
    //   (an indented comment line continues the previous field)
    // param: $days int = 14 — window length in days, ending at $asOf
    // param: $asOf timestamp = null — end of the window (default: latest event time)
    // param: $hashtag string — required: no default
    // returns: day, viewers
    // used by: fyp query run, GraphQL runAnalyticsQuery

Parameter types: ``int``, ``float``, ``string``, ``bool``, ``timestamp`` (epoch
milliseconds; the CLI also accepts ISO-8601 dates), and lists ``int[]``,
``string[]``. A default is a literal (``null``, a number, ``true`` / ``false``, a
quoted string, ``[]``); a parameter without a default is required. The runner
applies defaults, so every query receives all of its parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from graph.cypher import Query, QueryLibrary
from graph.errors import ClientError, NotFoundError, ServerError

PREFIX = "analytics"
TYPES = ("int", "float", "string", "bool", "timestamp", "int[]", "string[]")

_FIELD = re.compile(r"^(title|description|param|returns|used by):\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(
    r"^\$(?P<name>[A-Za-z_]\w*)\s+(?P<type>[a-z]+(?:\[\])?)"
    r"(?:\s+(?P<low>-?\d+)\.\.(?P<high>-?\d+))?"
    r"(?:\s*=\s*(?P<default>'[^']*'|\"[^\"]*\"|\[\]|\S+))?"
    r"\s*(?:(?:—|--)\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class ParamSpec:
    """One documented ``$parameter`` of an analytics query."""

    name: str
    type: str
    default: Any
    required: bool
    description: str
    #: The values a number may take (inclusive), when the header gives them.
    bounds: tuple[int, int] | None = None

    def coerce(self, value: Any) -> Any:
        """Check (and, for text from the CLI, convert) a value against the declared type
        and range."""
        if value is None:
            if self.required:
                raise ClientError(f"parameter ${self.name} is required ({self.type})")
            return None
        try:
            if self.type.endswith("[]"):
                return self._coerce_list(value)
            found = _coerce_scalar(self.type, value)
        except (TypeError, ValueError) as error:
            raise ClientError(f"parameter ${self.name} expects {self.type}: {error}") from None
        if self.bounds is not None and not self.bounds[0] <= found <= self.bounds[1]:
            low, high = self.bounds
            raise ClientError(
                f"parameter ${self.name} must be between {low} and {high}; got {found}"
            )
        return found

    def _coerce_list(self, value: Any) -> list[Any]:
        item_type = self.type.removesuffix("[]")
        if isinstance(value, str):
            text = value.strip()
            items: list[Any] = (
                json.loads(text)
                if text.startswith("[")
                else [part.strip() for part in text.split(",") if part.strip()]
            )
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            raise TypeError(f"got {type(value).__name__}")
        return [_coerce_scalar(item_type, item) for item in items]


def _coerce_scalar(kind: str, value: Any) -> Any:
    if kind == "string":
        if not isinstance(value, str):
            raise TypeError(f"got {type(value).__name__}")
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            return value.lower() in ("true", "1", "yes")
        raise TypeError(f"got {value!r}")
    if kind == "float":
        if isinstance(value, bool):
            raise TypeError("got a boolean")
        return float(value)
    if kind == "timestamp":
        return _timestamp(value)
    # int
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError(f"got {value!r}")
    return int(value)


def _timestamp(value: Any) -> int:
    """Epoch milliseconds from a number or an ISO-8601 date / date-time (UTC if naive)."""
    if isinstance(value, bool):
        raise TypeError("got a boolean")
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"{text!r} is neither epoch milliseconds nor an ISO-8601 date"
            ) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return int(parsed.timestamp() * 1000)
    if isinstance(value, datetime | date):
        return _timestamp(value.isoformat())
    raise TypeError(f"got {type(value).__name__}")


def _literal(text: str | None) -> tuple[Any, bool]:
    """Parse a header default; returns ``(value, required)``."""
    if text is None:
        return None, True
    if text[:1] in ("'", '"'):
        return text[1:-1], False
    try:
        return json.loads(text), False
    except json.JSONDecodeError:
        raise ValueError(f"default {text!r} is not a literal") from None


@dataclass(frozen=True)
class AnalyticsQuery:
    """A named analytics query with its documented interface."""

    name: str
    title: str
    description: str
    params: tuple[ParamSpec, ...]
    columns: tuple[str, ...]
    used_by: str
    query: Query

    @property
    def text(self) -> str:
        return self.query.text

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        known = ", ".join(f"${spec.name}" for spec in self.params) or "none"
        raise ClientError(f"query {self.name!r} has no parameter ${name} (it takes {known})")

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter of the query: the given ones type-checked, defaults for the rest."""
        for name in given:
            self.param(name)
        # An explicit null means "the default", as it does for an omitted parameter.
        bound = {}
        for spec in self.params:
            value = given.get(spec.name)
            bound[spec.name] = spec.coerce(spec.default if value is None else value)
        return bound

    @classmethod
    def parse(cls, name: str, query: Query) -> AnalyticsQuery:
        fields: dict[str, list[str]] = {}
        params: list[ParamSpec] = []
        last: str | None = None
        for line in query.header.splitlines():
            match = _FIELD.match(line.strip())
            if match:
                last = match.group(1).lower()
                value = match.group(2).strip()
                if last == "param":
                    params.append(_parse_param(name, value))
                else:
                    fields.setdefault(last, []).append(value)
            elif last and last != "param" and line.strip():
                fields[last].append(line.strip())
        for required in ("title", "description", "returns"):
            if not fields.get(required):
                raise ServerError(f"analytics query {name!r}: header has no '{required}:' line")
        declared = {spec.name for spec in params}
        if declared != set(query.parameters):
            raise ServerError(
                f"analytics query {name!r}: header declares {sorted(declared)} "
                f"but the body uses {sorted(query.parameters)}"
            )
        return cls(
            name=name,
            title=" ".join(fields["title"]),
            description=" ".join(fields["description"]),
            params=tuple(params),
            columns=tuple(col.strip() for col in " ".join(fields["returns"]).split(",")),
            used_by=" ".join(fields.get("used by", [])),
            query=query,
        )


def _parse_param(query_name: str, text: str) -> ParamSpec:
    match = _PARAM.match(text)
    if not match or match.group("type") not in TYPES:
        raise ServerError(
            f"analytics query {query_name!r}: cannot parse 'param: {text}' "
            f"(expected '$name TYPE [LOW..HIGH] [= default] — description', TYPE one of {TYPES})"
        )
    try:
        default, required = _literal(match.group("default"))
    except ValueError as error:
        raise ServerError(f"analytics query {query_name!r}: ${match['name']}: {error}") from None
    low, high = match.group("low"), match.group("high")
    spec = ParamSpec(
        name=match.group("name"),
        type=match.group("type"),
        default=default,
        required=required,
        description=(match.group("doc") or "").strip(),
        bounds=(int(low), int(high)) if low is not None and high is not None else None,
    )
    if not required and default is not None:
        try:
            spec.coerce(default)
        except ClientError as error:  # a default of the wrong type is our bug
            raise ServerError(f"analytics query {query_name!r}: default of {error}") from None
    return spec


class Catalogue(Mapping[str, AnalyticsQuery]):
    """The analytics queries by short name (``daily_active_viewers``), parsed once."""

    def __init__(self, queries: Mapping[str, AnalyticsQuery]) -> None:
        self._queries = dict(queries)

    @classmethod
    def from_library(cls, library: QueryLibrary) -> Catalogue:
        queries = {}
        for query in library.under(PREFIX):
            short = query.name.removeprefix(PREFIX + "/")
            queries[short] = AnalyticsQuery.parse(short, query)
        return cls(queries)

    def __getitem__(self, name: str) -> AnalyticsQuery:
        try:
            return self._queries[name.removeprefix(PREFIX + "/")]
        except KeyError:
            raise NotFoundError(
                f"no analytics query named {name!r}; `fyp query list` shows them"
            ) from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.removeprefix(PREFIX + "/") in self._queries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._queries))

    def __len__(self) -> int:
        return len(self._queries)
