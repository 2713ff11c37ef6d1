"""The model base class: declarative fields, checks on construction, to_dict / from_dict.

A model declares its fields as annotated class attributes::

    class NewJobBody(Model):
        job_name: Optional[str] = None
        is_duplicate: Union[str, bool, None] = field(default=None, enum=TRUE_FALSE)

A field with no default is required: the user must give it, and in a response it is one the
service always returns (reading it raises MissingFieldError if the service left it out). A
``Literal`` annotation is the field's closed set of values. Models built by the user are
checked (types, enums, required fields) when built and when a field is set; models read from
the service are not checked, so a value or a field the SDK does not know is kept instead of
failing the call.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Literal,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)
from urllib.parse import urlsplit

from cielo24.exceptions import (
    ApiAttributeError,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
    MissingFieldError,
)

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda cls: cls


M = TypeVar("M", bound="Model")

TRUE_FALSE = ("true", "false")
_MISSING: Any = object()


def field(
    *,
    default: Any = _MISSING,
    enum: Collection[str] | None = None,
    wire: str | None = None,
    aliases: tuple[str, ...] = (),
    convert: Callable[[Any], Any] | None = None,
    encode: Callable[[Any], Any] | None = None,
    secret: bool = False,
) -> Any:
    """Describe a field beyond its annotation.

    Args:
        default: the value when not given; without one the field is required.
        enum: the allowed values (checked on what the user builds, not on responses).
        wire: the key on the wire when it is not the class's default spelling.
        aliases: other keys the service may use for this field.
        convert: normalises a value the user gives before it is checked (e.g. bool -> "true");
            a ValueError it raises becomes an ApiValueError that names the field.
        encode: turns the value into what is sent (e.g. a dict into a JSON string).
        secret: a credential: shown as ``'***'`` in reprs.
    """
    return _Spec(default, enum, wire, aliases, convert, encode, secret)


class _Spec:
    __slots__ = ("aliases", "convert", "default", "encode", "enum", "secret", "wire")

    def __init__(
        self,
        default: Any,
        enum: Collection[str] | None,
        wire: str | None,
        aliases: tuple[str, ...],
        convert: Callable[[Any], Any] | None,
        encode: Callable[[Any], Any] | None,
        secret: bool = False,
    ) -> None:
        self.default = default
        self.enum = tuple(enum) if enum is not None else None
        self.wire = wire
        self.aliases = aliases
        self.convert = convert
        self.encode = encode
        self.secret = secret


# --- kinds: what a field holds, read from its annotation ---------------------------------


class _Kind:
    """A field's value type: how it is checked, read from the wire and written back."""

    name = "any value"
    #: Whether values read from the service need ``decode`` (most are kept as they are).
    decodes = False

    def accepts(self, value: Any) -> bool:
        return True

    def check(self, value: Any, where: str) -> Any:
        if not self.accepts(value):
            raise ApiTypeError(
                f"{where} must be {self.name}, got {type(value).__name__}: {_show(value)}"
            )
        return value

    def decode(self, value: Any) -> Any:
        return value

    def encode(self, value: Any) -> Any:
        return value

    def plain(self, value: Any) -> Any:
        return value


class _Plain(_Kind):
    def __init__(self, types: tuple[type, ...]) -> None:
        self.types = types
        self.name = " or ".join(t.__name__ for t in types)

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool) and bool not in self.types:
            return False
        return isinstance(value, self.types)


class _Nested(_Kind):
    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.name = f"a {model.__name__} or a dict"
        self.decodes = True

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (self.model, Mapping))

    def check(self, value: Any, where: str) -> Any:
        value = super().check(value, where)
        return value if isinstance(value, self.model) else self.model.from_dict(value)

    def decode(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return self.model.from_wire(cast("Mapping[str, Any]", value))
        return value

    def encode(self, value: Any) -> Any:
        return value.to_wire() if isinstance(value, Model) else value

    def plain(self, value: Any) -> Any:
        return value.to_dict() if isinstance(value, Model) else value


class _ListOf(_Kind):
    def __init__(self, item: _Kind) -> None:
        self.item = item
        self.name = f"a list of {item.name}"
        self.decodes = item.decodes

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (list, tuple))

    def check(self, value: Any, where: str) -> Any:
        value = super().check(value, where)
        return [self.item.check(v, f"{where}[{i}]") for i, v in enumerate(value)]

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.item.decode(v) for v in cast("list[object]", value)]
        return value

    def encode(self, value: Any) -> Any:
        return [self.item.encode(v) for v in value]

    def plain(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.item.plain(v) for v in cast("list[object]", value)]
        return value


