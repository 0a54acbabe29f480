//! Checks our askama components against the golden fixtures that GOV.UK Frontend ships with its
//! own Nunjucks templates, so our markup cannot drift from the Design System's.
//!
//! Each fixture gives the Nunjucks macro's options and the HTML it renders. We map the options
//! onto our component, render it, and compare after normalising whitespace. Our components cover
//! only what the service needs, so a fixture using any option outside a component's allow-list
//! (or a value our component cannot express) is skipped, with the reason printed; every
//! component must still compare a minimum number of fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use askama::Template;
use serde_json::Value;

use super::{
    CheckboxItem, Checkboxes, DateInput, ErrorSummary, FileUpload, NotificationBanner, RadioItem,
    Radios, Select, SelectItem, TextInput, Textarea,
};

/// Where `npm ci` puts GOV.UK Frontend's components, relative to this crate.
const COMPONENTS_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../node_modules/govuk-frontend/dist/govuk/components"
);

#[derive(Debug)]
struct Fixture {
    name: String,
    options: Value,
    html: String,
}

fn load_fixtures(component: &str) -> Vec<Fixture> {
    let path = Path::new(COMPONENTS_DIR)
        .join(component)
        .join("fixtures.json");
    let json = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; install GOV.UK Frontend with `make assets` (or `npm ci`)",
            path.display()
        )
    });
    let file: Value = serde_json::from_str(&json).expect("fixtures.json is valid JSON");
    file["fixtures"]
        .as_array()
        .expect("fixtures.json has a list of fixtures")
        .iter()
        .map(|fixture| Fixture {
            name: fixture["name"]
                .as_str()
                .expect("a fixture has a name")
                .to_owned(),
            options: fixture["options"].clone(),
            html: fixture["html"]
                .as_str()
                .expect("a fixture has html")
                .to_owned(),
        })
        .collect()
}

/// The dotted paths of the leaf options a fixture sets, with list items as `items[].text`.
/// An empty object or list counts as a leaf, so it too must be allowed.
fn option_keys(value: &Value, path: &str, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                option_keys(child, &child_path, keys);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                option_keys(item, &format!("{path}[]"), keys);
            }
        }
        _ => {
            keys.insert(path.to_owned());
        }
    }
}

/// The option at a JSON pointer as Nunjucks would print it (numbers and booleans included);
/// `None` when it is absent or null.
fn text(options: &Value, pointer: &str) -> Option<String> {
    match options.pointer(pointer)? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

fn flag(options: &Value, pointer: &str) -> bool {
    options.pointer(pointer) == Some(&Value::Bool(true))
}

/// Our components take some options as `&'static str` (they are literals in the pages).
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// askama escapes with numeric character references where Nunjucks uses named ones; both
/// mean the same character, so compare them in Nunjucks's spelling.
const CHARACTER_REFERENCES: &[(&str, &str)] = &[
    ("&#34;", "&quot;"),
    ("&#38;", "&amp;"),
    ("&#60;", "&lt;"),
    ("&#62;", "&gt;"),
];

/// Collapses the whitespace that HTML ignores: whitespace-only text between tags disappears,
/// any other run of whitespace becomes one space, and spaces just inside `<` and `>` go.
/// Escaped characters are spelled one way (see [`CHARACTER_REFERENCES`]).
fn normalise(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        let (token, tail) = match rest.find('<') {
            Some(0) => rest.split_at(rest.find('>').map_or(rest.len(), |end| end + 1)),
            Some(start) => rest.split_at(start),
            None => rest.split_at(rest.len()),
        };
        let collapsed = token.split_whitespace().collect::<Vec<_>>().join(" ");
        if token.starts_with('<') {
            out.push_str(&collapsed.replace("< ", "<").replace(" >", ">"));
        } else if !collapsed.is_empty() {
            // Keep one space where the text had leading or trailing whitespace: next to an
            // inline element such as `<span>Error:</span> message` it is visible.
            if token.starts_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(&collapsed);
            if token.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        }
        rest = tail;
    }
    CHARACTER_REFERENCES
        .iter()
        .fold(out, |html, (numeric, named)| html.replace(numeric, named))
}

