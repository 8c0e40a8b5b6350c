"""Typed input at the edge (ADR 0029): every public method of the office's services checks
its arguments against its own annotations before its body runs.

A service class subclasses :class:`Facade`; ``__init_subclass__`` wraps every public
function the class defines, so a command added later is checked without extra code. The
first call of a method compiles its annotations (``typing.get_type_hints``) into one small
check per parameter, kept for every later call. A wrong type, a missing or unknown
argument, or an integer outside its bound (:data:`INT_BOUNDS`) is refused with
:class:`~govoffice.domain.errors.InvalidInput` naming the parameter and what was expected,
in words a clerk can read, before anything is loaded or recorded.

Beyond ``isinstance``:

- a bare ``str`` (or ``bytes``) is not a list: ``Iterable[str]`` refuses ``"legal"``
  instead of reading it as the characters ``l, e, g, a, l``; a mapping is not a list
  either, and a list is not a mapping;
- ``bool`` is not an ``int`` (``copies=True`` is refused), and an ``int`` is not a ``bool``;
- every item of a list and every key and value of a mapping is checked; a one-shot
  iterator (a generator) is read once into a tuple, which the method then receives;
- ``Any`` and ``object`` check nothing: there the domain validates (``documents.draft(
  **fields)`` goes to the form builder);
- a ``Protocol`` that is not ``runtime_checkable`` is checked by its methods' presence.

What a value *means* (a time's zone, an enum label, a text's length, a unit that exists)
is the domain's to judge; this module checks only the shape of what arrives.
"""

from __future__ import annotations

import functools
import inspect
import logging
import reprlib
import types
import typing
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal, TypeVar, Union, get_args, get_origin

import attrs

from govoffice.domain.bounds import DEFAULT_INT_BOUND, INT_BOUNDS, Bound
from govoffice.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_INT_BOUND",
    "INT_BOUNDS",
    "LABELS",
    "Bound",
    "Facade",
    "MethodChecks",
    "checks_of",
    "typed",
]

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


# --- the documented bounds and labels -----------------------------------------------------


