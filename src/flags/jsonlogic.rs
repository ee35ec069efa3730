//! JsonLogic as flagd evaluates targeting rules, with flagd's custom operations
//! (`fractional`, `sem_ver`, `starts_with`, `ends_with`).
//!
//! A rule is compiled once ([`Expr::compile`]); an unknown operator is a compile error, which
//! flagd reports as `PARSE_ERROR` on every evaluation. Evaluation never fails on odd input:
//! like flagd, the custom operations return null, and the flag falls back to its default.
//! Coercions (`==`, `<`, `+`, `cat`, truthiness) follow JavaScript, as JsonLogic defines them.

use super::fractional::{self, Generation};
use super::semver::{self, Version};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;

/// A compiled JsonLogic expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A value that evaluates to itself.
    Literal(Value),
    /// An array whose elements are evaluated.
    Array(Vec<Expr>),
    /// An operation and its (unevaluated) arguments.
    Op(Op, Vec<Expr>),
}

/// The operations flagd's targeting schema allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Var,
    Missing,
    MissingSome,
    If,
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Not,
    Truthy,
    Or,
    And,
    Gt,
    Ge,
    Lt,
    Le,
    Max,
    Min,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    In,
    Cat,
    Substr,
    Merge,
    Map,
    Filter,
    Reduce,
    All,
    None,
    Some,
    Fractional,
    SemVer,
    StartsWith,
    EndsWith,
}

const OPS: &[(&str, Op)] = &[
    ("var", Op::Var),
    ("missing", Op::Missing),
    ("missing_some", Op::MissingSome),
    ("if", Op::If),
    ("?:", Op::If),
    ("==", Op::Eq),
    ("===", Op::StrictEq),
    ("!=", Op::Ne),
    ("!==", Op::StrictNe),
    ("!", Op::Not),
    ("!!", Op::Truthy),
    ("or", Op::Or),
    ("and", Op::And),
    (">", Op::Gt),
    (">=", Op::Ge),
    ("<", Op::Lt),
    ("<=", Op::Le),
    ("max", Op::Max),
    ("min", Op::Min),
    ("+", Op::Add),
    ("-", Op::Sub),
    ("*", Op::Mul),
    ("/", Op::Div),
    ("%", Op::Mod),
    ("in", Op::In),
    ("cat", Op::Cat),
    ("substr", Op::Substr),
    ("merge", Op::Merge),
    ("map", Op::Map),
    ("filter", Op::Filter),
    ("reduce", Op::Reduce),
    ("all", Op::All),
    ("none", Op::None),
    ("some", Op::Some),
    ("fractional", Op::Fractional),
    ("sem_ver", Op::SemVer),
    ("starts_with", Op::StartsWith),
    ("ends_with", Op::EndsWith),
];

impl Op {
    /// Returns the operation spelled `name`.
    pub fn from_name(name: &str) -> Option<Op> {
        OPS.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    pub fn name(self) -> &'static str {
        OPS.iter()
            .find(|(_, op)| *op == self)
            .map_or("?", |(n, _)| n)
    }
}

/// Why a rule cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("unknown operator `{0}`")]
    UnknownOperator(String),
}

impl Expr {
    /// Compiles JSON into an expression. An object with exactly one key is an operation; any
    /// other object is a literal.
    pub fn compile(json: &Value) -> Result<Expr, CompileError> {
        match json {
            Value::Array(items) => {
                let items = items
                    .iter()
                    .map(Expr::compile)
                    .collect::<Result<Vec<_>, _>>()?;
                if items.iter().all(|e| matches!(e, Expr::Literal(_))) {
                    return Ok(Expr::Literal(Value::Array(
                        items
                            .into_iter()
                            .map(|e| match e {
                                Expr::Literal(v) => v,
                                _ => unreachable!("checked above"),
                            })
                            .collect(),
                    )));
                }
                Ok(Expr::Array(items))
            }
            Value::Object(map) if map.len() == 1 => {
                let (name, args) = map.iter().next().expect("one entry");
                let op = Op::from_name(name)
                    .ok_or_else(|| CompileError::UnknownOperator(name.clone()))?;
                let args = match args {
                    Value::Array(items) => items
                        .iter()
                        .map(Expr::compile)
                        .collect::<Result<Vec<_>, _>>()?,
                    single => vec![Expr::compile(single)?],
                };
                Ok(Expr::Op(op, args))
            }
            other => Ok(Expr::Literal(other.clone())),
        }
    }

