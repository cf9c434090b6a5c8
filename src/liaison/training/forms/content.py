"""Forms for lessons and their parts: the page text, the file or video, the SCORM package.

Uploads are checked here, before anything is stored: size, kind of file and, for a SCORM
package, the whole package (the service reads it again when it unpacks it).
"""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .. import scorm
from ..models import Lesson, LessonPart, PartKind, Quiz

MB = 1024 * 1024
VIDEO_EXTENSIONS = ["mp4", "webm"]
FILE_EXTENSIONS = [
    "pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv", "ppt", "pptx",
    "odp", "png", "jpg", "jpeg", "zip", "mp3",
]  # fmt: skip


def upload_limits() -> dict:
    return {
        PartKind.FILE: getattr(settings, "TRAINING_FILE_MAX_BYTES", 50 * MB),
        PartKind.VIDEO: getattr(settings, "TRAINING_VIDEO_MAX_BYTES", 200 * MB),
        PartKind.SCORM: scorm.limits()["zip_bytes"],
    }


def _check_upload(upload, kind, extensions):
    limit = upload_limits()[kind]
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    if extension not in extensions:
        raise forms.ValidationError(
            _("Files of type .%(extension)s are not accepted here; use %(allowed)s."),
            params={
                "extension": extension or "?",
                "allowed": ", ".join(f".{e}" for e in extensions),
            },
        )
    return upload


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class PartForm(forms.ModelForm):
    """One form for every kind of part; the fields that do not belong to the kind are dropped."""

    upload = forms.FileField(label=_("File"), required=False)
    package = forms.FileField(
        label=_("SCORM package"),
        required=False,
        help_text=_("A zip file with imsmanifest.xml at its root (SCORM 1.2 or 2004)."),
    )

    class Meta:
        model = LessonPart
        fields = ["title", "body", "quiz"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, kind, module, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        editing = self.instance.pk is not None
        keep = {"title"}
        if kind == PartKind.PAGE:
            keep.add("body")
            self.fields["body"].required = True
        elif kind == PartKind.FILE:
            keep.add("upload")
            self.fields["upload"].help_text = _(
                "Up to %(limit)s; accepted: %(types)s. Learners download it."
            ) % {
                "limit": filesizeformat(upload_limits()[PartKind.FILE]),
                "types": ", ".join(FILE_EXTENSIONS),
            }
        elif kind == PartKind.VIDEO:
            keep.add("upload")
            self.fields["upload"].label = _("Video")
            self.fields["upload"].widget.attrs["accept"] = ".mp4,.webm,video/mp4,video/webm"
            self.fields["upload"].help_text = _("MP4 or WebM, up to %(limit)s.") % {
                "limit": filesizeformat(upload_limits()[PartKind.VIDEO])
            }
        elif kind == PartKind.SCORM:
            keep.add("package")
            self.fields["package"].widget.attrs["accept"] = ".zip,application/zip"
        elif kind == PartKind.QUIZ:
            keep.add("quiz")
            self.fields["quiz"].required = True
            self.fields["quiz"].queryset = Quiz.objects.filter(module=module)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if editing and "upload" in self.fields:
            self.fields["upload"].help_text += " " + str(_("Leave empty to keep the current file."))
        if editing and "package" in self.fields:
            self.fields["package"].help_text = _(
                "Leave empty to keep the current package; a new one replaces it."
            )
        self.package_checked = None

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None or not self.instance.file:
                raise forms.ValidationError(_("Choose the file to upload."))
            return None
        extensions = VIDEO_EXTENSIONS if self.kind == PartKind.VIDEO else FILE_EXTENSIONS
        return _check_upload(upload, self.kind, extensions)

    def clean_package(self):
        upload = self.cleaned_data.get("package")
        if not upload:
            if self.instance.pk is None or self.instance.scorm_id is None:
                raise forms.ValidationError(_("Choose the SCORM package (a zip file) to upload."))
            return None
        _check_upload(upload, PartKind.SCORM, ["zip"])
        try:
            archive, _members, manifest = scorm.open_package(upload)
        except scorm.ScormError as error:
            raise forms.ValidationError(str(error)) from error
        archive.close()
        upload.seek(0)
        self.package_checked = manifest
        return upload


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1