LABELS: Final[Mapping[str, str]] = {
    "a": "人员",
    "adopted": "是否采纳",
    "agencies": "外单位",
    "agency": "机关",
    "agency_code": "机关代码",
    "agree": "是否同意",
    "also": "另送",
    "asks_decision": "是否请示事项",
    "at": "办理时间",
    "attend": "是否参会",
    "attending_leaders": "出席领导",
    "b": "人员",
    "budget": "预算",
    "budget_10k": "预算(万元)",
    "by": "办理人",
    "category": "会议类别",
    "chair": "主持人",
    "channel": "催办方式",
    "checks": "审核要点",
    "classification": "密级",
    "co_units": "协办处室",
    "contact": "联系电话",
    "content": "内容",
    "copies": "份数",
    "days": "会期",
    "deadline": "办理时限",
    "decided_at": "决定会议",
    "delegated_by": "委托人",
    "distribution_scope": "分送范围",
    "document_id": "公文编号",
    "email": "电子邮箱",
    "end": "结束日期",
    "expected_by": "预计办结日期",
    "expires": "有效期至",
    "field": "所属领域",
    "findings": "检查意见",
    "from_superior": "是否上级来文",
    "functions": "处室职能",
    "funding_source": "列支渠道",
    "guests": "来宾",
    "hosts": "主方人员",
    "importance": "重要程度",
    "include_revoked": "含已吊销",
    "instructed_by": "批示领导",
    "into": "并入会议",
    "invitees": "参会人员",
    "item": "信息序号",
    "items": "议题",
    "keys": "通知编号",
    "kind": "种类",
    "label": "用途",
    "lead_unit": "主办处室",
    "leader": "领导",
    "leaders": "呈批领导",
    "left_early": "早退人员",
    "level": "采用级别",
    "limit": "条数",
    "lodging": "住宿费",
    "main_approver": "主批领导",
    "materials": "材料",
    "meals": "伙食费",
    "measure": "排名指标",
    "meeting_id": "会议编号",
    "month": "月份",
    "name": "名称",
    "new_deadline": "新的时限",
    "note": "催办记录",
    "notes": "注意事项",
    "notice_id": "通报编号",
    "notifier": "通知渠道",
    "number": "编号",
    "on": "日期",
    "on_behalf_of": "被代理人",
    "opinion": "意见",
    "organiser": "主办处室",
    "pages": "页数",
    "participant_scope": "参会人员范围",
    "participants": "人数",
    "part": "分办单位",
    "parts": "分解事项",
    "party": "会签方",
    "payment": "结算方式",
    "percent": "进度百分比",
    "period": "期间",
    "person": "人员",
    "person_id": "人员编号",
    "place": "地点",
    "planned_date": "会议时间",
    "policy": "办理规则",
    "policy_document": "是否政策性文件",
    "proposal": "拟办意见",
    "proposal_id": "建议提案编号",
    "proposers": "提出人",
    "raise_on_failure": "失败时是否报错",
    "rating": "满意度",
    "readers": "传阅人",
    "reason": "理由",
    "record_id": "记录编号",
    "remarks": "备注",
    "result": "结果",
    "results": "审核结果",
    "role": "岗位",
    "roles": "岗位",
    "scheme": "答复分类方案",
    "seat": "座次",
    "secretary": "承办人",
    "sender": "来文单位",
    "sender_type": "来文单位类别",
    "serial": "序号",
    "signatory": "签署人",
    "site": "印制场所",
    "solved": "是否解决",
    "source": "来源",
    "start": "开始日期",
    "starts_at": "开始时间",
    "status": "状态",
    "subject_tags": "主题词",
    "substitute": "代理人",
    "summary": "进展情况",
    "target": "目标",
    "task_id": "督办事项编号",
    "text": "正文",
    "threshold": "通报次数",
    "tier": "处室类别",
    "time_zone": "时区",
    "title": "标题",
    "to": "传阅人",
    "token_id": "令牌编号",
    "unit": "处室",
    "unit_id": "处室编号",
    "units": "处室",
    "until": "延至",
    "urgency": "紧急程度",
    "version": "版本号",
    "within_working_days": "办理时限(工作日)",
    "year": "年份",
}
"""The Chinese name of a parameter, shown before its Python name in a refusal
(``协办处室 co_units 必须是文字列表 …``); a parameter not listed is shown by its Python name."""


def label(name: str) -> str:
    cn = LABELS.get(name)
    return f"{cn} {name}" if cn else name


# --- words a clerk can read ---------------------------------------------------------------


@attrs.frozen
class Words:
    """What a check expects, in Chinese and in English."""

    cn: str
    en: str


_CLASS_WORDS: Final[Mapping[type, Words]] = {
    str: Words("文字", "text"),
    int: Words("整数", "an integer"),
    bool: Words("True 或 False", "True or False"),
    float: Words("数字", "a number"),
    date: Words("日期", "a date"),
    datetime: Words("带时区的日期时间", "a time-zone aware datetime"),
    Decimal: Words("Decimal 数额", "a Decimal"),
    uuid.UUID: Words("UUID", "a UUID"),
    type(None): Words("None(不填)", "None"),
}


def _term(cls: type) -> str:
    """The Chinese term a domain class's docstring opens with (``岗位角色 the roles …``)."""
    doc = (cls.__doc__ or "").strip()
    end = 0
    while end < len(doc) and ("\u4e00" <= doc[end] <= "\u9fff" or doc[end] in "、·"):
        end += 1
    return doc[:end]


ENUM_CHOICES_SHOWN: Final = 8
"""An enum with at most this many members is named by its members' labels."""


def _class_words(cls: type) -> Words:
    if cls in _CLASS_WORDS:
        return _CLASS_WORDS[cls]
    term = _term(cls)
    if issubclass(cls, Enum) and len(cls) <= ENUM_CHOICES_SHOWN:
        labels = [str(getattr(m, "label", m.value)) for m in cls]
        values = [str(m.value) for m in cls]
        return Words("、".join(labels) + " 之一", f"a {cls.__name__} ({', '.join(values)})")
    return Words(f"{term}({cls.__name__})" if term else cls.__name__, f"a {cls.__name__}")


def _joined(parts: list[Words]) -> Words:
    if len(parts) == 1:
        return parts[0]
    return Words(
        "、".join(p.cn for p in parts[:-1]) + "或" + parts[-1].cn,
        ", ".join(p.en for p in parts[:-1]) + " or " + parts[-1].en,
    )