    /// Returns the expression as JsonLogic JSON (for explanations).
    pub fn to_json(&self) -> Value {
        match self {
            Expr::Literal(v) => v.clone(),
            Expr::Array(items) => Value::Array(items.iter().map(Expr::to_json).collect()),
            Expr::Op(op, args) => {
                let args = match args.as_slice() {
                    [single]
                        if !matches!(single, Expr::Array(_) | Expr::Literal(Value::Array(_))) =>
                    {
                        single.to_json()
                    }
                    _ => Value::Array(args.iter().map(Expr::to_json).collect()),
                };
                let mut map = Map::new();
                map.insert(op.name().to_string(), args);
                Value::Object(map)
            }
        }
    }
}

/// One thing worth explaining that happened during an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// An `if` chose a branch: `branch` is the index of the condition that held (0-based), or
    /// `None` when the else branch (or nothing) was taken.
    If {
        branch: Option<usize>,
        condition: Option<Value>,
        conditions: usize,
    },
    /// A `fractional` placed a key.
    Fractional(FractionalStep),
    /// A `fractional` returned null, and why.
    FractionalNull(String),
}

/// The details of one `fractional` placement.
#[derive(Debug, Clone, PartialEq)]
pub struct FractionalStep {
    /// The key hashed: text for v2, the CBOR bytes in hex for v3.
    pub key: String,
    /// True for v3 (`key` is hex).
    pub cbor: bool,
    /// True when the key is `flagKey + targetingKey` (the shorthand form).
    pub shorthand: bool,
    pub hash: u32,
    pub total: u64,
    pub bucket: u64,
    /// Each bucket's variant and its half-open range `[from, to)` of the total weight.
    pub ranges: Vec<(Value, u64, u64)>,
    pub chosen: usize,
}

/// What an evaluation may read besides the context: the injected `$flagd` properties.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub flag_key: &'a str,
    /// `$flagd.timestamp`: Unix time in seconds.
    pub timestamp: i64,
    /// How `fractional` turns its key into a hash (v2 unless asked otherwise).
    pub fractional: Generation,
}

/// Evaluates expressions over one context; optionally records [`Step`]s.
pub struct Evaluator<'a> {
    env: Env<'a>,
    trace: Option<&'a RefCell<Vec<Step>>>,
}

#[derive(Clone, Copy)]
struct Scope<'d> {
    data: &'d Value,
    /// The evaluation context itself (not an element inside `map`/`filter`/`reduce`):
    /// only there does `$flagd` exist.
    root: bool,
}

impl<'a> Evaluator<'a> {
    pub fn new(env: Env<'a>, trace: Option<&'a RefCell<Vec<Step>>>) -> Self {
        Evaluator { env, trace }
    }

    /// Evaluates `expr` over the context `data` (a JSON object).
    pub fn evaluate(&self, expr: &Expr, data: &Value) -> Value {
        self.eval(expr, Scope { data, root: true }).into_owned()
    }

    fn record(&self, step: Step) {
        if let Some(trace) = self.trace {
            trace.borrow_mut().push(step);
        }
    }

    fn eval<'e>(&self, expr: &'e Expr, scope: Scope<'e>) -> Cow<'e, Value> {
        match expr {
            Expr::Literal(v) => Cow::Borrowed(v),
            Expr::Array(items) => Cow::Owned(Value::Array(
                items
                    .iter()
                    .map(|e| self.eval(e, scope).into_owned())
                    .collect(),
            )),
            Expr::Op(op, args) => self.apply(*op, args, scope),
        }
    }

    fn eval_args<'e>(&self, args: &'e [Expr], scope: Scope<'e>) -> Vec<Cow<'e, Value>> {
        args.iter().map(|a| self.eval(a, scope)).collect()
    }

    fn apply<'e>(&self, op: Op, args: &'e [Expr], scope: Scope<'e>) -> Cow<'e, Value> {
        let owned = |v: Value| Cow::Owned(v);
        match op {
            Op::Var => self.var(args, scope),
            Op::If => self.if_(args, scope),
            Op::Or | Op::And => {
                let mut last = Cow::Owned(Value::Null);
                for arg in args {
                    last = self.eval(arg, scope);
                    if truthy(&last) == (op == Op::Or) {
                        return last;
                    }
                }
                last
            }
            Op::Map | Op::Filter | Op::All | Op::None | Op::Some | Op::Reduce => {
                owned(self.iterate(op, args, scope))
            }
            _ => {
                let values = self.eval_args(args, scope);
                let v: Vec<&Value> = values.iter().map(|c| c.as_ref()).collect();
                owned(self.apply_eager(op, &v, scope))
            }
        }
    }

