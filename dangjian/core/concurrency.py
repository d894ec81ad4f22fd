"""Edit conflicts: two people editing one record must not silently overwrite each other.

``EditConflictMixin`` goes on a ModelForm. The edit page carries a signed hidden field with the
record's version (its ``updated_at``) and the values the user was shown. When the form comes
back and the record has changed meanwhile, the form is not saved; it is shown again with

- the user's own input kept;
- every field another user changed named, with its old and new value (and who changed it,
  from the audit log), as a message at the top and on the field;
- the other user's values taken over in fields this user left alone, so saving again does not
  undo their change; where both changed one field, the user's value stays, marked, to decide;
- a fresh version, so the next save goes through: the user has now seen the other change.

Between the check in ``clean()`` and the write another save could still slip in; the view
wraps its write in ``form.save_guard()``, which re-checks the version with the row locked
(SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already admits one writer).
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

_SALT = "dangjian.core.concurrency"
FIELD = "edit_baseline"


def canonical(value: Any) -> Any:
    """A comparable form of a field value, the same whether it came from the database or a form."""
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(canonical(v)) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value).replace("\r\n", "\n").strip()


@dataclass(frozen=True)
class Change:
    """One field another user changed while this user was editing."""

    field: str
    label: str
    before: str
    after: str
    also_mine: bool  # this user changed the field too, to something else


class EditConflictMixin:
    """ModelForm mixin: detect a concurrent change, show it, keep the user's input (see module doc)."""

    conflict: list[Change] | None = None
    # Also stop when the record changed only outside this form's fields (e.g. attendance kept
    # beside the activity form): the form cannot merge what it does not show.
    conflict_on_any_change = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self._stored_version = self._version(self.instance)
        if self.instance.pk:
            # Callables are evaluated when the field renders: after the subclass's __init__ has
            # settled which fields the form has.
            self.initial[FIELD] = lambda: self._token(self.instance, self._stored)

    @property
    def _stored(self) -> dict[str, Any]:
        """The record's values as loaded, taken before the form writes its input onto the instance."""
        if "_stored_values" not in self.__dict__:
            self.__dict__["_stored_values"] = self._values(self.instance) if self.instance.pk else {}
        return self.__dict__["_stored_values"]

    @_stored.setter
    def _stored(self, values: dict[str, Any]) -> None:
        self.__dict__["_stored_values"] = values

    # What is compared --------------------------------------------------------------------
    def _compared_fields(self) -> list[str]:
        model_fields = {f.name for f in self.instance._meta.get_fields()}
        return [name for name in self.fields if name != FIELD and name in model_fields]

    def _values(self, instance: Model) -> dict[str, Any]:
        values = {}
        for name in self._compared_fields():
            field = instance._meta.get_field(name)
            if field.many_to_many:
                values[name] = list(getattr(instance, name).all()) if instance.pk else []
            elif field.is_relation:
                values[name] = getattr(instance, name, None)
            else:
                values[name] = getattr(instance, name)
        return values

    @staticmethod
    def _version(instance: Model) -> str:
        return canonical(getattr(instance, "updated_at", None))

    def _display(self, name: str, value: Any) -> str:
        field = self.fields[name]
        if value in (None, "", []):
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if isinstance(value, datetime.datetime):
            return (
                timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
                if timezone.is_aware(value)
                else str(value)
            )
        if isinstance(value, datetime.date):
            return value.isoformat()
        choices = getattr(field, "choices", None)
        if choices is not None and not isinstance(field, forms.ModelChoiceField):
            return str(
                dict((str(k), v) for k, v in choices if not isinstance(v, list | tuple)).get(
                    str(value), value
                )
            )
        return str(value)

    def _token(self, instance: Model, values: dict[str, Any]) -> str:
        return signing.dumps(
            {
                "v": self._version(instance),
                "c": {name: canonical(value) for name, value in values.items()},
                "s": {name: self._display(name, value) for name, value in values.items()},
            },
            salt=_SALT,
            compress=True,
        )

    # The check -----------------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        # The version is read from the posted data; views that pass cleaned_data on as model
        # fields must not see it.
        cleaned.pop(FIELD, None)
        self._check(self.instance, self._stored, self._stored_version)
        return cleaned

    def _baseline(self) -> dict[str, Any] | None:
        raw = self.data.get(self.add_prefix(FIELD))  # type: ignore[attr-defined]
        if not raw or not self.instance.pk:
            return None  # a form from before this check existed, or a script: nothing to compare
        try:
            return signing.loads(raw, salt=_SALT)
        except signing.BadSignature:
            return None

    def _check(self, current: Model, stored: dict[str, Any], version: str) -> None:
        base = self._baseline()
        if base is None or base["v"] == version:
            return
        theirs = [name for name in stored if canonical(stored[name]) != base["c"].get(name)]
        if not theirs and self.conflict_on_any_change:
            self.conflict = []
            self._rebind({}, self._token(current, stored))
            raise ValidationError(
                "在您编辑期间，%(who)s修改了这条记录。您填写的内容没有丢失；请核对后再次保存（将以您填写的为准）。",
                code="edit_conflict",
                params={"who": self._who_changed(current, base["v"])},
            )
        if not theirs:
            return  # the record changed only in fields this form does not show
        cleaned = getattr(self, "cleaned_data", {})
        changes, take = [], {}
        for name in theirs:
            mine = canonical(cleaned[name]) if name in cleaned else None
            if mine == canonical(stored[name]):
                continue  # both made the same change
            also_mine = mine is not None and mine != base["c"].get(name)
            changes.append(
                Change(
                    name,
                    str(self.fields[name].label),
                    base["s"].get(name, ""),
                    self._display(name, stored[name]),
                    also_mine,
                )
            )
            if not also_mine:
                take[name] = stored[name]
        if not changes:
            return
        self.conflict = changes
        self._rebind(take, self._token(current, stored))
        who = self._who_changed(current, base["v"])
        for change in changes:
            note = f"其他用户已改为：{change.after}（原为：{change.before}）"
            if change.also_mine:
                note += "。您也修改了此项，保留的是您填写的值，请核对。"
            else:
                note += "。已换成其他用户的值。"
            self.add_error(change.field, note)  # type: ignore[attr-defined]
        summary = "；".join(f"{c.label}：{c.before} → {c.after}" for c in changes)
        raise ValidationError(
            "在您编辑期间，%(who)s修改了这条记录（%(summary)s）。您填写的内容没有丢失；请核对标出的项目后再次保存。",
            code="edit_conflict",
            params={"who": who, "summary": summary},
        )

    def _rebind(self, take: dict[str, Any], token: str) -> None:
        """Show the form again with the other user's values where this user changed nothing."""
        data = self.data.copy()  # type: ignore[attr-defined]
        for name, value in take.items():
            key = self.add_prefix(name)  # type: ignore[attr-defined]
            prepared = self.fields[name].prepare_value(
                [v.pk for v in value] if isinstance(value, list) else getattr(value, "pk", value)
            )
            if isinstance(prepared, list | tuple):
                data.setlist(key, [str(v) for v in prepared])
            elif isinstance(self.fields[name].widget, forms.CheckboxInput):
                if prepared:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                formatted = self.fields[name].widget.format_value(prepared)
                data[key] = "" if formatted is None else formatted
        data[self.add_prefix(FIELD)] = token  # type: ignore[attr-defined]
        self.data = data

    @staticmethod
    def _who_changed(instance: Model, since: str) -> str:
        from django.contrib.contenttypes.models import ContentType

        from dangjian.core.models import AuditLog

        try:
            moment = datetime.datetime.fromisoformat(since)
        except ValueError:
            return "其他用户"
        names = list(
            AuditLog.objects.filter(
                content_type=ContentType.objects.get_for_model(instance),
                object_id=str(instance.pk),
                timestamp__gte=moment,
            )
            .order_by("timestamp")
            .values_list("actor_name", flat=True)
            .distinct()
        )
        return "、".join(dict.fromkeys(names)) or "其他用户"

    # The write -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def save_guard(self) -> Iterator[None]:
        """Wrap the write: re-check the version with the row locked, in the write's transaction."""
        with transaction.atomic():
            if self.instance.pk:
                model = type(self.instance)
                fresh = model._base_manager.select_for_update().get(pk=self.instance.pk)
                version = self._version(fresh)
                if version != self._stored_version:
                    stored = self._values(fresh)
                    self._stored, self._stored_version = stored, version
                    # Raises the conflict for the view to put on the form, like any action's error.
                    self._check(fresh, stored, version)
            yield
