"""One declaration per endpoint: the API method's signature, and ``@endpoint`` beside it.

An API method is declared once::

    @endpoint("GET", "/job/info", retry=True)
    def job_info(self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]) -> JobInfo:
        \"\"\"A job's status, settings and dates.\"\"\"
        ...

The body is never run: the decorator reads everything else from the signature, the first time
the method is called (so that importing an API module stays cheap):

- each parameter is sent under its own name, in the query string, checked against its
  annotation (``Literal`` values, ``int``, ``bool``, dates, lists); ``Annotated[T, Param(...)]``
  gives another wire name (two names send the value under both), a header or form location, a
  conversion, or marks a secret. The keys of a ``**kwargs: Unpack[SomeTypedDict]`` are
  parameters too, except the per-call options of RequestOptions.
- a parameter annotated with a model (``NewJobBody``) is the JSON body; ``body: MediaBody``
  with ``content_length`` (and ``progress_callback``) is a streamed upload; ``destination``
  streams the answer to a file.
- the return annotation is the response: a model, a list of models, ``str`` (text) or None.
- ``retry=True`` marks an operation that may be sent again after the service may have seen it
  (reads, and calls that do nothing the second time); see cielo24.retry.
"""

from __future__ import annotations

import functools
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generic,
    Literal,
    TypeVar,
    Union,
    get_args,
    get_origin,
    overload,
)

from cielo24.api_client import (
    OPTION_NAMES,
    ApiClient,
    Destination,
    Endpoint,
    RawResponse,
    RequestOptions,
)
from cielo24.exceptions import ApiTypeError
from cielo24.model_utils import Field, Model, boolean, param
from cielo24.upload import MediaBody, MediaUpload, ProgressCallback

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    P = ParamSpec("P")
else:
    P = TypeVar("P")  # Operation[P, R] at run time needs only a type variable (Python 3.9)
R = TypeVar("R")


def _log_in(client: ApiClient) -> str:
    """A token from the Configuration's credentials, for a call that needs one: AccountApi's
    log-in, imported with the first (job_api then does not load account_api with every import
    of the SDK)."""
    from cielo24.api.account_api import log_in

    return log_in(client)