    fn apply_eager(&self, op: Op, v: &[&Value], scope: Scope<'_>) -> Value {
        let arg = |i: usize| v.get(i).copied().unwrap_or(&Value::Null);
        match op {
            Op::Missing => missing(v, scope.data),
            Op::MissingSome => {
                let need = to_number(arg(0));
                let keys: Vec<&Value> = match arg(1) {
                    Value::Array(keys) => keys.iter().collect(),
                    _ => Vec::new(),
                };
                let missed = missing(&keys, scope.data);
                let found = keys.len() - missed.as_array().map_or(0, Vec::len);
                if found as f64 >= need {
                    Value::Array(Vec::new())
                } else {
                    missed
                }
            }
            Op::Eq => Value::Bool(loose_eq(arg(0), arg(1))),
            Op::Ne => Value::Bool(!loose_eq(arg(0), arg(1))),
            Op::StrictEq => Value::Bool(strict_eq(arg(0), arg(1))),
            Op::StrictNe => Value::Bool(!strict_eq(arg(0), arg(1))),
            Op::Not => Value::Bool(!truthy(arg(0))),
            Op::Truthy => Value::Bool(truthy(arg(0))),
            Op::Gt => Value::Bool(less(arg(1), arg(0), false)),
            Op::Ge => Value::Bool(less(arg(1), arg(0), true)),
            Op::Lt | Op::Le => {
                let or_equal = op == Op::Le;
                let holds = less(arg(0), arg(1), or_equal)
                    && (v.len() < 3 || less(arg(1), arg(2), or_equal));
                Value::Bool(holds)
            }
            Op::Max | Op::Min => {
                let numbers: Vec<f64> = v.iter().map(|x| to_number(x)).collect();
                if numbers.is_empty() || numbers.iter().any(|n| n.is_nan()) {
                    return Value::Null;
                }
                let pick = if op == Op::Max { f64::max } else { f64::min };
                number(numbers.into_iter().reduce(pick).expect("not empty"))
            }
            Op::Add => number(v.iter().map(|x| to_number(x)).sum()),
            Op::Mul => match v {
                [] => Value::Null,
                _ => number(v.iter().map(|x| to_number(x)).product()),
            },
            Op::Sub => match v {
                [] => Value::Null,
                [x] => number(-to_number(x)),
                [a, b, ..] => number(to_number(a) - to_number(b)),
            },
            Op::Div => number(to_number(arg(0)) / to_number(arg(1))),
            Op::Mod => number(to_number(arg(0)) % to_number(arg(1))),
            Op::In => Value::Bool(match arg(1) {
                Value::String(haystack) => haystack.contains(to_js_string(arg(0)).as_str()),
                Value::Array(items) => items.iter().any(|item| strict_eq(item, arg(0))),
                _ => false,
            }),
            Op::Cat => Value::String(v.iter().map(|x| to_js_string(x)).collect()),
            Op::Substr => substr(arg(0), v.get(1).copied(), v.get(2).copied()),
            Op::Merge => Value::Array(
                v.iter()
                    .flat_map(|x| match x {
                        Value::Array(items) => items.clone(),
                        other => vec![(*other).clone()],
                    })
                    .collect(),
            ),
            Op::Fractional => self.fractional(v, scope),
            Op::SemVer => sem_ver(v),
            Op::StartsWith | Op::EndsWith => match v {
                [Value::String(s), Value::String(affix)] => Value::Bool(if op == Op::StartsWith {
                    s.starts_with(affix.as_str())
                } else {
                    s.ends_with(affix.as_str())
                }),
                _ => Value::Null,
            },
            Op::Var
            | Op::If
            | Op::Or
            | Op::And
            | Op::Map
            | Op::Filter
            | Op::Reduce
            | Op::All
            | Op::None
            | Op::Some => unreachable!("evaluated lazily"),
        }
    }

    fn var<'e>(&self, args: &'e [Expr], scope: Scope<'e>) -> Cow<'e, Value> {
        let path = args.first().map(|a| self.eval(a, scope));
        let found = match path.as_deref() {
            None | Some(Value::Null) => Some(Cow::Borrowed(scope.data)),
            Some(Value::String(s)) if s.is_empty() => Some(Cow::Borrowed(scope.data)),
            Some(Value::String(s)) => self.lookup(s, scope),
            Some(Value::Number(n)) => self.lookup(&n.to_string(), scope),
            Some(_) => None,
        };
        match found {
            Some(v) if !v.is_null() => v,
            _ => match args.get(1) {
                Some(default) => self.eval(default, scope),
                None => Cow::Owned(Value::Null),
            },
        }
    }

