//! Reading an HTML page as a user does: its visible text, its forms and their fields, its
//! links. Enough of HTML for askama's output, nothing more.

/// An HTML page as a user reads it.
pub struct Page {
    html: String,
}

/// One `<form>` of a page.
#[derive(Debug)]
pub struct Form {
    /// Its `action`.
    pub action: String,
    /// The attributes of each `<input>`.
    pub inputs: Vec<Vec<(String, String)>>,
    /// Its visible text (labels, messages).
    pub text: String,
}

impl Form {
    /// The input called `name`.
    pub fn input(&self, name: &str) -> Option<&[(String, String)]> {
        self.inputs
            .iter()
            .find(|attrs| attr(attrs, "name") == Some(name))
            .map(Vec::as_slice)
    }

    /// The value of the input called `name` (empty when it has none).
    pub fn value(&self, name: &str) -> Option<String> {
        self.input(name)
            .map(|attrs| attr(attrs, "value").unwrap_or_default().to_owned())
    }

    /// Another attribute of the input called `name`.
    pub fn input_attr(&self, name: &str, attribute: &str) -> Option<String> {
        self.input(name)
            .and_then(|attrs| attr(attrs, attribute))
            .map(str::to_owned)
    }
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl Page {
    /// Reads `html`.
    pub fn new(html: &str) -> Page {
        Page {
            html: html.to_owned(),
        }
    }

    /// The visible text, whitespace collapsed.
    pub fn text(&self) -> String {
        visible_text(&self.html)
    }

    /// Every form, in page order.
    pub fn forms(&self) -> Vec<Form> {
        elements(&self.html, "form")
            .into_iter()
            .map(|(attrs, inner)| Form {
                action: attr(&attrs, "action").unwrap_or_default().to_owned(),
                inputs: elements(inner, "input")
                    .into_iter()
                    .map(|(attrs, _)| attrs)
                    .collect(),
                text: visible_text(inner),
            })
            .collect()
    }

    /// The visible text of every table row, in page order.
    pub fn table_rows(&self) -> Vec<String> {
        elements(&self.html, "tr")
            .into_iter()
            .map(|(_, inner)| visible_text(inner))
            .collect()
    }

    /// The CSRF token the page's forms carry.
    pub fn csrf(&self) -> Option<String> {
        self.forms().iter().find_map(|form| form.value("csrf"))
    }

    /// The PTR form of every address with a field, in page order.
    pub fn rows(&self) -> Vec<Form> {
        self.forms()
            .into_iter()
            .filter(|form| form.action == "/ptr/save" && form.input("ip").is_some())
            .collect()
    }

    /// The addresses that have a PTR field on this page.
    pub fn row_ips(&self) -> Vec<String> {
        self.rows()
            .iter()
            .filter_map(|form| form.value("ip"))
            .collect()
    }

    /// The PTR form of `ip`.
    pub fn row(&self, ip: &str) -> Option<Form> {
        self.rows()
            .into_iter()
            .find(|form| form.value("ip").as_deref() == Some(ip))
    }

    /// The "add an entry" form of an assignment.
    pub fn add_form(&self, assignment_id: i64) -> Option<Form> {
        let id = assignment_id.to_string();
        self.forms().into_iter().find(|form| {
            form.action == "/ptr/add" && form.value("assignment").as_deref() == Some(id.as_str())
        })
    }

    /// The `href` and text of the link with `rel`, e.g. `next`.
    pub fn link(&self, rel: &str) -> Option<(String, String)> {
        elements(&self.html, "a")
            .into_iter()
            .find(|(attrs, _)| attr(attrs, "rel") == Some(rel))
            .map(|(attrs, inner)| {
                let href = attr(&attrs, "href").unwrap_or_default().to_owned();
                (href, visible_text(inner))
            })
    }
}

/// Each `<name …>` element: its attributes and (for non-void elements) its inner HTML.
fn elements<'a>(html: &'a str, name: &str) -> Vec<(Vec<(String, String)>, &'a str)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let boundary = after.chars().next();
        if !matches!(boundary, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            rest = after;
            continue;
        }
        let Some(end) = after.find('>') else { break };
        let attrs = attributes(&after[..end]);
        let body = &after[end + 1..];
        let inner = if name == "input" {
            ""
        } else {
            &body[..body.find(&close).unwrap_or(body.len())]
        };
        found.push((attrs, inner));
        rest = body;
    }
    found
}

/// Parses `a="1" b c="x"` (askama always double-quotes values).
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut chars = text.trim_end_matches('/').chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            if chars.next_if_eq(&'"').is_some() {
                value = std::iter::from_fn(|| chars.next_if(|c| *c != '"')).collect();
                chars.next();
            } else {
                value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
            }
        }
        attrs.push((name, decode_entities(&value)));
    }
    attrs
}

fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    collapse(&decode_entities(&text))
}

/// Whitespace runs as one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