_shown_repr = reprlib.Repr()
_shown_repr.maxstring = 60
_shown_repr.maxother = 60
_shown_repr.maxlong = 40
_shown_repr.maxlist = _shown_repr.maxtuple = _shown_repr.maxset = _shown_repr.maxdict = 4


def shown(value: object) -> str:
    """A short repr of the offending value (a huge list or number is cut)."""
    try:
        return _shown_repr.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


# --- compiled checks ------------------------------------------------------------------------


class _Wrong(Exception):
    """A value does not fit; ``where_cn``/``where_en`` say where inside the argument."""

    def __init__(self, words: Words, value: object, where_cn: str = "", where_en: str = ""):
        super().__init__(words.en)
        self.words = words
        self.value = value
        self.where_cn = where_cn
        self.where_en = where_en

    def inside(self, where_cn: str, where_en: str) -> _Wrong:
        """The same mistake, seen from the container around it (第 1 项的第 2 项, [0][1])."""
        inner = self.where_cn.strip()
        self.where_cn = f"{where_cn.strip()}的{inner}" if inner else where_cn
        self.where_en = where_en + self.where_en
        return self


Check = Callable[[object], object]
"""Returns the value to pass on (the same object, or a one-shot iterator read into a tuple);
raises :class:`_Wrong`."""


@attrs.frozen
class Rule:
    """A compiled check: ``fits`` tells the outer shape (is it a list at all?), ``check``
    checks everything, the shape included (None: ``fits`` is all there is to check),
    ``words`` say what is expected. ``classes``: the rule is ``isinstance(v, classes)``
    and nothing more (unions of such rules become one ``isinstance``)."""

    fits: Callable[[object], bool]
    check: Check | None
    words: Words
    classes: tuple[type, ...] | None = None


def _anything(_value: object) -> bool:
    return True


ANYTHING: Final = Rule(_anything, None, Words("任意值", "anything"))

_NOT_A_LIST: Final = (str, bytes, bytearray, Mapping)


def rule_for(hint: Any, bound: Bound = DEFAULT_INT_BOUND) -> Rule:
    """Compile a type hint into a :class:`Rule` (``bound`` applies to a top-level ``int``)."""
    if hint is Any or hint is object or isinstance(hint, TypeVar):
        return ANYTHING
    if hint is None or hint is type(None):
        return _class_rule(type(None), bound)
    supertype = getattr(hint, "__supertype__", None)  # NewType: PersonId is a str
    if supertype is not None:
        return rule_for(supertype, bound)
    origin, args = get_origin(hint), get_args(hint)
    if origin is typing.Annotated:
        return rule_for(args[0], bound)
    if origin is Union or origin is types.UnionType:
        return _union_rule([rule_for(a, bound) for a in args], args)
    if origin is Literal:
        return _literal_rule(args)
    if origin in (tuple,) and args and args[-1] is not Ellipsis:
        return _fixed_tuple_rule([rule_for(a) for a in args])
    if origin in (dict, Mapping) or (
        isinstance(origin, type) and issubclass(origin, Mapping) and len(args) == 2
    ):
        container = origin if isinstance(origin, type) else Mapping
        return _mapping_rule(container, rule_for(args[0]), rule_for(args[1]), _short(args[0]))
    if isinstance(origin, type) and issubclass(origin, Iterable) and origin is not str:
        item = rule_for(args[0]) if args else ANYTHING
        return _collection_rule(origin, item)
    if origin is type:
        return _subclass_rule(args[0] if args else object)
    if isinstance(origin, type):  # another generic: its class
        return _class_rule(origin, bound)
    if isinstance(hint, type):
        if hint is Iterable or (issubclass(hint, Iterable) and hint in (list, tuple, set)):
            return _collection_rule(hint, ANYTHING)
        return _class_rule(hint, bound)
    if callable(hint) and origin is None and hint is Callable:
        return Rule(callable, None, Words("可调用对象", "a callable"))
    return ANYTHING  # a hint this module does not know: the domain checks


