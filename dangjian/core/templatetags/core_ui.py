"""Small template helpers for the page shell."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def page_title(context: Any) -> SafeString:
    """The page's ``title`` block once more, so it can be the heading without being written twice."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block("title") if blocks else None
    if block is None:
        return mark_safe("")
    with context.push(block=block):
        return mark_safe(block.nodelist.render(context).strip())


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (``page`` for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Chinese names for fields declared without a verbose_name (e.g. a plain ``user`` link).
FIELD_FALLBACK = {
    "user": "登录账号",
    "member": "党员",
    "organization": "党组织",
    "parent": "上级组织",
    "path": "路径",
    # keys of named actions (audit.record) that are not model fields
    "from_status": "原状态",
    "to_status": "新状态",
    "makeup_on": "补学日期",
    "seed": "随机种子",
    "picked": "抽中人员编号",
    "file": "文件",
    "size": "大小（字节）",
    "content_type": "文件类型",
    "counterpart": "对方单位",
    "date": "日期",
    "admission_date": "入党日期",
    "confirmation_date": "转正日期",
    "months": "延长月数",
    "reason": "原因",
    "from": "原党组织",
    "to": "转入党组织",
    "note": "说明",
    "created_by": "创建人",
    "step": "步骤",
    "eligible": "应到人数",
    "present": "实到人数",
    "for": "赞成票",
    "against": "反对票",
    "abstain": "弃权票",
}
# Keys whose values are codes of another field's choices (from_status → status's labels).
VALUE_CHOICES_OF = {"from_status": "status", "to_status": "status"}
VIA_LABELS = {
    "web": "网页",
    "cli": "命令行",
    "import": "导入",
    "demo": "演示数据",
    "system": "系统",
    "admin": "管理后台",
}


@register.filter
def via_label(via: str) -> str:
    """How a change came in (web, cli, import …), in Chinese."""
    return VIA_LABELS.get(via, via)


@register.simple_tag
def audit_models() -> list[tuple[str, str]]:
    """The kinds of record that have audit entries, for the log's filter: (model, Chinese name)."""
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditLog

    ids = AuditLog.objects.values_list("content_type_id", flat=True).distinct()
    found = [
        (ct.model, str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model)
        for ct in ContentType.objects.filter(pk__in=ids)
    ]
    return sorted(found, key=lambda pair: pair[1])


@register.filter
def audit_rows(entry: Any) -> list[dict[str, Any]]:
    """An audit entry's changes as rows: the field's Chinese name, and before/after (or one value)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    names: dict[str, str] = {}
    choices: dict[str, dict[Any, str]] = {}
    if model is not None:
        for field in model._meta.concrete_fields:
            names[field.attname] = str(field.verbose_name)
            names[field.name] = str(field.verbose_name)
            if field.choices:
                choices[field.name] = {code: str(label) for code, label in field.flatchoices}
    rows = []
    for key, value in (entry.changes or {}).items():
        if names.get(key, key).isascii():
            names[key] = FIELD_FALLBACK.get(key.removesuffix("_id"), key)
        pair = isinstance(value, list) and len(value) == 2

        def shown(v: Any, key: str = key) -> Any:
            # The log stores raw values: show 是/否 and choice labels, not True/False or codes.
            if isinstance(v, bool):
                return "是" if v else "否"
            if isinstance(v, dict | list):
                # A whole structure (a report genre's body) dumped as Python text is unreadable
                # and thousands of characters long: a short list reads as a list, the rest as its
                # size (the record itself shows the content).
                if isinstance(v, list) and all(isinstance(x, str | int | float) for x in v):
                    return "、".join(str(x) for x in v) or "（空）"
                return f"（结构化内容，{len(json.dumps(v, ensure_ascii=False))}个字符）"
            labels = choices.get(key) or choices.get(VALUE_CHOICES_OF.get(key, ""), {})
            return labels.get(v, v) if isinstance(v, str | int) else v

        rows.append(
            {
                "field": names.get(key, key),
                "pair": pair,
                "before": shown(value[0]) if pair else None,
                "after": shown(value[1] if pair else value),
            }
        )
    return rows


@register.filter(name="abs")
def absolute(value: Any) -> Any:
    """-12 → 12 (days overdue shown as a positive number)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or "" when absent."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def indent_depth(depth: Any) -> str:
    """Full-width spaces to indent a tree level inside a <select> option."""
    try:
        return "\u3000" * int(depth)
    except (TypeError, ValueError):
        return ""