    fn lookup<'e>(&self, path: &str, scope: Scope<'e>) -> Option<Cow<'e, Value>> {
        let mut segments = path.split('.');
        if scope.root && path.starts_with("$flagd") {
            // The injected `$flagd` replaces whatever the caller put there.
            let first = segments.next()?;
            if first != "$flagd" {
                return lookup_in(scope.data, path.split('.')).map(Cow::Borrowed);
            }
            let value = match (segments.next(), segments.next()) {
                (Some("flagKey"), None) => Value::String(self.env.flag_key.to_string()),
                (Some("timestamp"), None) => Value::from(self.env.timestamp),
                (None, _) => serde_json::json!({
                    "flagKey": self.env.flag_key,
                    "timestamp": self.env.timestamp,
                }),
                _ => return None,
            };
            return Some(Cow::Owned(value));
        }
        lookup_in(scope.data, segments).map(Cow::Borrowed)
    }

    fn if_<'e>(&self, args: &'e [Expr], scope: Scope<'e>) -> Cow<'e, Value> {
        let conditions = args.len() / 2;
        for (i, pair) in args.chunks(2).enumerate() {
            match pair {
                [condition, then] => {
                    if truthy(&self.eval(condition, scope)) {
                        self.record(Step::If {
                            branch: Some(i),
                            condition: Some(condition.to_json()),
                            conditions,
                        });
                        return self.eval(then, scope);
                    }
                }
                [otherwise] => {
                    self.record(Step::If {
                        branch: None,
                        condition: None,
                        conditions,
                    });
                    return self.eval(otherwise, scope);
                }
                _ => unreachable!("chunks of two"),
            }
        }
        self.record(Step::If {
            branch: None,
            condition: None,
            conditions,
        });
        Cow::Owned(Value::Null)
    }

    fn iterate<'e>(&self, op: Op, args: &'e [Expr], scope: Scope<'e>) -> Value {
        let items = match args.first().map(|a| self.eval(a, scope)) {
            Some(Cow::Owned(Value::Array(items))) => items,
            Some(Cow::Borrowed(Value::Array(items))) => items.clone(),
            _ => Vec::new(),
        };
        let logic = args.get(1);
        let apply = |item: &Value| -> Value {
            match logic {
                Some(logic) => self
                    .eval(
                        logic,
                        Scope {
                            data: item,
                            root: false,
                        },
                    )
                    .into_owned(),
                None => Value::Null,
            }
        };
        match op {
            Op::Map => Value::Array(items.iter().map(apply).collect()),
            Op::Filter => Value::Array(
                items
                    .into_iter()
                    .filter(|item| truthy(&apply(item)))
                    .collect(),
            ),
            Op::All => Value::Bool(!items.is_empty() && items.iter().all(|i| truthy(&apply(i)))),
            Op::Some => Value::Bool(items.iter().any(|i| truthy(&apply(i)))),
            Op::None => Value::Bool(!items.iter().any(|i| truthy(&apply(i)))),
            Op::Reduce => {
                let mut accumulator = args
                    .get(2)
                    .map_or(Value::Null, |a| self.eval(a, scope).into_owned());
                for current in items {
                    let data = serde_json::json!({
                        "current": current,
                        "accumulator": accumulator,
                    });
                    accumulator = match logic {
                        Some(logic) => self
                            .eval(
                                logic,
                                Scope {
                                    data: &data,
                                    root: false,
                                },
                            )
                            .into_owned(),
                        None => Value::Null,
                    };
                }
                accumulator
            }
            _ => unreachable!("not an iterating operation"),
        }
    }

    /// `fractional` v2 exactly as flagd's Go evaluator (FLAGS.md §A3).
    fn fractional(&self, args: &[&Value], scope: Scope<'_>) -> Value {
        match self.fractional_placement(args, scope) {
            Ok(variant) => variant,
            Err(why) => {
                self.record(Step::FractionalNull(why));
                Value::Null
            }
        }
    }

    fn fractional_placement(&self, args: &[&Value], scope: Scope<'_>) -> Result<Value, String> {
        let targeting_key = || match scope.data.get("targetingKey") {
            Some(Value::String(tk)) if !tk.is_empty() => Ok(tk),
            _ => Err("no bucketing key: the context has no targetingKey".to_string()),
        };
        // The bytes hashed, whether the key is the shorthand one, the buckets.
        let owned_key: Vec<u8>;
        let (key, shorthand, buckets): (&[u8], bool, &[&Value]) = match (self.env.fractional, args)
        {
            (Generation::V2, [Value::String(key), buckets @ ..]) => {
                (key.as_bytes(), false, buckets)
            }
            (Generation::V2, _) => {
                // A bucketing key that evaluated to null is dropped (Go).
                let buckets = match args {
                    [Value::Null, rest @ ..] => rest,
                    all => all,
                };
                owned_key = format!("{}{}", self.env.flag_key, targeting_key()?).into_bytes();
                (&owned_key, true, buckets)
            }
            (Generation::V3, [Value::Array(_), ..]) => {
                let key = serde_json::json!([self.env.flag_key, targeting_key()?]);
                owned_key = fractional::cbor(&key);
                (&owned_key, true, args)
            }
            (Generation::V3, [Value::Null, ..]) => {
                return Err("the bucketing key is null".to_string());
            }
            (Generation::V3, [key, buckets @ ..]) => {
                owned_key = fractional::cbor(key);
                (&owned_key, false, buckets)
            }
            (Generation::V3, []) => return Err("no buckets".to_string()),
        };
        if buckets.is_empty() {
            return Err("no buckets".to_string());
        }
        let mut variants: Vec<&Value> = Vec::with_capacity(buckets.len());
        let mut weights = Vec::with_capacity(buckets.len());
        for bucket in buckets {
            let Value::Array(parts) = bucket else {
                return Err(format!("a bucket is not an array: {bucket}"));
            };
            let (variant, weight) = match parts.as_slice() {
                [variant] => (variant, 1),
                [variant, weight] => (variant, bucket_weight(weight)?),
                _ => return Err("a bucket has more than two elements".to_string()),
            };
            if variant.is_array() || variant.is_object() {
                return Err(format!("a bucket's variant is not a scalar: {variant}"));
            }
            variants.push(variant);
            weights.push(weight);
        }
        let placed = fractional::place_bytes(key, &weights).ok_or_else(|| {
            format!(
                "the total weight is 0 or above {}",
                fractional::MAX_TOTAL_WEIGHT
            )
        })?;
        if self.trace.is_some() {
            let mut from = 0;
            let ranges = variants
                .iter()
                .zip(&weights)
                .map(|(variant, weight)| {
                    let range = ((*variant).clone(), from, from + weight);
                    from += weight;
                    range
                })
                .collect();
            let key = match self.env.fractional {
                Generation::V2 => String::from_utf8_lossy(key).into_owned(),
                Generation::V3 => key.iter().map(|b| format!("{b:02x}")).collect(),
            };
            self.record(Step::Fractional(FractionalStep {
                key,
                cbor: self.env.fractional == Generation::V3,
                shorthand,
                hash: placed.hash,
                total: placed.total,
                bucket: placed.bucket,
                ranges,
                chosen: placed.index,
            }));
        }
        Ok(variants[placed.index].clone())
    }
}