def _class_rule(cls: type, bound: Bound) -> Rule:
    words = _class_words(cls)
    if cls is int:
        ranged = Words(
            f"{_n(bound.low)} 到 {_n(bound.high)} 之间的整数",
            f"an integer from {_n(bound.low)} to {_n(bound.high)}",
        )
        low, high = bound.low, bound.high

        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def in_bounds(v: object) -> object:
            if not is_int(v) or not low <= v <= high:  # type: ignore[operator]
                raise _Wrong(ranged, v)
            return v

        return Rule(is_int, in_bounds, ranged)
    if cls is float:

        def is_number(v: object) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool)

        return Rule(is_number, None, words)
    if getattr(cls, "_is_protocol", False) and not getattr(cls, "_is_runtime_protocol", False):
        members = tuple(n for n in vars(cls) if not n.startswith("_"))

        def has_members(v: object) -> bool:
            return all(callable(getattr(v, n, None)) for n in members)

        return Rule(has_members, None, words)

    def is_instance(v: object) -> bool:
        return isinstance(v, cls)

    return Rule(is_instance, None, words, (cls,))  # bool too: it has no subclasses


def _n(number: int) -> str:
    """A bound as a clerk reads it: 1949, 100,000."""
    return f"{number:,}" if abs(number) >= 10_000 else str(number)


def _union_words(rules: list[Rule], args: tuple[Any, ...]) -> Words:
    kinds = set(args)
    rest = [a for a in args if a is not type(None)]
    optional = len(rest) < len(args)
    enums = [a for a in rest if isinstance(a, type) and issubclass(a, Enum)]
    if {uuid.UUID, str} <= kinds and len(rest) == 2:
        words = Words("编号(UUID 或其文字)", "an id (a UUID or its text)")
    elif str in kinds and any(isinstance(a, type) and issubclass(a, datetime) for a in rest):
        words = Words(
            "带时区的日期时间或 ISO 8601 文字(如 2026-03-10T09:00+08:00)",
            "a time-zone aware datetime or ISO 8601 text (e.g. 2026-03-10T09:00+08:00)",
        )
    elif enums and str in kinds and len(rest) == 2:
        inner = _class_words(enums[0])
        words = Words(
            inner.cn if inner.cn.endswith("之一") else f"{inner.cn}的成员、取值或中文名称",
            f"{inner.en} (or its value or label)",
        )
    else:
        return _joined([r.words for r in rules])
    return _joined([words, _CLASS_WORDS[type(None)]]) if optional else words


def _union_rule(rules: list[Rule], args: tuple[Any, ...]) -> Rule:
    if any(r is ANYTHING for r in rules):
        return ANYTHING
    words = _union_words(rules, args)
    classes = tuple(c for r in rules if r.classes is not None for c in r.classes)
    others = [r for r in rules if r.classes is None]
    if not others:  # str | uuid.UUID, Role | str, date | None: one isinstance
        return Rule(lambda v: isinstance(v, classes), None, words, classes)
    plain = [r for r in others if r.check is None]
    checked = [r for r in others if r.check is not None]

    def fits(v: object) -> bool:
        return isinstance(v, classes) or any(r.fits(v) for r in others)

    def check(v: object) -> object:
        if isinstance(v, classes) or any(r.fits(v) for r in plain):
            return v
        first: _Wrong | None = None
        for r in checked:
            if r.fits(v):  # the alternative of this shape decides, e.g. an int's bounds
                try:
                    return r.check(v)  # type: ignore[misc]
                except _Wrong as wrong:
                    first = first or wrong
        raise first or _Wrong(words, v)

    return Rule(fits, check, words)


def _literal_rule(values: tuple[Any, ...]) -> Rule:
    words = Words("、".join(map(repr, values)) + " 之一", "one of " + ", ".join(map(repr, values)))

    def fits(v: object) -> bool:
        return any(v == x and type(v) is type(x) for x in values)

    return Rule(fits, None, words)


def _subclass_rule(cls: Any) -> Rule:
    name = getattr(cls, "__name__", str(cls))

    def fits(v: object) -> bool:
        return isinstance(v, type) and (not isinstance(cls, type) or issubclass(v, cls))

    return Rule(fits, None, Words(f"{name} 类", f"a {name} class"))


