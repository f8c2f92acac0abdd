"""One rule puts a service's refusal on the form that asked for it: per field where the form has
the field, the rest on the form as a whole (core.forms.apply_error_to_form). No database."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.errors import ApplicationError
from core.forms import apply_error_to_form


class CorrectionForm(forms.Form):
    value = forms.DecimalField()
    reason = forms.CharField()


def bound_form() -> CorrectionForm:
    form = CorrectionForm({"value": "5", "reason": "typo"})
    assert form.is_valid()
    return form


def refused(errors: dict | None = None) -> ApplicationError:
    extra = {"errors": errors} if errors is not None else {}
    return ApplicationError("test.refused", "This cannot be saved: fix the fields marked.", extra)


def test_application_error_messages_go_on_their_fields_and_no_summary_when_placed():
    form = bound_form()
    apply_error_to_form(form, refused({"value": ["Too high.", "Not a round number."], "reason": "Say why."}))
    assert form.errors == {"value": ["Too high.", "Not a round number."], "reason": ["Say why."]}
    assert "value" not in form.cleaned_data  # a field with an error is no longer clean


def test_application_error_without_field_errors_puts_its_message_on_the_form():
    form = bound_form()
    apply_error_to_form(form, refused())
    assert form.non_field_errors() == ["This cannot be saved: fix the fields marked."]
    assert list(form.errors) == [NON_FIELD_ERRORS]


def test_when_no_field_fits_the_summary_stands_for_the_messages():
    form = bound_form()
    apply_error_to_form(form, refused({"key_result": ["The objective is not approved."]}))
    assert form.errors == {NON_FIELD_ERRORS: ["This cannot be saved: fix the fields marked."]}


def test_messages_for_fields_the_form_lacks_go_on_the_form_when_others_were_placed():
    form = bound_form()
    apply_error_to_form(form, refused({"value": ["Too high."], "key_result": ["The objective is not approved."]}))
    assert form.errors == {"value": ["Too high."], NON_FIELD_ERRORS: ["The objective is not approved."]}


def test_form_wide_messages_are_placed_on_the_form_without_the_summary():
    form = bound_form()
    apply_error_to_form(form, refused({NON_FIELD_ERRORS: ["Pick a later day."]}))
    assert form.errors == {NON_FIELD_ERRORS: ["Pick a later day."]}


def test_summary_true_shows_the_message_above_every_field_message():
    form = bound_form()
    apply_error_to_form(form, refused({"value": ["Too high."], "specific": ["Name the customer."]}), summary=True)
    assert form.errors == {
        NON_FIELD_ERRORS: ["This cannot be saved: fix the fields marked.", "Name the customer."],
        "value": ["Too high."],
    }


def test_summary_true_keeps_messages_no_field_fits_too():
    form = bound_form()
    apply_error_to_form(form, refused({"specific": ["Name the customer."]}), summary=True)
    assert form.non_field_errors() == ["This cannot be saved: fix the fields marked.", "Name the customer."]


def test_field_names_translate_a_service_field_the_form_calls_otherwise():
    form = bound_form()
    apply_error_to_form(form, refused({"comment": ["Say why."]}), field_names={"comment": "reason"})
    assert form.errors == {"reason": ["Say why."]}


def test_a_translation_to_a_field_the_form_lacks_keeps_the_service_name():
    class CommentForm(forms.Form):
        comment = forms.CharField()

    form = CommentForm({"comment": "x"})
    assert form.is_valid()
    apply_error_to_form(form, refused({"comment": ["Say why."]}), field_names={"comment": "reason"})
    assert form.errors == {"comment": ["Say why."]}


def test_validation_error_with_a_dict_goes_per_field_and_the_rest_on_the_form():
    form = bound_form()
    error = ValidationError({"value": ["Must be positive."], "as_of": ["In the future."], NON_FIELD_ERRORS: ["Clash."]})
    apply_error_to_form(form, error)
    assert form.errors == {"value": ["Must be positive."], NON_FIELD_ERRORS: ["In the future.", "Clash."]}


def test_validation_error_without_a_dict_and_other_errors_go_on_the_form():
    form = bound_form()
    apply_error_to_form(form, ValidationError(["Closed period.", "Ask HR."]))
    apply_error_to_form(form, ValueError("Something else."))
    assert form.non_field_errors() == ["Closed period.", "Ask HR.", "Something else."]