/// A bucket weight: an integer (integral floats included); negative weights count as 0.
fn bucket_weight(weight: &Value) -> Result<u64, String> {
    let Value::Number(n) = weight else {
        return Err(format!("a bucket weight is not a number: {weight}"));
    };
    if let Some(i) = n.as_i64() {
        return Ok(i.max(0) as u64);
    }
    if let Some(u) = n.as_u64() {
        return Ok(u);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f.max(0.0) as u64),
        _ => Err(format!("a bucket weight is not an integer: {n}")),
    }
}

fn lookup_in<'v, 's>(
    mut value: &'v Value,
    segments: impl Iterator<Item = &'s str>,
) -> Option<&'v Value> {
    for segment in segments {
        value = match value {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn missing(keys: &[&Value], data: &Value) -> Value {
    // `{"missing": [["a", "b"]]}` is the same as `{"missing": ["a", "b"]}`.
    let keys: Vec<&Value> = match keys {
        [Value::Array(inner), ..] => inner.iter().collect(),
        _ => keys.to_vec(),
    };
    Value::Array(
        keys.into_iter()
            .filter(|key| {
                let path = to_js_string(key);
                match lookup_in(data, path.split('.')) {
                    None | Some(Value::Null) => true,
                    Some(Value::String(s)) => s.is_empty(),
                    Some(_) => false,
                }
            })
            .cloned()
            .collect(),
    )
}

fn sem_ver(v: &[&Value]) -> Value {
    let [left, Value::String(op), right] = v else {
        return Value::Null;
    };
    let parse = |value: &Value| match value {
        Value::String(s) => Version::parse(s),
        Value::Number(_) => Version::parse(&to_js_string(value)),
        _ => None,
    };
    match (parse(left), parse(right)) {
        (Some(left), Some(right)) => {
            semver::compare(&left, op, &right).map_or(Value::Null, Value::Bool)
        }
        _ => Value::Null,
    }
}

fn substr(text: &Value, start: Option<&Value>, len: Option<&Value>) -> Value {
    let chars: Vec<char> = to_js_string(text).chars().collect();
    let count = chars.len() as i64;
    let start = start.map_or(0.0, to_number);
    let start = if start.is_nan() { 0 } else { start as i64 };
    // Saturating: start and length come from the context and may be anything.
    let from = if start < 0 {
        count.saturating_add(start).max(0)
    } else {
        start.min(count)
    };
    let to = match len.map(to_number) {
        Some(l) if !l.is_nan() && l < 0.0 => count.saturating_add(l as i64).max(from),
        Some(l) if !l.is_nan() => from.saturating_add(l as i64).min(count),
        _ => count,
    };
    Value::String(chars[from as usize..to as usize].iter().collect())
}

/// JsonLogic truthiness: false, null, 0, NaN, "" and [] are false; everything else is true.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
    }
}