def _collection_rule(container: type, item: Rule) -> Rule:
    one_shot_allowed = not issubclass(container, Collection)
    if container in (list, tuple, set, frozenset):
        noun_cn, noun_en = {
            list: ("列表(list)", "a list"),
            tuple: ("元组(tuple)", "a tuple"),
            set: ("集合(set)", "a set"),
            frozenset: ("集合(frozenset)", "a frozenset"),
        }[container]
    else:
        noun_cn, noun_en = "列表", "a list"
    if item is ANYTHING:
        words = Words(noun_cn, noun_en)
    elif any(mark in item.words.cn for mark in "或、,("):  # a compound item: say it after
        words = Words(f"{noun_cn},每项为{item.words.cn}", f"{noun_en} of {item.words.en}")
    else:
        words = Words(f"{item.words.cn}{noun_cn}", f"{noun_en} of {item.words.en}")

    def fits(v: object) -> bool:
        return isinstance(v, container) and not isinstance(v, _NOT_A_LIST)

    item_check = item.check
    item_fits = item.fits

    def check(v: object) -> object:
        if not fits(v):
            raise _Wrong(words, v)
        values: Iterable[object] = v  # type: ignore[assignment]
        if one_shot_allowed and not isinstance(v, Collection):
            values = tuple(values)  # a generator: read once, and pass on what was read
        changed: list[object] | None = None
        for i, x in enumerate(values):
            if not item_fits(x):
                raise _Wrong(item.words, x, f"第 {i + 1} 项", f"[{i}]")
            if item_check is not None:
                try:
                    y = item_check(x)
                except _Wrong as wrong:
                    raise wrong.inside(f"第 {i + 1} 项", f"[{i}]") from None
                if y is not x:
                    changed = changed if changed is not None else list(values)
                    changed[i] = y
        if changed is not None:
            return list(changed) if isinstance(v, list) else tuple(changed)
        return values

    return Rule(fits, check, words)


def _fixed_tuple_rule(items: list[Rule]) -> Rule:
    words = Words(
        "(" + ", ".join(i.words.cn for i in items) + ")",
        "a tuple (" + ", ".join(i.words.en for i in items) + ")",
    )

    def fits(v: object) -> bool:
        return isinstance(v, tuple | list) and len(v) == len(items)

    def check(v: object) -> object:
        if not fits(v):
            raise _Wrong(words, v)
        for i, (x, r) in enumerate(zip(v, items, strict=True)):  # type: ignore[call-overload]
            if not r.fits(x):
                raise _Wrong(r.words, x, f"第 {i + 1} 项", f"[{i}]")
            if r.check is not None:
                try:
                    r.check(x)
                except _Wrong as wrong:
                    raise wrong.inside(f"第 {i + 1} 项", f"[{i}]") from None
        return v

    return Rule(fits, check, words)


def _short(hint: Any) -> Words:
    """A mapping's key named briefly: an enum (or an enum or its label) by its term."""
    enums = [a for a in (get_args(hint) or (hint,)) if isinstance(a, type) and issubclass(a, Enum)]
    if enums:
        term = _term(enums[0])
        name = enums[0].__name__
        return Words(f"{term}({name})" if term else name, f"{name}")
    return rule_for(hint).words


def _mapping_rule(container: type, key: Rule, value: Rule, key_words: Words) -> Rule:
    words = Words(
        f"以{key_words.cn}为键、{value.words.cn}为值的对照表(dict)",
        f"a mapping of {key_words.en} to {value.words.en}",
    )

    def fits(v: object) -> bool:
        return isinstance(v, container)

    def check(v: object) -> object:
        if not fits(v):
            raise _Wrong(words, v)
        for k, x in v.items():  # type: ignore[attr-defined]
            if not key.fits(k):
                raise _Wrong(key.words, k, f"键 {shown(k)} ", f" key {shown(k)}")
            if key.check is not None:
                try:
                    key.check(k)
                except _Wrong as wrong:
                    raise wrong.inside(f"键 {shown(k)} ", f" key {shown(k)}") from None
            where_cn, where_en = f"「{k}」项", f"[{k!r}]"
            if not value.fits(x):
                raise _Wrong(value.words, x, where_cn, where_en)
            if value.check is not None:
                try:
                    value.check(x)
                except _Wrong as wrong:
                    raise wrong.inside(where_cn, where_en) from None
        return v

    return Rule(fits, check, words)