class _DictOf(_Kind):
    """A dict whose values are models (or other values read with a decode step)."""

    def __init__(self, value: _Kind) -> None:
        self.value = value
        self.name = f"a dict of {value.name}"
        self.decodes = True

    def accepts(self, value: Any) -> bool:
        return isinstance(value, Mapping)

    def check(self, value: Any, where: str) -> Any:
        value = super().check(value, where)
        return {k: self.value.check(v, f"{where}[{k!r}]") for k, v in value.items()}

    def decode(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: self.value.decode(v) for k, v in cast("Mapping[object, object]", value).items()}

    def encode(self, value: Any) -> Any:
        return {k: self.value.encode(v) for k, v in value.items()}

    def plain(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: self.value.plain(v) for k, v in cast("Mapping[object, object]", value).items()}


class _DateTime(_Kind):
    """A date and time: a datetime or date from the user, an ISO 8601 string on the wire."""

    name = "a datetime, a date or an ISO 8601 string"
    decodes = True

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (datetime, date, str))

    def __init__(self, keep_text: bool = False) -> None:
        #: Keep a string as given (a parameter: "2014-08-27" must not become a datetime).
        self.keep_text = keep_text

    def check(self, value: Any, where: str) -> Any:
        value = super().check(value, where)
        if not isinstance(value, str):
            return value
        if value == "" and not self.keep_text:
            return None  # the service's unset date
        parsed = parse_datetime(value)
        if not isinstance(parsed, datetime):
            raise ApiValueError(f"{where} must be an ISO 8601 date, got {_show(value)}")
        return value if self.keep_text else parsed

    def decode(self, value: Any) -> Any:
        return parse_datetime(value) if isinstance(value, str) else value

    def encode(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, (datetime, date)) else value

    def plain(self, value: Any) -> Any:
        return value


def parse_datetime(text: str) -> datetime | str | None:
    """An ISO 8601 string as a datetime; None for ""; the text itself when it is no date.

    The service's dates have no time zone (``2014-08-27T14:00:06.472706``); they stay naive.
    """
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    from dateutil import parser

    try:
        return parser.isoparse(text)
    except (ValueError, OverflowError):
        return text


class _AnyOf(_Kind):
    def __init__(self, kinds: list[_Kind]) -> None:
        self.kinds = kinds
        self.name = " or ".join(k.name for k in kinds)

    def _kind_of(self, value: Any) -> _Kind | None:
        return next((k for k in self.kinds if k.accepts(value)), None)

    def accepts(self, value: Any) -> bool:
        return self._kind_of(value) is not None

    def check(self, value: Any, where: str) -> Any:
        kind = self._kind_of(value)
        return kind.check(value, where) if kind else super().check(value, where)

    def encode(self, value: Any) -> Any:
        kind = self._kind_of(value)
        return kind.encode(value) if kind else value

    def plain(self, value: Any) -> Any:
        kind = self._kind_of(value)
        return kind.plain(value) if kind else value