/// JavaScript's `Number(value)`.
pub fn to_number(value: &Value) -> f64 {
    match value {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                0.0
            } else {
                s.parse::<f64>()
                    .ok()
                    .filter(|_| {
                        !s.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
                    })
                    .unwrap_or(f64::NAN)
            }
        }
        Value::Array(items) => match items.as_slice() {
            [] => 0.0,
            [single] => to_number(single),
            _ => f64::NAN,
        },
        Value::Object(_) => f64::NAN,
    }
}

/// JavaScript's `String(value)`: `1.0` is `"1"`, null is `"null"`, arrays join with commas.
pub fn to_js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                format_f64(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                if i.is_null() {
                    String::new()
                } else {
                    to_js_string(i)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_string(),
    }
}

fn format_f64(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// A JSON number from a float: integral values become integers (so `1` prints as `1`), and
/// NaN or infinity become null (JSON has neither).
pub fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// JavaScript's `==`.
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(_), Value::Number(_)) => to_number(a) == to_number(b),
        (Value::Bool(_), _) | (_, Value::Bool(_)) => {
            let (x, y) = (number_of_bool(a), number_of_bool(b));
            loose_eq(&x, &y)
        }
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            to_number(a) == to_number(b)
        }
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => false,
        (Value::Array(_) | Value::Object(_), _) => loose_eq(&Value::String(to_js_string(a)), b),
        (_, Value::Array(_) | Value::Object(_)) => loose_eq(a, &Value::String(to_js_string(b))),
    }
}

fn number_of_bool(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::from(u8::from(*b)),
        other => other.clone(),
    }
}

/// `===`: same type and value (numbers by value, so `1 === 1.0`).
pub fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => to_number(a) == to_number(b),
        _ => a == b,
    }
}

