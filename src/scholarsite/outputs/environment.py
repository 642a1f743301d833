"""The Jinja2 environment of the HTML pages: autoescaping, strict, recording the templates
each job loads, compiled templates kept between runs, and two shortcuts in the compiled
templates that keep Jinja's meaning: escaping to text without a Markup object per value,
and the keys of the views (plain dicts) looked up first."""

from __future__ import annotations

import contextlib
import functools
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.compiler
from markupsafe import escape

from ..deps import Recorder
from ..theme import Theme
from .meta import meta_tags

try:
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - markupsafe before 3.0

    def _escape_inner(text: str) -> str:
        return str(escape(text))


#: What `getattr` finds on a dict before its keys (Jinja's order: attribute, then item).
_DICT_ATTRIBUTES = frozenset(dir(dict))


def escape_text(value: Any) -> str:
    """`str(markupsafe.escape(value))` without making a Markup: what an autoescaped
    `{{ value }}` prints (a fifth of a landing page's template time was Markup objects)."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Prints autoescaped output with `escape_text`: the printed text is joined into
    the page at once, so it never needs to be a Markup object."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_text(")
        if finalize.src is not None:
            self.write(finalize.src)


class RecordingEnvironment(jinja2.Environment):
    """An environment that records each template it loads (by name) as a dependency of
    the job being rendered, including those reached by extends, include and import."""

    recorder: Recorder | None = None
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template; a view's key without the AttributeError first
        (the same result: a dict has no attributes but the methods of its class)."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def get_template(self, name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        if self.recorder is not None and isinstance(name, str):
            self.recorder.read(f"template:{name}")
        return super().get_template(name, *args, **kwargs)

    def select_template(self, names: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        if self.recorder is not None and not isinstance(names, jinja2.Undefined):
            for name in names:
                if isinstance(name, str):
                    self.recorder.read(f"template:{name}")
        return super().select_template(names, *args, **kwargs)


class TemplateBytecode(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, as Python keeps .pyc files: in Jinja's
    per-user folder (created private, its owner checked), each checked against its
    template's source; compiling the theme took 35 ms of every build. A folder that
    cannot be used only means compiling again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged: compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _bytecode_cache() -> TemplateBytecode | None:
    try:
        return TemplateBytecode(pattern="scholarsite-2-%s.cache")  # 2: _CodeGenerator
    except (OSError, RuntimeError):  # no usable temporary folder
        return None


def make_environment(theme: Theme, recorder: Recorder | None = None) -> jinja2.Environment:
    """The Jinja2 environment: autoescape on, undefined names are errors; with a
    `recorder`, every template load is recorded."""
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.recorder = recorder
    env.filters["meta_tags"] = meta_tags
    return env
