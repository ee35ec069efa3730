//! The positioned tree as a JSON instance for `jsonschema`, read in place.
//!
//! Validation used to convert every document into a `serde_json::Value` first: a second copy
//! of every key and string, built and dropped per file, about a quarter of a cold run's
//! instructions. `jsonschema` validates any representation that implements its `json` traits,
//! so schemas now read the [`Node`] tree directly. The view must say exactly what
//! [`Node::to_json`] would: a non-finite float (YAML's `.nan`, `.inf`) is the string
//! `to_json` makes of it, so a schema sees the wrong type instead of a silent `null`.

use crate::document::{Map, Node, Value};
use jsonschema::JsonType;
use jsonschema::json::{self, NodeIdentity, cmp};
use serde_json::Value as Json;
use std::borrow::Cow;

/// The representation `jsonschema` validates: borrowed [`Node`]s.
pub struct Document;

impl json::Json for Document {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = Option<Node>;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Option<Node>,
        string: &str,
        f: impl FnOnce(&Node) -> T,
    ) -> T {
        // Reuses the buffer's allocation across property names (`propertyNames`).
        let node = buffer.get_or_insert_with(|| Node::new(Value::Null, Default::default()));
        if let Value::String(existing) = &mut node.value {
            existing.clear();
            existing.push_str(string);
        } else {
            node.value = Value::String(string.to_owned());
        }
        f(node)
    }
}

/// A number of the tree, read without building a `serde_json::Number` on the hot path.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    /// Always finite: non-finite floats are strings to the schemas.
    Float(f64),
}

impl json::JsonNumber for Number {
    // Like `serde_json::Number`: a float never reads as an integer type, even `1.0`.
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::Int(i) => u64::try_from(i).ok(),
            Number::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Number::Int(i) => Some(i as f64),
            Number::Float(f) => Some(f),
        }
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_number().to_string())
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            Number::Int(i) => i.into(),
            Number::Float(f) => serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into()),
        })
    }

    fn is_integer(&self) -> bool {
        match *self {
            Number::Int(_) => true,
            // What `serde_json::Number` answers for a float: a whole value is an integer.
            Number::Float(f) => f.fract() == 0.0,
        }
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, Number::Int(_))
    }
}

/// The string a non-finite float stands for (see the module comment).
fn non_finite(f: f64) -> Option<String> {
    (!f.is_finite()).then(|| f.to_string())
}

impl<'a> json::Node<'a, Document> for &'a Node {
    type Object = &'a Map;
    type Array = &'a [Node];
    type Number = Number;

    fn as_object(&self) -> Option<&'a Map> {
        match &self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::String(s) => Some(Cow::Borrowed(s)),
            Value::Float(f) => non_finite(*f).map(Cow::Owned),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self.value {
            Value::Int(i) => Some(Number::Int(i)),
            Value::Float(f) if f.is_finite() => Some(Number::Float(f)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn json_type(&self) -> JsonType {
        match &self.value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) => JsonType::Number,
            Value::Float(f) if f.is_finite() => JsonType::Number,
            Value::Float(_) | Value::String(_) => JsonType::String,
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Json) -> bool {
        // `enum` and `const` on scalars, without building a `serde_json::Value` per check.
        match (&self.value, expected) {
            (Value::Null, _) => expected.is_null(),
            (Value::Bool(b), _) => expected.as_bool() == Some(*b),
            (Value::String(s), _) => expected.as_str() == Some(s.as_str()),
            (Value::Int(_) | Value::Float(_), Json::Number(n)) => match self.as_number() {
                Some(number) => cmp::equal_numbers(&number, n),
                None => false,
            },
            (Value::Int(_), _) => false,
            (Value::Float(f), _) => non_finite(*f).is_some_and(|s| expected.as_str() == Some(&s)),
            (Value::Seq(_) | Value::Map(_), _) => cmp::equal(&self.to_json(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Json> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

/// A mapping's members, in file order.
pub struct Members<'a>(indexmap::map::Iter<'a, String, crate::document::Entry>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a Node);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|(key, entry)| (key.as_str(), &entry.value))
    }
}

impl<'a> json::Object<'a, Document> for &'a Map {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        Map::len(self)
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        Map::get(self, key.as_str()).map(|entry| &entry.value)
    }

    fn members(&self) -> Members<'a> {
        Members(self.iter())
    }
}

impl<'a> json::Array<'a, Document> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Document;
    use crate::document::{Format, Limits, Node, parse};
    use jsonschema::json::{Json, Node as _};

    fn node(text: &str, format: Format) -> Node {
        parse(text.as_bytes(), format, &Limits::default())
            .unwrap()
            .roots
            .remove(0)
    }

    #[test]
    fn meets_the_contract_jsonschema_relies_on() {
        let text = jsonschema::json::conformance::document().to_string();
        let root = node(&text, Format::Json);
        jsonschema::json::conformance::assert_conformance::<Document>(&&root);
    }

    /// The same schema over the in-place view and over `to_json`'s copy says the same: same
    /// verdict, same errors at the same places, for every kind of value (including the
    /// non-finite floats and the integer-valued float that differ between the two readings
    /// if the view gets them wrong).
    #[test]
    fn validates_exactly_as_the_json_copy() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "int": {"type": "integer", "minimum": 2, "multipleOf": 2},
                "whole": {"type": "integer", "maximum": 1},
                "nan": {"type": "number"},
                "inf": {"type": "string", "enum": ["inf"]},
                "neg": {"const": "-inf"},
                "name": {"type": "string", "maxLength": 3, "pattern": "^[a-z]+$"},
                "flag": {"enum": [false, 1, "x"]},
                "one": {"const": 1},
                "list": {"type": "array", "uniqueItems": true, "items": {"type": "number"}},
                "deep": {"const": {"a": [1, {"b": null}]}},
                "keys": {"propertyNames": {"maxLength": 2}},
                "nothing": {"type": "null"}
            },
            "required": ["missing"],
            "additionalProperties": false
        });
        let yaml = "int: 3\nwhole: 2.0\nnan: .nan\ninf: .inf\nneg: -.inf\nname: héllo\n\
                    flag: 1.0\none: 1.0\nlist: [1, 1.0, 2]\ndeep: {a: [1.0, {b: ~}]}\n\
                    keys: {abc: 1, d: 2}\nnothing: null\nextra: yes\n";
        let root = node(yaml, Format::Yaml);
        let copy = root.to_json();
        let ours = jsonschema::options_for::<Document>()
            .build(&schema)
            .unwrap();
        let theirs = jsonschema::validator_for(&schema).unwrap();
        let describe = |errors: Vec<jsonschema::ValidationError<'_>>| {
            let mut all: Vec<String> = errors
                .iter()
                .map(|e| format!("{} {} {e}", e.instance_path().as_str(), e.kind().keyword()))
                .collect();
            all.sort();
            all
        };
        let ours_found = describe(ours.iter_errors(&root).collect());
        let theirs_found = describe(theirs.iter_errors(&copy).collect());
        assert_eq!(ours_found, theirs_found);
        assert_eq!(ours.is_valid(&root), theirs.is_valid(&copy));
        assert!(ours_found.len() > 8, "{ours_found:#?}");
        // Every property is also valid where the copy says so.
        let good = node("int: 4\nwhole: 1.0\nflag: x\none: 1\n", Format::Yaml);
        let loose = serde_json::json!({"properties": schema["properties"].clone()});
        let ours = jsonschema::options_for::<Document>().build(&loose).unwrap();
        assert!(ours.is_valid(&good));
        assert!(Document::prepare_key("a") == "a" && !(&good).is_number());
    }
}
