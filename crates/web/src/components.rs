//! Our askama versions of the GOV.UK Design System components we use. Their markup follows
//! `govuk-frontend`'s own templates and is checked against the fixtures that ship with it.

use askama::Template;
use domain::forms::FieldProblem;

use crate::forms::FormErrors;

/// The `aria-describedby` of a field with an optional hint and error message, which GOV.UK
/// gives the ids `<id>-hint` and `<id>-error`.
fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let ids: Vec<String> = [(has_hint, "hint"), (has_error, "error")]
        .into_iter()
        .filter(|(present, _)| *present)
        .map(|(_, suffix)| format!("{id}-{suffix}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[cfg(test)]
mod fixture_tests;

/// A text input with its label, optional hint and error message.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/input.html")]
pub struct TextInput {
    pub id: String,
    pub name: String,
    pub label: String,
    /// Render the label as the page's `<h1>` (one-question pages).
    pub label_is_page_heading: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub value: String,
    pub input_type: &'static str,
    pub autocomplete: Option<&'static str>,
    pub spellcheck: Option<bool>,
    pub classes: Option<&'static str>,
}

impl TextInput {
    /// A text field named and identified by `name`.
    pub fn new(name: &str, label: &str) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            label: label.to_owned(),
            input_type: "text",
            ..Self::default()
        }
    }

    pub fn input_type(mut self, input_type: &'static str) -> Self {
        self.input_type = input_type;
        self
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// State the field's limit in its hint (after any hint already set), so people know it
    /// before they type; the server enforces it.
    pub fn limit(mut self, max_chars: usize) -> Self {
        self.hint = Some(with_limit(self.hint.take(), max_chars));
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn spellcheck(mut self, spellcheck: bool) -> Self {
        self.spellcheck = Some(spellcheck);
        self
    }

    pub fn classes(mut self, classes: &'static str) -> Self {
        self.classes = Some(classes);
        self
    }

    pub fn value(mut self, value: &str) -> Self {
        self.value = value.to_owned();
        self
    }

    /// Show this field's message from `errors`, if it has one.
    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.get(&self.id);
        self
    }

    fn described_by(&self) -> Option<String> {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// A hint with the limit's sentence after it: "Up to 2,000 characters."
fn with_limit(hint: Option<String>, max_chars: usize) -> String {
    let limit = domain::text::limit_hint(max_chars);
    match hint {
        Some(hint) if !hint.is_empty() => format!("{hint} {limit}"),
        _ => limit,
    }
}

/// The error summary at the top of a form, linking to each field.
#[derive(Clone, Debug, Template)]
#[template(path = "components/error_summary.html")]
pub struct ErrorSummary {
    pub items: Vec<(String, String)>,
}

impl ErrorSummary {
    pub fn of(errors: &FormErrors) -> Self {
        Self::linking(errors, &[])
    }

    /// As [`ErrorSummary::of`], linking errors on the date inputs named in `date_fields` to
    /// their day box, as the GOV.UK pattern does.
    pub fn linking(errors: &FormErrors, date_fields: &[&str]) -> Self {
        let items = errors
            .entries()
            .iter()
            .map(|FieldProblem { field, message }| {
                let target = if date_fields.contains(&field.as_str()) {
                    format!("#{field}-day")
                } else {
                    format!("#{field}")
                };
                (target, message.clone())
            })
            .collect();
        Self { items }
    }
}

#[derive(Clone, Debug, Default)]
pub struct CheckboxItem {
    pub value: String,
    pub text: String,
    pub hint: Option<String>,
    pub checked: bool,
}

/// A group of checkboxes in a fieldset with a legend.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/checkboxes.html")]
pub struct Checkboxes {
    pub id_prefix: String,
    pub name: String,
    pub legend: String,
    pub legend_classes: Option<&'static str>,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub items: Vec<CheckboxItem>,
}

impl Checkboxes {
    /// The id of item `index`: the first is the prefix itself, so the error summary links to it.
    fn item_id(&self, index: &usize) -> String {
        if *index == 0 {
            self.id_prefix.clone()
        } else {
            format!("{}-{}", self.id_prefix, index + 1)
        }
    }

    fn described_by(&self) -> Option<String> {
        described_by(&self.id_prefix, self.hint.is_some(), self.error.is_some())
    }
}

#[derive(Clone, Debug, Default)]
pub struct SelectItem {
    pub value: String,
    pub text: String,
    pub selected: bool,
}

/// A drop-down list with its label.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/select.html")]
pub struct Select {
    pub id: String,
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub items: Vec<SelectItem>,
}

impl Select {
    fn described_by(&self) -> Option<String> {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// A file picker with its label.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/file_upload.html")]
pub struct FileUpload {
    pub id: String,
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub accept: Option<&'static str>,
}

impl FileUpload {
    fn described_by(&self) -> Option<String> {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

#[derive(Clone, Debug, Default)]
pub struct RadioItem {
    pub value: String,
    pub text: String,
    pub hint: Option<String>,
    pub checked: bool,
}

/// A group of radios in a fieldset. With `legend_is_page_heading` the legend is the page's
/// `<h1>`, as on a one-question page.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/radios.html")]
pub struct Radios {
    pub id_prefix: String,
    pub name: String,
    pub legend: String,
    pub legend_classes: Option<&'static str>,
    pub legend_is_page_heading: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub inline: bool,
    pub items: Vec<RadioItem>,
}

impl Radios {
    /// Radios named `name` with one item per (value, text), `selected` checked.
    pub fn new(name: &str, legend: &str, options: &[(&str, &str)], selected: &str) -> Self {
        Self {
            id_prefix: name.to_owned(),
            name: name.to_owned(),
            legend: legend.to_owned(),
            items: options
                .iter()
                .map(|(value, text)| RadioItem {
                    value: (*value).to_owned(),
                    text: (*text).to_owned(),
                    hint: None,
                    checked: *value == selected,
                })
                .collect(),
            ..Self::default()
        }
    }

    /// The legend as the page heading, in the large style.
    pub fn page_heading(mut self) -> Self {
        self.legend_is_page_heading = true;
        self.legend_classes = Some("govuk-fieldset__legend--l");
        self
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.get(&self.id_prefix);
        self
    }

    fn item_id(&self, index: &usize) -> String {
        if *index == 0 {
            self.id_prefix.clone()
        } else {
            format!("{}-{}", self.id_prefix, index + 1)
        }
    }

    fn described_by(&self) -> Option<String> {
        described_by(&self.id_prefix, self.hint.is_some(), self.error.is_some())
    }
}

/// A multi-line text box with its label.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/textarea.html")]
pub struct Textarea {
    pub id: String,
    pub name: String,
    pub label: String,
    pub label_is_page_heading: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub value: String,
    pub rows: u8,
}

impl Textarea {
    pub fn new(name: &str, label: &str, value: &str) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            label: label.to_owned(),
            value: value.to_owned(),
            rows: 5,
            ..Self::default()
        }
    }

    pub fn page_heading(mut self) -> Self {
        self.label_is_page_heading = true;
        self
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// State the field's limit in its hint (after any hint already set). No `maxlength`:
    /// GOV.UK advises against it on a textarea, as it cuts pasted text off unseen.
    pub fn limit(mut self, max_chars: usize) -> Self {
        self.hint = Some(with_limit(self.hint.take(), max_chars));
        self
    }

    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.get(&self.id);
        self
    }

    fn described_by(&self) -> Option<String> {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// The GOV.UK date input: day, month and year boxes in a fieldset. Its fields are named
/// `<name>-day`, `<name>-month` and `<name>-year` (plain `day`… when `name` is empty); an
/// error links to the day box.
#[derive(Clone, Debug, Default, Template)]
#[template(path = "components/date_input.html")]
pub struct DateInput {
    pub id: String,
    pub name: String,
    pub legend: String,
    pub legend_classes: Option<&'static str>,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateInput {
    pub fn new(name: &str, legend: &str, (day, month, year): (&str, &str, &str)) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            legend: legend.to_owned(),
            day: day.to_owned(),
            month: month.to_owned(),
            year: year.to_owned(),
            ..Self::default()
        }
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.get(&self.id);
        self
    }

    fn described_by(&self) -> Option<String> {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// A banner above the page content: information, or success after an action.
#[derive(Clone, Debug, Template)]
#[template(path = "components/notification_banner.html")]
pub struct NotificationBanner {
    pub success: bool,
    pub heading: String,
}

impl NotificationBanner {
    pub fn success(heading: impl Into<String>) -> Self {
        Self {
            success: true,
            heading: heading.into(),
        }
    }
}