# --- one method's checks ----------------------------------------------------------------


def _runner(name: str, rule: Rule) -> Callable[[object], object]:
    """The parameter's check as one closure: the value to pass on, or InvalidInput."""
    words = rule.words
    classes, check, fits = rule.classes, rule.check, rule.fits
    if classes is not None:

        def run_isinstance(value: object) -> object:
            if isinstance(value, classes):
                return value
            raise refusal(name, _Wrong(words, value))

        return run_isinstance
    if check is not None:

        def run_check(value: object) -> object:
            try:
                return check(value)
            except _Wrong as wrong:
                raise refusal(name, wrong) from None

        return run_check

    def run_fits(value: object) -> object:
        if fits(value):
            return value
        raise refusal(name, _Wrong(words, value))

    return run_fits


@attrs.frozen
class ParameterCheck:
    """One parameter's compiled check (``check(value)`` gives the value to pass on, or
    raises :class:`InvalidInput` naming the parameter)."""

    name: str
    rule: Rule
    bound: Bound | None
    """The integer bound in force, when the parameter takes an integer."""
    run: Callable[[object], object] = attrs.field(repr=False)

    def __call__(self, value: object) -> object:
        return self.run(value)


def refusal(name: str, wrong: _Wrong) -> InvalidInput:
    """The clerk's message: ``协办处室 co_units 必须是文字列表,而不是 None (expected …)``."""
    what = label(name)
    where = f" 的{wrong.where_cn.strip()}" if wrong.where_cn else ""
    expected = wrong.words.cn
    gap = " " if expected[:1].isdigit() else ""
    return InvalidInput(
        f"{what}{where} 必须是{gap}{expected},而不是 {shown(wrong.value)} "
        f"({name}{wrong.where_en}: expected {wrong.words.en})",
        what=what,
        parameter=name,
        expected=expected,
        value=wrong.value,
    )


Apply = Callable[[tuple[Any, ...], dict[str, Any]], tuple[Any, ...]]


@attrs.frozen
class MethodChecks:
    """The compiled checks of one method: by name (:attr:`checks`), and :attr:`apply`, which
    checks the arguments of one call (``args[0]`` is ``self``), returns the positional
    arguments to pass on and updates ``kwargs`` in place (a generator read into a tuple),
    or raises :class:`InvalidInput`. :attr:`unresolved`: annotations that could not be
    resolved (none, in this package: a test says so)."""

    qualname: str
    checks: Mapping[str, ParameterCheck | None]
    apply: Apply = attrs.field(repr=False)
    unresolved: tuple[str, ...] = ()