/// JavaScript's `<` (or `<=`): strings compare as strings, anything else as numbers.
fn less(a: &Value, b: &Value, or_equal: bool) -> bool {
    if let (Value::String(x), Value::String(y)) = (a, b) {
        return if or_equal { x <= y } else { x < y };
    }
    let (x, y) = (to_number(a), to_number(b));
    if or_equal { x <= y } else { x < y }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval_with(rule: Value, data: Value) -> Value {
        let expr = Expr::compile(&rule).unwrap();
        let env = Env {
            flag_key: "flag",
            timestamp: 1_700_000_000,
            fractional: Generation::V2,
        };
        Evaluator::new(env, None).evaluate(&expr, &data)
    }

    fn eval(rule: Value) -> Value {
        eval_with(rule, json!({}))
    }

    #[test]
    fn unknown_operators_do_not_compile() {
        assert_eq!(
            Expr::compile(&json!({"if": [{"$ref": "nope"}, 1, 2]})),
            Err(CompileError::UnknownOperator("$ref".into()))
        );
    }

    #[test]
    fn var_reads_paths_defaults_and_flagd_properties() {
        let data =
            json!({"user": {"name": "jack", "tags": ["a", "b"]}, "$flagd": {"flagKey": "spoofed"}});
        assert_eq!(
            eval_with(json!({"var": "user.name"}), data.clone()),
            json!("jack")
        );
        assert_eq!(
            eval_with(json!({"var": ["user.tags.1"]}), data.clone()),
            json!("b")
        );
        assert_eq!(
            eval_with(json!({"var": ["nope", 7]}), data.clone()),
            json!(7)
        );
        assert_eq!(
            eval_with(json!({"var": "$flagd.flagKey"}), data.clone()),
            json!("flag")
        );
        assert_eq!(
            eval_with(json!({"var": "$flagd.timestamp"}), data),
            json!(1_700_000_000)
        );
    }

    #[test]
    fn equality_and_comparison_coerce_like_javascript() {
        assert_eq!(eval(json!({"==": [1, "1"]})), json!(true));
        assert_eq!(eval(json!({"===": [1, "1"]})), json!(false));
        assert_eq!(eval(json!({"==": [0, false]})), json!(true));
        assert_eq!(eval(json!({"==": [null, 0]})), json!(false));
        assert_eq!(eval(json!({"!=": ["a", "b"]})), json!(true));
        assert_eq!(eval(json!({"<": [1, 2, 3]})), json!(true));
        assert_eq!(eval(json!({"<=": [1, 1, 0]})), json!(false));
        assert_eq!(eval(json!({">": ["10", 9]})), json!(true));
        assert_eq!(eval(json!({">": ["b", "a"]})), json!(true));
    }

    #[test]
    fn logic_and_branches() {
        assert_eq!(eval(json!({"if": [false, 1, true, 2, 3]})), json!(2));
        assert_eq!(eval(json!({"if": [false, 1]})), Value::Null);
        assert_eq!(eval(json!({"if": [false, 1, 3]})), json!(3));
        assert_eq!(eval(json!({"or": [0, "", "x"]})), json!("x"));
        assert_eq!(eval(json!({"and": [1, 0, 2]})), json!(0));
        assert_eq!(eval(json!({"!": [[]]})), json!(true));
        assert_eq!(eval(json!({"!!": ["0"]})), json!(true));
    }

    #[test]
    fn strings_arrays_and_arithmetic() {
        assert_eq!(eval(json!({"in": ["ell", "hello"]})), json!(true));
        assert_eq!(eval(json!({"in": ["pro", ["free", "pro"]]})), json!(true));
        assert_eq!(
            eval(json!({"cat": ["a", 1, 2.5, true]})),
            json!("a12.5true")
        );
        assert_eq!(eval(json!({"substr": ["jsonlogic", -5]})), json!("logic"));
        assert_eq!(eval(json!({"substr": ["jsonlogic", 1, -5]})), json!("son"));
        assert_eq!(
            eval(json!({"substr": ["abc", -1e300, 1e300]})),
            json!("abc")
        );
        assert_eq!(eval(json!({"substr": ["abc", 1, -1e300]})), json!(""));
        assert_eq!(eval(json!({"+": [1, "2", 3.5]})), json!(6.5));
        assert_eq!(eval(json!({"-": [5]})), json!(-5));
        assert_eq!(eval(json!({"*": [2, 3]})), json!(6));
        assert_eq!(eval(json!({"/": [1, 4]})), json!(0.25));
        assert_eq!(eval(json!({"%": [7, 4]})), json!(3));
        assert_eq!(eval(json!({"max": [1, 9, 3]})), json!(9));
        assert_eq!(eval(json!({"min": []})), Value::Null);
        assert_eq!(
            eval(json!({"merge": [[1], 2, [3, 4]]})),
            json!([1, 2, 3, 4])
        );
    }

    #[test]
    fn missing_and_iteration() {
        let data = json!({"a": 1, "b": "", "n": [1, 2, 3]});
        assert_eq!(
            eval_with(json!({"missing": ["a", "b", "c"]}), data.clone()),
            json!(["b", "c"])
        );
        assert_eq!(
            eval_with(json!({"missing_some": [1, ["a", "c"]]}), data.clone()),
            json!([])
        );
        assert_eq!(
            eval_with(
                json!({"map": [{"var": "n"}, {"*": [{"var": ""}, 2]}]}),
                data.clone()
            ),
            json!([2, 4, 6])
        );
        assert_eq!(
            eval_with(
                json!({"filter": [{"var": "n"}, {">": [{"var": ""}, 1]}]}),
                data.clone()
            ),
            json!([2, 3])
        );
        assert_eq!(
            eval_with(
                json!({"reduce": [{"var": "n"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]}),
                data.clone()
            ),
            json!(6)
        );
        assert_eq!(
            eval_with(
                json!({"all": [{"var": "n"}, {">": [{"var": ""}, 0]}]}),
                data.clone()
            ),
            json!(true)
        );
        assert_eq!(
            eval_with(
                json!({"none": [{"var": "n"}, {">": [{"var": ""}, 2]}]}),
                data.clone()
            ),
            json!(false)
        );
        assert_eq!(
            eval_with(
                json!({"some": [{"var": "n"}, {">": [{"var": ""}, 2]}]}),
                data
            ),
            json!(true)
        );
    }

    #[test]
    fn custom_string_operations_need_two_strings() {
        assert_eq!(eval(json!({"starts_with": ["abcdef", "abc"]})), json!(true));
        assert_eq!(eval(json!({"ends_with": ["abcdef", "abc"]})), json!(false));
        assert_eq!(eval(json!({"starts_with": [123, "1"]})), Value::Null);
        assert_eq!(eval(json!({"ends_with": ["abc"]})), Value::Null);
    }

    #[test]
    fn sem_ver_returns_null_on_bad_input() {
        assert_eq!(
            eval(json!({"sem_ver": ["1.2.3", ">=", "1.2.0"]})),
            json!(true)
        );
        assert_eq!(eval(json!({"sem_ver": [1.2, ">", "1.1"]})), json!(true));
        assert_eq!(
            eval(json!({"sem_ver": ["1.0.0", "==="," 1.0.0"]})),
            Value::Null
        );
        assert_eq!(eval(json!({"sem_ver": ["1.0.0", "="]})), Value::Null);
        assert_eq!(
            eval(json!({"sem_ver": ["2.0.0.0", "=", "2.0.0"]})),
            Value::Null
        );
    }

    #[test]
    fn fractional_with_an_explicit_key() {
        let rule = json!({"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user"}]},
            ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]});
        // "flag" + "jack" — computed independently: murmur3("flagjack") bucket of 100.
        let expr = Expr::compile(&rule).unwrap();
        let env = Env {
            flag_key: "fractional-flag",
            timestamp: 0,
            fractional: Generation::V2,
        };
        let trace = RefCell::new(Vec::new());
        let got = Evaluator::new(env, Some(&trace)).evaluate(&expr, &json!({"user": "jack"}));
        assert_eq!(got, json!("hearts"));
        let Step::Fractional(step) = &trace.borrow()[0] else {
            panic!("no fractional step")
        };
        assert_eq!(step.key, "fractional-flagjack");
        assert_eq!(
            (step.hash, step.bucket, step.total),
            (2_682_799_072, 62, 100)
        );
        assert_eq!(step.ranges[2], (json!("hearts"), 50, 75));
    }

    #[test]
    fn fractional_shorthand_needs_a_targeting_key() {
        let rule = json!({"fractional": [["on", 50], ["off", 50]]});
        assert_eq!(eval(rule.clone()), Value::Null);
        assert_eq!(
            eval_with(rule.clone(), json!({"targetingKey": ""})),
            Value::Null
        );
        assert!(eval_with(rule, json!({"targetingKey": "u-1"})).is_string());
    }

    #[test]
    fn fractional_rejects_bad_buckets() {
        let data = json!({"targetingKey": "u"});
        assert_eq!(
            eval_with(json!({"fractional": [["a", 0], ["b", 0]]}), data.clone()),
            Value::Null
        );
        assert_eq!(
            eval_with(json!({"fractional": [["a", 0.5], ["b", 1]]}), data.clone()),
            Value::Null
        );
        assert_eq!(
            eval_with(json!({"fractional": [["a", -5], ["b", 1]]}), data.clone()),
            json!("b")
        );
        assert_eq!(
            eval_with(json!({"fractional": [["only"]]}), data.clone()),
            json!("only")
        );
        // A null key expression is dropped and the shorthand key used (Go).
        assert!(
            eval_with(
                json!({"fractional": [{"var": "nope"}, ["a", 1], ["b", 1]]}),
                data
            )
            .is_string()
        );
    }

    #[test]
    fn expressions_print_back_as_json() {
        let rule = json!({"if": [{"in": [{"var": "plan"}, ["pro", "ent"]]}, "on", null]});
        assert_eq!(Expr::compile(&rule).unwrap().to_json(), rule);
        let unary = json!({"!": {"var": "x"}});
        assert_eq!(Expr::compile(&unary).unwrap().to_json(), unary);
    }
}