/// Renders every fixture of `component` whose options are all in `supported` and which `build`
/// can express, compares it with GOV.UK's HTML, and asserts at least `minimum` were compared.
fn check_fixtures<T: Template>(
    component: &str,
    supported: &[&str],
    minimum: usize,
    build: impl Fn(&Value) -> Result<T, String>,
) {
    let mut compared = Vec::new();
    let mut mismatches = Vec::new();
    for fixture in load_fixtures(component) {
        let mut keys = BTreeSet::new();
        option_keys(&fixture.options, "", &mut keys);
        let unsupported: Vec<&String> = keys
            .iter()
            .filter(|key| !supported.contains(&key.as_str()))
            .collect();
        if !unsupported.is_empty() {
            eprintln!(
                "{component}: skipped {:?}: uses {unsupported:?}",
                fixture.name
            );
            continue;
        }
        let ours = match build(&fixture.options) {
            Ok(ours) => ours,
            Err(reason) => {
                eprintln!("{component}: skipped {:?}: {reason}", fixture.name);
                continue;
            }
        };
        let expected = normalise(&fixture.html);
        let actual = normalise(&ours.render().expect("the component renders"));
        if actual != expected {
            mismatches.push(format!(
                "{:?}\n  expected: {expected}\n    actual: {actual}",
                fixture.name
            ));
        }
        compared.push(fixture.name);
    }
    eprintln!("{component}: compared {compared:?}");
    assert!(
        mismatches.is_empty(),
        "{component}: our markup differs from GOV.UK Frontend's:\n{}",
        mismatches.join("\n")
    );
    assert!(
        compared.len() >= minimum,
        "{component}: compared only {compared:?}, expected at least {minimum} fixtures"
    );
}

#[test]
fn normalise_drops_whitespace_between_tags_and_collapses_it_elsewhere() {
    assert_eq!(
        normalise("<div class=\"a\">\n  <p\n    id=\"x\" >\n    Some   text\n  </p>\n</div>\n"),
        "<div class=\"a\"><p id=\"x\"> Some text </p></div>"
    );
}

#[test]
fn normalise_keeps_the_space_after_an_inline_element() {
    assert_eq!(
        normalise("<p>\n  <span>Error:</span>  Enter a name\n</p>"),
        "<p><span>Error:</span> Enter a name </p>"
    );
    assert_ne!(
        normalise("<span>Error:</span> Enter"),
        normalise("<span>Error:</span>Enter")
    );
}

#[test]
fn normalise_spells_escaped_characters_as_nunjucks_does() {
    assert_eq!(
        normalise("<a title=\"&#34;x&#34;\">&#60;b&#62; &#38; &#39;</a>"),
        "<a title=\"&quot;x&quot;\">&lt;b&gt; &amp; &#39;</a>"
    );
}

#[test]
fn option_keys_lists_leaf_paths_with_list_items_marked() {
    let options = serde_json::json!({
        "name": "n",
        "label": { "text": "L" },
        "items": [{ "value": 1, "hint": { "text": "h" } }],
        "errorList": [],
    });
    let mut keys = BTreeSet::new();
    option_keys(&options, "", &mut keys);
    assert_eq!(
        keys.into_iter().collect::<Vec<_>>(),
        [
            "errorList",
            "items[].hint.text",
            "items[].value",
            "label.text",
            "name"
        ]
    );
}