class Api:
    """The base of the API classes: each method declared with ``@endpoint`` is sent through
    ``api_client``."""

    def __init__(self, api_client: ApiClient | None = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient()


class Param:
    """How a parameter travels, beyond its name and type: ``Annotated[str, Param(...)]``.

    Args:
        wire: the names it is sent under (the parameter's own name when none; two names send
            the same value under both).
        location: "query", "header" or "form" (a form-encoded body).
        convert: turns the user's value into what is checked and sent; a ValueError it raises
            becomes an ApiValueError naming the parameter.
        secret: a credential: masked wherever it could be shown.
    """

    __slots__ = ("convert", "location", "secret", "wire")

    def __init__(
        self,
        *wire: str,
        location: str = "query",
        convert: Callable[[Any], Any] | None = None,
        secret: bool = False,
    ) -> None:
        self.wire = wire
        self.location = location
        self.convert = convert
        self.secret = secret


def endpoint(
    method: str,
    path: str,
    *,
    retry: bool = False,
    auth: bool = True,
    fallback_path: str | None = None,
    content_type: str | None = None,
    body_in_query: bool = False,
    token_in_form: bool = False,
    wire_case: Literal["snake", "camel"] = "snake",
    unwrap: tuple[str, tuple[str, ...]] | None = None,
    check: Callable[[dict[str, Any]], None] | None = None,
) -> Callable[[Callable[Concatenate[Any, P], R]], Operation[P, R]]:
    """Declare the decorated method as the endpoint ``method path`` (see the module's doc).

    Args:
        retry: safe to send again after the service may have seen it.
        auth: sends the ``api_token`` (every endpoint but login).
        fallback_path: tried once when ``path`` answers a 404 that is not a cielo24 error.
        content_type: the body's Content-Type when it is not JSON or a form.
        body_in_query: every field of the JSON body is also sent in the query string.
        token_in_form: ``v`` and ``api_token`` travel in the form body, not in the URL.
        wire_case: "camel" sends the ``**kwargs`` parameters as ``PascalCase`` names.
        unwrap: ``(argument, keys)``: when that argument is true, the answer is a JSON object
            and the call returns its value under the first of ``keys`` present.
        check: called with the arguments before anything else, to refuse a bad combination
            (or to unpack an argument of another shape, as login does with a LoginBody).
    """

    def decorate(func: Callable[Concatenate[Any, P], R]) -> Operation[P, R]:
        endpoint = Endpoint(
            func.__name__,
            method,
            path,
            auth=auth,
            fallback_path=fallback_path,
            body_in_query=body_in_query,
            token_in_form=token_in_form,
            retry=retry,
        )
        declaration = Declaration(func, endpoint, content_type, wire_case, unwrap, check)
        return Operation(declaration)

    return decorate


class RawResponses:
    """Marks the ``with_raw_response`` views (``JobApiWithRawResponse(RawResponses, JobApi)``):
    their endpoint methods return a RawResponse (status, headers and the parsed answer)."""


class Operation(Generic[P, R]):
    """An endpoint method, as ``@endpoint`` makes it: read through an API object it is the
    method (it returns ``R``), through a ``with_raw_response`` view a method that returns
    ``RawResponse[R]``, through the class the function that takes the API object first."""

    def __init__(self, declaration: Declaration) -> None:
        self.declaration = declaration

        def method(api: Api, /, *args: Any, **kwargs: Any) -> Any:
            return declaration.call(api.api_client, args, kwargs)

        self._method = functools.update_wrapper(method, declaration.func)

    @overload
    def __get__(self, api: None, owner: type[Any]) -> Callable[Concatenate[Any, P], R]: ...

    @overload
    def __get__(self, api: RawResponses, owner: type[Any]) -> Callable[P, RawResponse[R]]: ...

    @overload
    def __get__(self, api: Api, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, api: Api | RawResponses | None, owner: type[Any]) -> Any:
        if api is None:
            return self._method
        if isinstance(api, RawResponses):
            return types.MethodType(self._raw, api)  # a view is an Api too
        return types.MethodType(self._method, api)

    if TYPE_CHECKING:
        # What pyright compares with a Protocol's method (it does not apply __get__ there):
        # the method as an API object has it. Never called: __get__ hands out the method.
        def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def _raw(self, api: Api, /, *args: Any, **kwargs: Any) -> RawResponse[R]:
        name = self.declaration.endpoint.name
        for option, plain in (("async_req", False), ("_preload_content", True)):
            if kwargs.get(option, plain) != plain:
                raise ApiTypeError(
                    f"with_raw_response.{name}() reads and parses the answer: drop {option} "
                    "(api_client.submit(...) runs a call on a worker thread)"
                )
        if kwargs.get("destination") is not None:
            raise ApiTypeError(f"with_raw_response.{name}() returns the answer: drop destination")
        kwargs["_return_http_data_only"] = False
        data, status, headers = self._method(api, *args, **kwargs)
        return RawResponse(data, status, headers)


class Declaration:
    """An endpoint as its method declares it; read from the signature on the first call."""

    def __init__(
        self,
        func: Callable[..., Any],
        endpoint: Endpoint,
        content_type: str | None,
        wire_case: str,
        unwrap: tuple[str, tuple[str, ...]] | None,
        check: Callable[[dict[str, Any]], None] | None,
    ) -> None:
        self.func = func
        self.endpoint = endpoint
        self._content_type = content_type
        self._wire_case = wire_case
        self._unwrap = unwrap
        self._check = check
        self._ready = False
        # From the code object rather than inspect.signature: importing inspect would
        # cost every import of the SDK about 5 ms.
        code = func.__code__
        positional = code.co_varnames[1 : code.co_argcount]  # self left out
        keyword_only = code.co_varnames[
            code.co_argcount : code.co_argcount + code.co_kwonlyargcount
        ]
        defaults = dict(zip(reversed(positional), reversed(func.__defaults__ or ())))
        defaults.update(func.__kwdefaults__ or {})
        self.positional = positional
        self.defaults = defaults
        self.named = frozenset(positional + keyword_only)
        self.required = self.named - defaults.keys()
        self.body_name: str | None = None
        self.upload = False

    def ready(self) -> Endpoint:
        """The endpoint, with its parameters and response read from the signature."""
        if not self._ready:
            self._read_signature()
            self._ready = True
        return self.endpoint

    def _read_signature(self) -> None:
        hints = _hints(self.func)
        fields: list[Field] = []
        body_type: type[Model] | None = None
        for name, hint in hints.items():
            if name in ("self", "return", "destination", "progress_callback"):
                continue
            if name == "kwargs":
                fields.extend(self._keyword_fields(hint))
                continue
            if name == "body" and _strip(hint) is MediaBody:
                self.upload = True
                continue
            if name == "content_length" and "body" in hints:
                continue
            plain = _strip(hint)
            if isinstance(plain, type) and issubclass(plain, Model):
                body_type, self.body_name = plain, name
                continue
            fields.extend(_fields(name, hint, name in self.required, self._location(name)))
        response = _strip(hints.get("return"))
        endpoint = self.endpoint
        endpoint.response_list = get_origin(response) is list
        if endpoint.response_list:
            response = get_args(response)[0]
        if get_origin(response) is Union:  # ``int``: the bytes streamed to a destination
            kept = [a for a in get_args(response) if a is not int]
            response = kept[0] if len(kept) == 1 else str
        if response in (int, str):
            response = str  # text
        endpoint.load(fields, response, body_type, self._content_type)

    def _location(self, name: str) -> str:
        return "form" if name == "v" and self.endpoint.token_in_form else "query"

    def _keyword_fields(self, hint: Any) -> list[Field]:
        options = get_args(hint)[0] if get_args(hint) else hint
        if options is RequestOptions:
            return []
        names = _hints(options)
        fields: list[Field] = []
        for name, item in names.items():
            if name in OPTION_NAMES:
                continue
            wire = "".join(p.capitalize() for p in name.split("_"))
            default_wire = wire if self._wire_case == "camel" else name
            fields.extend(_fields(name, item, False, "query", default_wire))
        return fields

    def call(
        self,
        client: ApiClient,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """Bind the method's arguments and send the request."""
        endpoint = self.ready()
        values = dict(self.defaults)
        if args:
            if len(args) > len(self.positional):
                raise ApiTypeError(
                    f"{endpoint.name}() takes {len(self.positional)} positional arguments "
                    f"but {len(args)} were given"
                )
            for name, value in zip(self.positional, args):
                if name in kwargs:
                    raise ApiTypeError(
                        f"{endpoint.name}() got multiple values for argument {name!r}"
                    )
                values[name] = value
        options: dict[str, Any] = {}
        for name, value in kwargs.items():
            (options if name in OPTION_NAMES else values)[name] = value
        if self._check is not None:
            self._check(values)
        missing = self.required - values.keys()
        if missing:
            names = ", ".join(sorted(missing))
            raise ApiTypeError(f"{endpoint.name}() is missing required argument(s): {names}")
        destination: Destination | None = values.pop("destination", None)
        body: Any = None
        if self.body_name is not None:
            body = values.pop(self.body_name)
        if self.upload:
            callback: ProgressCallback | None = values.pop("progress_callback", None)
            body = MediaUpload(values.pop("body"), values.pop("content_length"), callback)
        unwrap = self._unwrap[1] if self._unwrap and values.get(self._unwrap[0]) else ()
        return client.call_api(
            endpoint, values, body, destination, log_in=_log_in, unwrap=unwrap, **options
        )


def _fields(
    name: str, hint: Any, required: bool, location: str, default_wire: str | None = None
) -> list[Field]:
    """The checked parameters of one argument: one per wire name."""
    spec = next((m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Param)), None)
    plain, enum = _checked_type(_strip(hint))
    convert: Callable[[Any], Any] | None = None
    if name == "v":
        convert = _version_one
    elif plain is bool:
        convert = boolean
    if spec is not None and spec.convert is not None:
        convert = spec.convert
    wires = (spec.wire if spec is not None else ()) or (default_wire or name,)
    return [
        param(
            name,
            plain,
            required=required or name == "v",
            enum=enum,
            convert=convert,
            wire=wire,
            location=spec.location if spec is not None and spec.location != "query" else location,
            secret=spec is not None and spec.secret,
        )
        for wire in wires
    ]


def _version_one(value: Any) -> Any:
    if isinstance(value, bool) or value != 1:
        raise ValueError(f"must be 1, the only API version, got {value!r}")
    return value


def _strip(hint: Any) -> Any:
    """The type without its Annotated metadata."""
    return get_args(hint)[0] if hasattr(hint, "__metadata__") else hint


def _checked_type(hint: Any) -> tuple[Any, tuple[str, ...] | None]:
    """What the run-time check takes for an annotation: Literal values become ``str`` with
    those values allowed, a Sequence a list, a date or datetime a datetime; None is dropped."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return str, tuple(str(a) for a in args)
    if origin is Union:
        checked = [_checked_type(a) for a in args if a is not type(None)]
        enums = [e for _, e in checked if e is not None]
        types = [t for t, _ in checked]
        if datetime in types or date in types:
            return datetime, None
        kind: Any = types[0] if len(types) == 1 else Union[tuple(dict.fromkeys(types))]
        return kind, tuple(v for e in enums for v in e) if enums else None
    if origin in (list, Sequence, tuple) and args:
        item, enum = _checked_type(args[0])
        return list[item], enum  # type: ignore[valid-type]
    if hint is date:
        return datetime, None
    return hint, None


# --- reading annotations at run time --------------------------------------------------


class _Names(dict[str, Any]):
    """The names an API module's annotations use, the ones it imports only for type
    checkers included (models, Unpack): looked up when first needed."""

    def __missing__(self, name: str) -> Any:
        if name == "Unpack":
            return _Unpack
        import cielo24.api.output_options
        import cielo24.enums
        import cielo24.models

        for module in (cielo24.models, cielo24.api.output_options, cielo24.enums, typing):
            if hasattr(module, name):
                return getattr(module, name)
        raise KeyError(name)


class _UnpackType:
    def __getitem__(self, item: Any) -> Any:
        return item


_Unpack = _UnpackType()


@functools.cache
def _evaluate(text: str, module: str) -> Any:
    names = _Names(vars(sys.modules[module]))
    names["__Union"] = Union
    return eval(_with_union_subscripts(text), names, names)


def _with_union_subscripts(text: str) -> types.CodeType:
    """``A | B`` written as ``Union[A, B]``: Python 3.9 cannot evaluate the first, and on every
    version the checks then see one kind of union. (``ast`` is imported here, with the first
    call: at module level it would cost every import of the SDK a millisecond and a half.)"""
    import ast

    class Unions(ast.NodeTransformer):
        def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
            if not isinstance(node.op, ast.BitOr):
                return self.generic_visit(node)
            items = [self.visit(side) for side in (node.left, node.right)]
            return ast.Subscript(
                value=ast.Name(id="__Union", ctx=ast.Load()),
                slice=ast.Tuple(elts=items, ctx=ast.Load()),
                ctx=ast.Load(),
            )

    tree = ast.fix_missing_locations(Unions().visit(ast.parse(text, mode="eval")))
    return compile(tree, "<annotation>", "eval")


def _hints(obj: Any) -> dict[str, Any]:
    """The annotations of a function or a TypedDict, evaluated (with their Annotated
    metadata). A TypedDict keeps the keys of its bases as forward references that know the
    module they were written in."""
    hints: dict[str, Any] = {}
    for key, value in obj.__annotations__.items():
        module = obj.__module__
        if isinstance(value, typing.ForwardRef):
            module = getattr(value, "__forward_module__", None) or module
            value = value.__forward_arg__
        hints[key] = _evaluate(value, module) if isinstance(value, str) else value
    return hints


def declared(api: type) -> Mapping[str, Declaration]:
    """The endpoints an API class declares, by method name."""
    return {
        name: value.declaration
        for name, value in vars(api).items()
        if hasattr(value, "declaration")
    }