def _applier(
    qualname: str,
    positional: list[tuple[str, ParameterCheck | None]],
    by_name: dict[str, ParameterCheck | None],
    required: list[tuple[str, int]],
    var_positional: tuple[bool, ParameterCheck | None],
    var_keyword: tuple[bool, ParameterCheck | None],
) -> Apply:
    """One closure that checks a call's arguments, everything it needs in local names (it
    runs on every command)."""
    runs = {name: None if c is None else c.run for name, c in by_name.items()}
    pos_names = tuple(name for name, _ in positional)
    pos_runs = tuple(None if c is None else c.run for _, c in positional)
    npos = len(positional)
    takes_more, more = (
        var_positional[0],
        None if var_positional[1] is None else var_positional[1].run,
    )
    takes_any, any_run = var_keyword[0], None if var_keyword[1] is None else var_keyword[1].run
    must = tuple(required)

    def apply(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        n = len(args) - 1
        out: list[Any] | None = None
        if n:
            if n > npos and not takes_more:
                raise InvalidInput(
                    f"{qualname} 最多接受 {npos} 个位置参数,而给了 {n} 个 "
                    "(too many positional arguments; give the others by name)",
                    parameter=None,
                )
            for i in range(n):
                if i < npos:
                    if pos_names[i] in kwargs:
                        raise InvalidInput(
                            f"参数 {label(pos_names[i])} 给了两次 (argument given twice)",
                            parameter=pos_names[i],
                        )
                    run = pos_runs[i]
                else:
                    run = more
                if run is not None:
                    value = args[i + 1]
                    new = run(value)
                    if new is not value:
                        out = out if out is not None else list(args)
                        out[i + 1] = new
        for name, value in kwargs.items():
            if name in runs:
                run = runs[name]
            elif takes_any:
                run = any_run
            else:
                raise InvalidInput(
                    f"{qualname} 没有参数 {name} (unexpected argument {name!r})",
                    parameter=name,
                )
            if run is not None:
                new = run(value)
                if new is not value:
                    kwargs[name] = new
        for name, position in must:
            if position >= n and name not in kwargs:
                raise InvalidInput(
                    f"缺少参数 {label(name)} (missing argument {name!r})", parameter=name
                )
        return args if out is None else tuple(out)

    return apply


def _hints(func: Callable[..., Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The method's parameter annotations, resolved; an annotation that names something
    only imported for type checkers is resolved on its own, or listed as unresolved."""
    try:
        hints = typing.get_type_hints(func)
        hints.pop("return", None)
        return hints, ()
    except Exception:  # e.g. the return annotation names a TYPE_CHECKING-only class
        pass
    hints, unresolved = {}, []
    for name, annotation in func.__annotations__.items():
        if name == "return":
            continue
        holder = types.SimpleNamespace(__annotations__={name: annotation})
        try:
            hints[name] = typing.get_type_hints(holder, globalns=func.__globals__)[name]
        except Exception:
            unresolved.append(name)
    return hints, tuple(unresolved)


def _int_in(hint: Any) -> bool:
    if hint is int:
        return True
    origin = get_origin(hint)
    return (origin is Union or origin is types.UnionType) and int in get_args(hint)


def checks_of(func: Callable[..., Any]) -> MethodChecks:
    """Compile the checks of a method from its signature and annotations."""
    func = inspect.unwrap(func)
    hints, unresolved = _hints(func)
    params = list(inspect.signature(func).parameters.values())[1:]  # self
    by_name: dict[str, ParameterCheck | None] = {}
    positional: list[tuple[str, ParameterCheck | None]] = []
    required: list[tuple[str, int]] = []
    var_positional: tuple[bool, ParameterCheck | None] = (False, None)
    var_keyword: tuple[bool, ParameterCheck | None] = (False, None)
    for p in params:
        hint = hints.get(p.name, Any)
        bound = INT_BOUNDS.get(p.name, DEFAULT_INT_BOUND) if _int_in(hint) else None
        rule = rule_for(hint, bound or DEFAULT_INT_BOUND)
        check = (
            None if rule is ANYTHING else ParameterCheck(p.name, rule, bound, _runner(p.name, rule))
        )
        if p.kind is p.VAR_POSITIONAL:
            var_positional = (True, check)
        elif p.kind is p.VAR_KEYWORD:
            var_keyword = (True, check)
        else:
            if p.kind is not p.KEYWORD_ONLY:
                positional.append((p.name, check))
            if p.kind is not p.POSITIONAL_ONLY:
                by_name[p.name] = check
            if p.default is p.empty:
                at = len(params) if p.kind is p.KEYWORD_ONLY else len(positional) - 1
                required.append((p.name, at))
    return MethodChecks(
        qualname=func.__qualname__,
        checks=by_name,
        apply=_applier(
            func.__qualname__, positional, by_name, required, var_positional, var_keyword
        ),
        unresolved=unresolved,
    )


# --- the mechanism --------------------------------------------------------------------------


def typed(func: F) -> F:
    """Check ``func``'s arguments against its annotations on every call (compiled on the
    first call, then kept)."""
    if getattr(func, "__typed__", False):
        return func
    apply: Apply | None = None

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        nonlocal apply
        if apply is None:
            compiled = checks_of(func)
            if compiled.unresolved:
                log.warning(
                    "%s: annotations of %s not resolved, not checked",
                    compiled.qualname,
                    ", ".join(compiled.unresolved),
                )
            apply = compiled.apply
        return func(*apply(args, kwargs), **kwargs)

    checked.__typed__ = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


class Facade:
    """A public face of the office (``office.documents``, ``office.queues``, …): every
    public method a subclass defines checks its arguments' types (:func:`typed`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the class's own methods, and those it takes from a mixin that is not a Facade
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and not getattr(member, "__typed__", False):
                setattr(cls, name, typed(member))