#[test]
fn text_input_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "id",
        "name",
        "label.text",
        "label.classes",
        "label.isPageHeading",
        "hint.text",
        "errorMessage.text",
        "value",
        "type",
        "autocomplete",
        "spellcheck",
        "classes",
    ];
    check_fixtures("input", SUPPORTED, 5, |options| {
        let label_is_page_heading = flag(options, "/label/isPageHeading");
        // Our page-heading label is always large, and other labels take no classes.
        let label_classes = text(options, "/label/classes");
        let expected_classes = label_is_page_heading.then(|| "govuk-label--l".to_owned());
        if label_classes != expected_classes {
            return Err(format!("label classes {label_classes:?}"));
        }
        let name = text(options, "/name").ok_or("no name")?;
        Ok(TextInput {
            id: text(options, "/id").unwrap_or_else(|| name.clone()),
            name,
            label: text(options, "/label/text").ok_or("no label text")?,
            label_is_page_heading,
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            value: text(options, "/value").unwrap_or_default(),
            input_type: leak(text(options, "/type").unwrap_or_else(|| "text".to_owned())),
            autocomplete: text(options, "/autocomplete").map(leak),
            spellcheck: options.get("spellcheck").and_then(Value::as_bool),
            classes: text(options, "/classes").map(leak),
        })
    });
}

#[test]
fn error_summary_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &["titleText", "errorList[].text", "errorList[].href"];
    check_fixtures("error-summary", SUPPORTED, 2, |options| {
        // Our title is fixed, and every message links to its field.
        let title = text(options, "/titleText");
        if title.as_deref() != Some("There is a problem") {
            return Err(format!("title {title:?}"));
        }
        let items = options["errorList"].as_array().ok_or("no error list")?;
        Ok(ErrorSummary {
            items: items
                .iter()
                .map(|item| {
                    let href = text(item, "/href").ok_or("an error without a link")?;
                    Ok((href, text(item, "/text").ok_or("an error without text")?))
                })
                .collect::<Result<_, String>>()?,
        })
    });
}

#[test]
fn checkboxes_match_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "name",
        "idPrefix",
        "fieldset.legend.text",
        "fieldset.legend.classes",
        "hint.text",
        "errorMessage.text",
        "items[].value",
        "items[].text",
        "items[].checked",
        "items[].hint.text",
    ];
    check_fixtures("checkboxes", SUPPORTED, 3, |options| {
        let name = text(options, "/name").ok_or("no name")?;
        let items = options["items"].as_array().ok_or("no items")?;
        Ok(Checkboxes {
            id_prefix: text(options, "/idPrefix").unwrap_or_else(|| name.clone()),
            name,
            // Ours always groups the boxes in a fieldset with a legend.
            legend: text(options, "/fieldset/legend/text").ok_or("no fieldset legend")?,
            legend_classes: text(options, "/fieldset/legend/classes").map(leak),
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            items: items
                .iter()
                .map(|item| CheckboxItem {
                    value: text(item, "/value").unwrap_or_default(),
                    text: text(item, "/text").unwrap_or_default(),
                    hint: text(item, "/hint/text"),
                    checked: flag(item, "/checked"),
                })
                .collect(),
        })
    });
}

#[test]
fn select_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "id",
        "name",
        "label.text",
        "hint.text",
        "errorMessage.text",
        "items",
        "items[].value",
        "items[].text",
        "items[].selected",
    ];
    check_fixtures("select", SUPPORTED, 2, |options| {
        let name = text(options, "/name").ok_or("no name")?;
        let items = match options.get("items") {
            Some(items) => items.as_array().ok_or("items is not a list")?.as_slice(),
            None => &[],
        };
        Ok(Select {
            id: text(options, "/id").unwrap_or_else(|| name.clone()),
            name,
            label: text(options, "/label/text").ok_or("no label text")?,
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            items: items
                .iter()
                .map(|item| {
                    // Every option of ours has a value attribute.
                    Ok(SelectItem {
                        value: text(item, "/value").ok_or("an option without a value")?,
                        text: text(item, "/text").unwrap_or_default(),
                        selected: flag(item, "/selected"),
                    })
                })
                .collect::<Result<_, String>>()?,
        })
    });
}