def _kind(annotation: Any) -> _Kind:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Union:
        kinds = [_kind(a) for a in args if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else _AnyOf(kinds)
    if origin is list:
        return _ListOf(_kind(args[0]) if args else _Kind())
    if origin is dict:
        value = _kind(args[1]) if len(args) == 2 else _Kind()
        return _DictOf(value) if value.decodes else _Plain((dict,))
    if origin is Literal:
        return _Plain((str,))
    if annotation is datetime:
        return _DateTime()
    if annotation is Any:
        return _Kind()
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return _Nested(annotation)
    if annotation is float:
        return _Plain((int, float))
    if isinstance(annotation, type):
        return _Plain((annotation,))
    raise TypeError(f"unsupported field annotation {annotation!r}")


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    """The values of the Literal in an annotation (``Optional[list[IWPName]]``), or None."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        values = _literal_values(arg)
        if values is not None:
            return values
    return None


class Field:
    """One declared field of a model class."""

    __slots__ = (
        "convert",
        "encode",
        "enum",
        "kind",
        "location",
        "name",
        "nullable",
        "required",
        "secret",
        "sent_as_is",
        "simple",
        "wire",
    )

    def __init__(
        self,
        name: str,
        annotation: Any,
        spec: _Spec,
        required: bool,
        nullable: bool,
        wire: str,
        kind: _Kind | None = None,
    ) -> None:
        self.name = name
        self.kind = kind or _kind(annotation)
        self.required = required
        self.nullable = nullable
        self.enum = spec.enum if spec.enum is not None else _literal_values(annotation)
        self.convert = spec.convert
        self.encode = spec.encode
        self.secret = spec.secret
        self.wire = wire
        self.location = "query"
        self.simple = type(self.kind) is _Plain
        #: Whether the value goes on the wire unchanged (the common case, kept fast).
        self.sent_as_is = self.simple and self.encode is None

    def check(self, value: Any, owner: str) -> Any:
        """The value as stored, after the user's value is converted and checked."""
        if value is None:
            if self.required:
                raise ApiValueError(f"{owner}.{self.name} is required and must not be None")
            if not self.nullable:
                raise ApiValueError(f"{owner}.{self.name} must not be None; leave it out instead")
            return None
        if self.convert is not None:
            try:
                value = self.convert(value)
            except ValueError as exc:
                if isinstance(exc, ApiValueError):
                    raise
                raise ApiValueError(f"{owner}.{self.name} {exc}") from None
        if self.simple:  # a plain type: only a check, and the message only when it fails
            if not self.kind.accepts(value):
                self.kind.check(value, f"{owner}.{self.name}")
        else:
            value = self.kind.check(value, f"{owner}.{self.name}")
        if self.required and value == "":
            raise ApiValueError(f"{owner}.{self.name} is required and must not be empty")
        if self.enum is not None:
            items = cast("list[object]", value) if isinstance(value, list) else (value,)
            for item in items:
                if item not in self.enum:
                    allowed = ", ".join(repr(e) for e in self.enum)
                    raise ApiValueError(
                        f"{owner}.{self.name} must be one of {allowed}; got {_show(item)}"
                    )
        return cast(Any, value)  # the checked value, whatever its type

    def to_wire(self, value: Any) -> Any:
        if self.sent_as_is:
            return value
        return self.encode(value) if self.encode is not None else self.kind.encode(value)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass_transform(kw_only_default=True, eq_default=True, field_specifiers=(field,))
class Model:
    """Base class of every request and response model.

    Models compare by value, have a readable repr, give ``to_dict()`` and are built from a
    dict with ``from_dict()``. Item access works with the attribute name or the service's key
    (``response["job_id"]`` or ``response["JobId"]``). Fields the SDK does not know are kept:
    readable by item access with the service's key, and by attribute in snake_case.
    """

    _fields: ClassVar[dict[str, Field]] = {}
    _keys: ClassVar[dict[str, str]] = {}
    _required: ClassVar[frozenset[str]] = frozenset()
    _defaults: ClassVar[dict[str, Any]] = {}
    _decoders: ClassVar[dict[str, tuple[str, Callable[[Any], Any] | None]]] = {}
    #: How field names are spelled on the wire: "snake" (job_id) or "camel" (JobId).
    _wire_case: ClassVar[str] = "snake"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        keys = dict(cls._keys)
        # Only this class's own annotations: the fields of a base model are already in _fields.
        own_annotations: dict[str, Any] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
        for name, annotation in own_annotations.items():
            if name.startswith("_") or get_origin(annotation) is ClassVar:
                continue
            spec = cls.__dict__.get(name, _MISSING)
            if not isinstance(spec, _Spec):
                spec = _Spec(spec, None, None, (), None, None)
            required = spec.default is _MISSING
            if not required:
                setattr(cls, name, spec.default)
            elif name in cls.__dict__:
                delattr(cls, name)  # a required field left unset is read by __getattr__
            wire = spec.wire or (_camel(name) if cls._wire_case == "camel" else name)
            nullable = get_origin(annotation) is Union and type(None) in get_args(annotation)
            fields[name] = Field(name, annotation, spec, required, nullable, wire)
            keys.update(dict.fromkeys(spec.aliases, name))
        for name, f in fields.items():
            keys[name] = keys[f.wire] = name
        cls._fields, cls._keys = fields, keys
        cls._decoders = {
            key: (name, fields[name].kind.decode if fields[name].kind.decodes else None)
            for key, name in keys.items()
        }
        cls._required = frozenset(n for n, f in fields.items() if f.required)
        cls._defaults = {
            n: getattr(cls, n)
            for n in fields
            if n not in cls._required and getattr(cls, n) is not None
        }

    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        missing = cls._required.difference(kwargs)
        if missing:
            raise ApiTypeError(
                f"{cls.__name__} is missing required field(s): {', '.join(sorted(missing))}"
            )
        values = self.__dict__
        values.update(cls._defaults)
        for name, value in kwargs.items():
            f = cls._fields.get(name)
            if f is None:
                raise ApiTypeError(f"{cls.__name__} got an unexpected field {name!r}")
            values[name] = f.check(value, cls.__name__)

    def __setattr__(self, name: str, value: Any) -> None:
        f = self._fields.get(name)
        if f is None:
            raise ApiTypeError(f"{type(self).__name__} has no field {name!r}")
        self.__dict__[name] = f.check(value, type(self).__name__)

    if not TYPE_CHECKING:  # for type checkers, a name the model does not declare is an error

        def __getattr__(self, name: str) -> Any:
            # Only called when normal lookup fails: a required field the service left out, or
            # one of the fields the SDK does not know, by its snake_case name.
            f = self._fields.get(name)
            if f is not None:
                raise MissingFieldError(
                    f"{type(self).__name__} has no field {name!r}: the answer had no {f.wire!r}"
                )
            for key, value in self.__dict__.get("_extra", {}).items():
                if _snake(key) == name:
                    return value
            raise ApiAttributeError(f"{type(self).__name__} has no field {name!r}")

    def __getitem__(self, key: str) -> Any:
        name = self._keys.get(key)
        if name is not None:
            return getattr(self, name)
        extra = self.__dict__.get("_extra", {})
        if key in extra:
            return extra[key]
        raise ApiKeyError(f"{type(self).__name__} has no field {key!r}")

    def __contains__(self, key: str) -> bool:
        name = self._keys.get(key)
        if name is not None:
            return self.__dict__.get(name) is not None
        return key in self.__dict__.get("_extra", {})

    def _set_items(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.__dict__.items()
            if name != "_extra" and value is not None
        }

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Model)
        return self._set_items() == other._set_items() and self.__dict__.get(
            "_extra"
        ) == other.__dict__.get("_extra")

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        values = self._set_items()
        parts = [
            f"{n}='***'" if f.secret else f"{n}={values[n]!r}"
            for n, f in self._fields.items()
            if n in values
        ]
        extra = self.__dict__.get("_extra")
        if extra:
            parts.append(f"extra={extra!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The set fields by attribute name (nested models as dicts), plus unknown fields."""
        fields = self._fields
        result = {n: fields[n].kind.plain(v) for n, v in self._set_items().items()}
        result.update(self.__dict__.get("_extra", {}))
        return result

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """Build a model from a dict keyed by attribute names or the service's keys.

        Known fields are checked as in the constructor; unknown keys are kept as they are.
        """
        if not isinstance(data, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a non-mapping from an untyped caller
            raise ApiTypeError(
                f"{cls.__name__}.from_dict needs a mapping, got {type(data).__name__}"
            )
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            name = cls._keys.get(key)
            if name is None:
                extra[key] = value
            else:
                known[name] = value
        model = cls(**known)
        if extra:
            model.__dict__["_extra"] = extra
        return model

    @classmethod
    def from_wire(cls: type[M], data: Mapping[str, Any]) -> M:
        """Read a model from the service's JSON without checks: nothing it sends is fatal."""
        model = cls.__new__(cls)
        values = model.__dict__
        decoders = cls._decoders
        extra: dict[str, Any] = {}
        for key, value in data.items():
            decoder = decoders.get(key)
            if decoder is None:
                extra[key] = value
            elif value is not None:
                name, decode = decoder
                values[name] = value if decode is None else decode(value)
        if extra:
            values["_extra"] = extra
        return model

    def to_wire(self) -> dict[str, Any]:
        """The JSON object sent to the service: wire keys, unset fields left out."""
        fields = self._fields
        wire: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if value is not None and name != "_extra":
                f = fields[name]
                wire[f.wire] = value if f.sent_as_is else f.to_wire(value)
        wire.update(self.__dict__.get("_extra", {}))
        return wire


def true_false(value: Any) -> Any:
    """Convert a bool, or a "true"/"false" string in any case, to the wire's "true"/"false"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.lower() if isinstance(value, str) else value


def http_url(value: Any) -> Any:
    """Refuse a string that is not an http:// or https:// URL with a host."""
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value


def positive(value: Any) -> Any:
    """Refuse an int below 1."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        raise ValueError(f"must be a positive number, got {value!r}")
    return value


def boolean(value: Any) -> Any:
    """Convert a "true"/"false" string (any case) to a bool; leave anything else as it is."""
    if isinstance(value, str) and value.lower() in TRUE_FALSE:
        return value.lower() == "true"
    return value


def param(
    name: str,
    annotation: Any,
    *,
    required: bool = False,
    enum: Collection[str] | None = None,
    convert: Callable[[Any], Any] | None = None,
    wire: str | None = None,
    location: str = "query",
    secret: bool = False,
) -> Field:
    """A parameter of an endpoint, checked like a model field.

    Args:
        name: the Python argument's name.
        wire: its name on the wire, when that differs (``CreationDateFrom``, ``x-auth-user``).
        location: where it is sent: "query", "header" or "form" (a form-encoded body).
        secret: a credential: masked if the service ever repeats it in an error.
    """
    spec = _Spec(_MISSING if required else None, enum, None, (), convert, None, secret)
    kind = _DateTime(keep_text=True) if annotation is datetime else None
    field_ = Field(name, annotation, spec, required, not required, wire or name, kind)
    field_.location = location
    return field_