#[test]
fn file_upload_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "id",
        "name",
        "label.text",
        "hint.text",
        "errorMessage.text",
        "attributes.accept",
    ];
    check_fixtures("file-upload", SUPPORTED, 1, |options| {
        let name = text(options, "/name").ok_or("no name")?;
        Ok(FileUpload {
            id: text(options, "/id").unwrap_or_else(|| name.clone()),
            name,
            label: text(options, "/label/text").ok_or("no label text")?,
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            accept: text(options, "/attributes/accept").map(leak),
        })
    });
}

#[test]
fn notification_banner_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &["text", "type"];
    check_fixtures("notification-banner", SUPPORTED, 2, |options| {
        Ok(NotificationBanner {
            // Like GOV.UK's, any type but "success" gives the default "Important" banner.
            success: text(options, "/type").as_deref() == Some("success"),
            heading: text(options, "/text").ok_or("no text")?,
        })
    });
}

#[test]
fn radios_match_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "name",
        "idPrefix",
        "fieldset.legend.text",
        "fieldset.legend.classes",
        "fieldset.legend.isPageHeading",
        "hint.text",
        "errorMessage.text",
        "classes",
        "items[].value",
        "items[].text",
        "items[].checked",
        "items[].hint.text",
    ];
    check_fixtures("radios", SUPPORTED, 4, |options| {
        let name = text(options, "/name").ok_or("no name")?;
        let items = options["items"].as_array().ok_or("no items")?;
        let inline = match text(options, "/classes").as_deref() {
            None => false,
            Some("govuk-radios--inline") => true,
            Some(other) => return Err(format!("classes {other:?}")),
        };
        Ok(Radios {
            id_prefix: text(options, "/idPrefix").unwrap_or_else(|| name.clone()),
            name,
            legend: text(options, "/fieldset/legend/text").ok_or("no fieldset legend")?,
            legend_classes: text(options, "/fieldset/legend/classes").map(leak),
            legend_is_page_heading: flag(options, "/fieldset/legend/isPageHeading"),
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            inline,
            items: items
                .iter()
                .map(|item| {
                    let value = text(item, "/value").ok_or("an item without a value")?;
                    Ok(RadioItem {
                        value,
                        text: text(item, "/text").ok_or("an item without text")?,
                        hint: text(item, "/hint/text"),
                        checked: flag(item, "/checked"),
                    })
                })
                .collect::<Result<_, String>>()?,
        })
    });
}

#[test]
fn textarea_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "name",
        "id",
        "label.text",
        "hint.text",
        "errorMessage.text",
        "value",
        "rows",
    ];
    check_fixtures("textarea", SUPPORTED, 3, |options| {
        let name = text(options, "/name").ok_or("no name")?;
        let rows = match options.pointer("/rows") {
            None => 5,
            Some(value) => value
                .as_u64()
                .and_then(|rows| u8::try_from(rows).ok())
                .ok_or("rows not a small number")?,
        };
        Ok(Textarea {
            id: text(options, "/id").unwrap_or_else(|| name.clone()),
            name,
            label: text(options, "/label/text").ok_or("no label")?,
            label_is_page_heading: false,
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            value: text(options, "/value").unwrap_or_default(),
            rows,
        })
    });
}

#[test]
fn date_input_matches_govuk_fixtures() {
    const SUPPORTED: &[&str] = &[
        "id",
        "namePrefix",
        "fieldset.legend.text",
        "fieldset.legend.classes",
        "hint.text",
        "errorMessage.text",
    ];
    check_fixtures("date-input", SUPPORTED, 1, |options| {
        let id = text(options, "/id").ok_or("no id")?;
        Ok(DateInput {
            name: text(options, "/namePrefix").unwrap_or_default(),
            id,
            legend: text(options, "/fieldset/legend/text").ok_or("no fieldset legend")?,
            legend_classes: text(options, "/fieldset/legend/classes").map(leak),
            hint: text(options, "/hint/text"),
            error: text(options, "/errorMessage/text"),
            day: String::new(),
            month: String::new(),
            year: String::new(),
        })
    });
}
