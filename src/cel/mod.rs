//! CEL: the rules users write themselves, in schemas (`x-kubernetes-validations`) and in
//! `cfgctl.toml` (`[[rule]]`).
//!
//! Expressions are compiled once (a rule that does not compile is an error at load, with its
//! line and column inside the expression) and evaluated many times on every core. The
//! interpreter is the `cel` crate (cel-rust) with its strings and lists extensions; this module
//! adds the Kubernetes extension functions configuration rules need (quantities, regex
//! `find`/`findAll`, list `sum`/`min`/`max`/`isSorted`) and a cost limit: before an
//! evaluation, an upper bound of its work is computed from the expression's size, its
//! comprehension nesting and the largest list or map it is given, and an evaluation over the
//! limit is refused instead of run. CEL has no loops other than comprehensions over finite
//! collections, so the bound holds.

pub mod quantity;
pub mod reads;

use crate::document::{Node, Value as DocValue};
use ::cel::common::ast::{Expr, IdedExpr, LiteralValue};
use ::cel::common::traits::{
    Adder, Comparer, Container, Divider, Indexer, Iterable, Modder, Multiplier, Negator, Sizer,
    Subtractor, Zeroer,
};
use ::cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, Type,
};
use ::cel::common::value::{Builtin, BuiltinRef, Val};
use ::cel::extractors::{Arguments, This};
use ::cel::objects::Opaque;
use ::cel::{Context, Env, ExecutionError, FunctionContext, Value};
use quantity::Quantity;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

/// The most work one evaluation may do, in the units of [`Expression::cost`]: Kubernetes's
/// per-expression limit for CRD validation rules has the same order of magnitude.
pub const COST_LIMIT: u64 = 1_000_000;

/// Why an expression does not compile: where (1-based, inside the expression) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// Why an evaluation produced no verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// A field the expression reads is absent (`no such key: replicas`).
    NoSuchKey(String),
    /// The bound on the evaluation's work is over [`COST_LIMIT`]; it was not run.
    Cost(u64),
    /// Any other runtime error (a type mismatch, a bad quantity, a division by zero).
    Other(String),
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::NoSuchKey(key) => write!(f, "no such key: {key}"),
            EvalError::Cost(cost) => write!(
                f,
                "the rule's estimated cost {cost} is over the limit of {COST_LIMIT}"
            ),
            EvalError::Other(message) => f.write_str(message),
        }
    }
}

/// A compiled expression, cheap to clone and shared by every core.
#[derive(Clone)]
pub struct Expression {
    source: Arc<str>,
    program: Arc<::cel::Program>,
    /// Nodes in the expression tree.
    nodes: u64,
    /// Deepest nesting of comprehensions (`all`, `exists`, `map`, `filter`, …).
    depth: u32,
    variables: BTreeSet<String>,
    /// Variables read only through field paths (`env.services…`, never `env` alone).
    only_paths: BTreeSet<String>,
    /// Field paths read from a variable (`self.spec.replicas`), in source order.
    paths: Vec<Vec<String>>,
}

impl std::fmt::Debug for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Expression").field(&self.source).finish()
    }
}

/// A value handed to an expression, with the size of its largest list or map (for the cost
/// bound). It is in the interpreter's own representation already, so binding it to a variable
/// copies nothing, and its strings borrow the document's.
#[derive(Debug)]
pub struct Input<'a> {
    value: Box<dyn Val + 'a>,
    largest: u64,
}

impl<'a> Input<'a> {
    /// Converts a document tree.
    pub fn from_node(node: &'a Node) -> Input<'a> {
        let mut largest = 0;
        let value = to_val(node, &mut largest);
        Input { value, largest }
    }

    /// Converts a document tree, of a mapping only the given fields (those an expression
    /// reads: converting a value costs its size).
    pub fn from_node_fields(node: &'a Node, fields: Option<&BTreeSet<String>>) -> Input<'a> {
        let (Some(fields), DocValue::Map(map)) = (fields, &node.value) else {
            return Input::from_node(node);
        };
        let mut largest = 0;
        let map: HashMap<CelMapKey<'a>, Box<dyn Val + 'a>> = map
            .iter()
            .filter(|(k, _)| fields.contains(k.as_str()))
            .map(|(k, e)| (string_key(k), to_val(&e.value, &mut largest)))
            .collect();
        largest = largest.max(map.len() as u64);
        Input {
            value: Box::new(CelMap::from(map)),
            largest,
        }
    }

    /// A map of inputs (`envs.production`, `envs.staging`), borrowing them.
    pub fn map<'b>(entries: impl IntoIterator<Item = (String, &'b Input<'a>)>) -> Input<'b>
    where
        'a: 'b,
    {
        let mut largest = 0;
        let mut map: HashMap<CelMapKey<'b>, Box<dyn Val + 'b>> = HashMap::new();
        for (key, input) in entries {
            largest = largest.max(input.largest);
            map.insert(
                CelMapKey::String(CelString::from(key)),
                Box::new(Borrowed(&*input.value)),
            );
        }
        largest = largest.max(map.len() as u64);
        Input {
            value: Box::new(CelMap::from(map)),
            largest,
        }
    }

    /// The same value, borrowed.
    pub fn borrow(&self) -> Input<'_> {
        Input {
            value: Box::new(Borrowed(&*self.value)),
            largest: self.largest,
        }
    }

    pub fn string(text: &str) -> Input<'static> {
        Input {
            value: Box::new(CelString::from(text.to_string())),
            largest: 0,
        }
    }
}

fn string_key(key: &str) -> CelMapKey<'_> {
    CelMapKey::String(CelString::from(key))
}

fn to_val<'a>(node: &'a Node, largest: &mut u64) -> Box<dyn Val + 'a> {
    match &node.value {
        DocValue::Null => Box::new(CelNull),
        DocValue::Bool(b) => Box::new(CelBool::from(*b)),
        DocValue::Int(i) => Box::new(CelInt::from(*i)),
        DocValue::Float(f) => Box::new(CelDouble::from(*f)),
        DocValue::String(s) => Box::new(CelString::from(s.as_str())),
        DocValue::Seq(items) => {
            *largest = (*largest).max(items.len() as u64);
            let items: Vec<Box<dyn Val + 'a>> =
                items.iter().map(|item| to_val(item, largest)).collect();
            Box::new(CelList::from(items))
        }
        DocValue::Map(map) => {
            *largest = (*largest).max(map.len() as u64);
            let map: HashMap<CelMapKey<'a>, Box<dyn Val + 'a>> = map
                .iter()
                .map(|(k, e)| (string_key(k), to_val(&e.value, largest)))
                .collect();
            Box::new(CelMap::from(map))
        }
    }
}

/// A value bound by reference: an environment shared by many evaluations and by `envs`
/// is converted once. It is the value it refers to in every respect; only taking it apart
/// (which the interpreter does with values nothing else holds) copies that value.
#[derive(Debug, Clone, Copy)]
struct Borrowed<'a>(&'a (dyn Val + 'a));

impl<'a> Val for Borrowed<'a> {
    fn get_type(&self) -> &Type {
        self.0.get_type()
    }

    fn cel_type() -> &'static Type {
        unreachable!("a borrowed value has the type of what it refers to")
    }

    fn as_adder<'b, 'v>(&'b self) -> Option<&'b (dyn Adder + 'v)>
    where
        Self: 'v,
    {
        self.0.as_adder()
    }

    fn as_comparer(&self) -> Option<&dyn Comparer> {
        self.0.as_comparer()
    }

    fn as_container(&self) -> Option<&dyn Container> {
        self.0.as_container()
    }

    fn as_divider<'b, 'v>(&'b self) -> Option<&'b (dyn Divider + 'v)>
    where
        Self: 'v,
    {
        self.0.as_divider()
    }

    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
    where
        Self: 'v,
    {
        self.0.as_indexer()
    }

    fn into_indexer<'v>(self: Box<Self>) -> Option<Box<dyn Indexer + 'v>>
    where
        Self: 'v,
    {
        self.0.clone_as_boxed().into_indexer()
    }

    fn as_iterable<'b, 'v>(&'b self) -> Option<&'b (dyn Iterable + 'v)>
    where
        Self: 'v,
    {
        self.0.as_iterable()
    }

    fn as_modder<'b, 'v>(&'b self) -> Option<&'b (dyn Modder + 'v)>
    where
        Self: 'v,
    {
        self.0.as_modder()
    }

    fn as_multiplier<'b, 'v>(&'b self) -> Option<&'b (dyn Multiplier + 'v)>
    where
        Self: 'v,
    {
        self.0.as_multiplier()
    }

    fn as_negator<'b, 'v>(&'b self) -> Option<&'b (dyn Negator + 'v)>
    where
        Self: 'v,
    {
        self.0.as_negator()
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        self.0.as_sizer()
    }

    fn as_subtractor<'b, 'v>(&'b self) -> Option<&'b (dyn Subtractor + 'v)>
    where
        Self: 'v,
    {
        self.0.as_subtractor()
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        self.0.as_zeroer()
    }

    fn equals(&self, other: &dyn Val) -> bool {
        self.0.equals(other)
    }

    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(*self)
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        self.0.as_any()
    }

    fn as_builtin<'b, 'v>(&'b self) -> BuiltinRef<'b, 'v>
    where
        Self: 'v,
    {
        self.0.as_builtin()
    }

    fn into_builtin<'v>(self: Box<Self>) -> Option<Builtin<'v>>
    where
        Self: 'v,
    {
        self.0.clone_as_boxed().into_builtin()
    }
}

impl Expression {
    /// Compiles an expression that may use the given variables (and nothing else).
    pub fn compile(source: &str, variables: &[&str]) -> Result<Expression, CompileError> {
        check_nesting(source)?;
        let program = env().compile(source).map_err(|errors| {
            let first = errors.errors.first();
            let (line, column) = first.map_or((1, 1), |e| (e.pos.0.max(1), e.pos.1.max(1)));
            let message = first.map_or_else(|| errors.to_string(), |e| e.msg.clone());
            CompileError {
                line: line as u32,
                column: column as u32,
                message: message.to_lowercase_first(),
            }
        })?;
        let mut analysis = Analysis {
            declared: variables,
            scopes: Vec::new(),
            nodes: 0,
            depth: 0,
            used: BTreeSet::new(),
            occurrences: HashMap::new(),
            paths: Vec::new(),
            error: None,
        };
        analysis.walk(program.expression(), 0, true);
        if let Some((id, message)) = analysis.error {
            let (line, column) = program
                .source_info()
                .offset_for(id)
                .map_or((1, 1), |(start, _)| line_column(source, start as usize));
            return Err(CompileError {
                line,
                column,
                message,
            });
        }
        Ok(Expression {
            source: Arc::from(source),
            program: Arc::new(program),
            nodes: analysis.nodes,
            depth: analysis.depth,
            only_paths: analysis
                .occurrences
                .iter()
                .filter(|(name, count)| {
                    analysis.paths.iter().filter(|p| &&p[0] == name).count() == **count
                })
                .map(|(name, _)| name.clone())
                .collect(),
            variables: analysis.used,
            paths: analysis.paths,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The first field read from a variable, when it is only read through field paths
    /// (`env.services.x`, `env.database.y` → `services`, `database`): the rest of its value
    /// need not be bound.
    pub fn fields_of(&self, variable: &str) -> Option<BTreeSet<&str>> {
        self.only_paths.contains(variable).then(|| {
            self.paths
                .iter()
                .filter(|p| p[0] == variable)
                .map(|p| p[1].as_str())
                .collect()
        })
    }

    /// The field paths read from a variable (without the variable's name), when it is only
    /// read through field paths; `None` when the expression uses the variable as a whole.
    pub fn paths_of<'a>(&'a self, variable: &'a str) -> Option<Vec<&'a [String]>> {
        self.only_paths.contains(variable).then(|| {
            self.paths
                .iter()
                .filter(|p| p[0] == variable)
                .map(|p| &p[1..])
                .collect()
        })
    }

    /// What the expression can read of a variable, below the field paths it names
    /// ([`reads::Reads`]); `None` when it does not name it.
    pub fn reads_of(&self, variable: &str) -> Option<reads::Reads> {
        reads::Reads::of(self.program.expression(), variable)
    }

    /// Whether the expression reads a variable (`oldSelf` makes a transition rule).
    pub fn uses(&self, variable: &str) -> bool {
        self.variables.contains(variable)
    }

    /// The field paths the expression reads from variables, in source order: `self.a.b` is
    /// `["self", "a", "b"]`; `x['k']` counts as `x.k`.
    pub fn paths(&self) -> &[Vec<String>] {
        &self.paths
    }

    /// An upper bound of an evaluation's work over inputs whose largest list or map has
    /// `largest` elements: every node once per iteration of every comprehension around it.
    pub fn cost(&self, largest: u64) -> u64 {
        let per_level = largest.saturating_add(1);
        (0..self.depth).fold(self.nodes, |cost, _| cost.saturating_mul(per_level))
    }

    /// Evaluates the expression with the given variables.
    pub fn evaluate(&self, variables: &[(&str, &Input<'_>)]) -> Result<Value, EvalError> {
        let largest = variables
            .iter()
            .filter(|(n, _)| self.uses(n))
            .map(|(_, i)| i.largest)
            .max()
            .unwrap_or(0);
        let cost = self.cost(largest);
        if cost > COST_LIMIT {
            return Err(EvalError::Cost(cost));
        }
        ROOT.with(|root| {
            let mut context = root.new_inner_scope();
            // Inputs are bound by reference: an environment read by thousands of evaluations
            // (and by `envs`) was converted once.
            for (name, input) in variables.iter().filter(|(n, _)| self.uses(n)) {
                context.add_variable_as_val(*name, Box::new(Borrowed(&*input.value)));
            }
            self.program.execute(&context).map_err(|err| match err {
                ExecutionError::NoSuchKey(key) => EvalError::NoSuchKey(key.to_string()),
                other => EvalError::Other(other.to_string()),
            })
        })
    }

    /// Evaluates a rule: `Ok(true)` when it holds.
    pub fn check(&self, variables: &[(&str, &Input<'_>)]) -> Result<bool, EvalError> {
        match self.evaluate(variables)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError::Other(format!(
                "a rule must evaluate to a bool, this one gave {}",
                other.type_of()
            ))),
        }
    }

    /// Evaluates a message expression: it must give a string.
    pub fn message(&self, variables: &[(&str, &Input<'_>)]) -> Result<String, EvalError> {
        match self.evaluate(variables)? {
            Value::String(s) => Ok(s.to_string()),
            other => Err(EvalError::Other(format!(
                "a messageExpression must evaluate to a string, this one gave {}",
                other.type_of()
            ))),
        }
    }
}

/// Compiles and evaluates an expression without variables and without the checks rules get
/// (for the CEL conformance tests, whose expressions name types such as `int`).
#[doc(hidden)]
pub fn evaluate_standalone(source: &str) -> Result<Value, String> {
    check_nesting(source).map_err(|e| e.message)?;
    let program = env().compile(source).map_err(|e| e.to_string())?;
    ROOT.with(|root| program.execute(&root.new_inner_scope()))
        .map_err(|e| e.to_string())
}

/// Deepest bracket nesting accepted: the parser recurses per level, and a hostile rule must
/// not overflow the stack.
const MAX_NESTING: usize = 32;

/// Refuses expressions nested deeper than [`MAX_NESTING`] brackets, or longer than 10 KiB,
/// before they reach the parser.
fn check_nesting(source: &str) -> Result<(), CompileError> {
    if source.len() > 10 * 1024 {
        return Err(CompileError {
            line: 1,
            column: 1,
            message: "the expression is longer than 10 KiB".into(),
        });
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (offset, c) in source.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_column(source, offset);
                    return Err(CompileError {
                        line,
                        column,
                        message: format!(
                            "the expression nests more than {MAX_NESTING} brackets deep"
                        ),
                    });
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for String {
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// Returns the 1-based line and column of a byte offset in an expression.
fn line_column(source: &str, offset: usize) -> (u32, u32) {
    let pos = crate::document::pos_at_byte(source.as_bytes(), offset);
    (pos.line, pos.column)
}

/// What compiling learns from the expression tree.
struct Analysis<'a> {
    declared: &'a [&'a str],
    /// Comprehension variables in scope.
    scopes: Vec<String>,
    nodes: u64,
    depth: u32,
    used: BTreeSet<String>,
    /// How often each declared variable is named.
    occurrences: HashMap<String, usize>,
    paths: Vec<Vec<String>>,
    error: Option<(u64, String)>,
}

/// Namespaces of extension functions (`lists.range` is refused: it makes lists from numbers,
/// which the cost bound cannot see).
const NAMESPACES: [&str; 2] = ["strings", "math"];

impl Analysis<'_> {
    /// Walks the tree; `record` is false inside a field path already recorded (so `a.b.c`
    /// does not also record `a.b`).
    fn walk(&mut self, expr: &IdedExpr, depth: u32, record: bool) {
        self.nodes += 1;
        self.depth = self.depth.max(depth);
        let mut inner = record;
        if let Some(path) = field_path(expr).filter(|_| record) {
            inner = false;
            if !self.scopes.contains(&path[0]) && path.len() > 1 {
                self.paths.push(path);
            }
        }
        match &expr.expr {
            Expr::Ident(name) => self.ident(expr.id, name),
            Expr::Select(select) => self.walk(&select.operand, depth, inner),
            Expr::Call(call) => {
                let namespaced = call.target.as_ref().and_then(|t| match &t.expr {
                    Expr::Ident(name) if !self.is_variable(name) => Some(name.as_str()),
                    _ => None,
                });
                match namespaced {
                    Some("lists") if call.func_name == "range" => {
                        self.fail(expr.id, "lists.range is not supported (cost limit)".into())
                    }
                    Some(ns) if NAMESPACES.contains(&ns) || ns == "lists" => {}
                    _ => {
                        if let Some(target) = &call.target {
                            self.walk(target, depth, true);
                        }
                    }
                }
                if call.func_name == "lists.range" {
                    self.fail(expr.id, "lists.range is not supported (cost limit)".into());
                }
                for (i, arg) in call.args.iter().enumerate() {
                    let index_operand = i == 0 && call.func_name == "_[_]";
                    self.walk(arg, depth, !index_operand || inner);
                }
            }
            Expr::List(list) => {
                for element in &list.elements {
                    self.walk(element, depth, true);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let ::cel::common::ast::EntryExpr::MapEntry(e) = &entry.expr {
                        self.walk(&e.key, depth, true);
                        self.walk(&e.value, depth, true);
                    }
                }
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let ::cel::common::ast::EntryExpr::StructField(f) = &entry.expr {
                        self.walk(&f.value, depth, true);
                    }
                }
            }
            Expr::Comprehension(c) => {
                self.walk(&c.iter_range, depth, true);
                self.walk(&c.accu_init, depth, true);
                let scoped = 2 + usize::from(c.iter_var2.is_some());
                self.scopes.push(c.iter_var.clone());
                self.scopes.push(c.accu_var.clone());
                if let Some(v) = &c.iter_var2 {
                    self.scopes.push(v.clone());
                }
                self.walk(&c.loop_cond, depth + 1, true);
                self.walk(&c.loop_step, depth + 1, true);
                self.walk(&c.result, depth, true);
                self.scopes.truncate(self.scopes.len() - scoped);
            }
            Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    fn is_variable(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s == name) || self.declared.contains(&name)
    }

    fn ident(&mut self, id: u64, name: &str) {
        if self.scopes.iter().any(|s| s == name) {
            return;
        }
        if self.declared.contains(&name) {
            self.used.insert(name.to_string());
            *self.occurrences.entry(name.to_string()).or_default() += 1;
        } else {
            let known = self.declared.join(", ");
            self.fail(
                id,
                format!("undeclared reference to `{name}` (this rule can use {known})"),
            );
        }
    }

    fn fail(&mut self, id: u64, message: String) {
        if self.error.is_none() {
            self.error = Some((id, message));
        }
    }
}

/// `a.b.c` or `a['b'].c` as `["a", "b", "c"]`.
fn field_path(expr: &IdedExpr) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let mut expr = expr;
    loop {
        match &expr.expr {
            Expr::Ident(name) => {
                segments.push(name.clone());
                segments.reverse();
                return Some(segments);
            }
            Expr::Select(select) if !select.test => {
                segments.push(select.field.clone());
                expr = &select.operand;
            }
            Expr::Call(call) if call.func_name == "_[_]" && call.args.len() == 2 => {
                match &call.args[1].expr {
                    Expr::Literal(LiteralValue::String(key)) => {
                        segments.push(key.to_string());
                        expr = &call.args[0];
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
}

fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        env.add_extension(::cel::extensions::strings)
            .expect("the strings extension registers");
        env.add_extension(::cel::extensions::lists)
            .expect("the lists extension registers");
        Arc::new(env)
    })
    .clone()
}

thread_local! {
    /// The functions cfgctl adds, registered once per thread.
    static ROOT: Context<'static, 'static> = root_context();
}

/// The Kubernetes extension functions (see the module documentation).
fn root_context() -> Context<'static, 'static> {
    let mut context = Context::with_env(env());
    let add = |name: &str, result: Result<(), ::cel::DeclarationError>| {
        result.unwrap_or_else(|e| panic!("CEL function `{name}` registers: {e}"));
    };
    add("quantity", context.add_function("quantity", quantity_fn));
    add(
        "isQuantity",
        context.add_function("isQuantity", |s: Arc<String>| Quantity::parse(&s).is_ok()),
    );
    add(
        "sign",
        context.add_function("sign", |ftx: &FunctionContext, This(q): This<Value>| {
            Ok::<_, ExecutionError>(Value::Int(as_quantity(ftx, &q)?.sign()))
        }),
    );
    add(
        "isInteger",
        context.add_function(
            "isInteger",
            |ftx: &FunctionContext, This(q): This<Value>| {
                Ok::<_, ExecutionError>(as_quantity(ftx, &q)?.as_integer().is_some())
            },
        ),
    );
    add(
        "asInteger",
        context.add_function(
            "asInteger",
            |ftx: &FunctionContext, This(q): This<Value>| {
                as_quantity(ftx, &q)?
                    .as_integer()
                    .map(Value::Int)
                    .ok_or_else(|| ftx.error("the quantity is not an integer that fits an int"))
            },
        ),
    );
    add(
        "asApproximateFloat",
        context.add_function(
            "asApproximateFloat",
            |ftx: &FunctionContext, This(q): This<Value>| {
                Ok::<_, ExecutionError>(Value::Float(as_quantity(ftx, &q)?.as_approximate_float()))
            },
        ),
    );
    add(
        "compareTo",
        context.add_function(
            "compareTo",
            |ftx: &FunctionContext, This(a): This<Value>, b: Value| {
                let ordering = as_quantity(ftx, &a)?.cmp(&as_quantity(ftx, &b)?);
                Ok::<_, ExecutionError>(Value::Int(ordering as i64))
            },
        ),
    );
    add(
        "isLessThan",
        context.add_function(
            "isLessThan",
            |ftx: &FunctionContext, This(a): This<Value>, b: Value| {
                Ok::<_, ExecutionError>(as_quantity(ftx, &a)? < as_quantity(ftx, &b)?)
            },
        ),
    );
    add(
        "isGreaterThan",
        context.add_function(
            "isGreaterThan",
            |ftx: &FunctionContext, This(a): This<Value>, b: Value| {
                Ok::<_, ExecutionError>(as_quantity(ftx, &a)? > as_quantity(ftx, &b)?)
            },
        ),
    );
    add(
        "add",
        context.add_function(
            "add",
            |ftx: &FunctionContext, This(a): This<Value>, b: Value| quantity_sum(ftx, &a, &b, 1),
        ),
    );
    add(
        "sub",
        context.add_function(
            "sub",
            |ftx: &FunctionContext, This(a): This<Value>, b: Value| quantity_sum(ftx, &a, &b, -1),
        ),
    );
    add(
        "find",
        context.add_function(
            "find",
            |ftx: &FunctionContext, This(s): This<Arc<String>>, pattern: Arc<String>| {
                with_regex(ftx, &pattern, |re| {
                    Value::String(Arc::new(
                        re.find(&s)
                            .map_or(String::new(), |m| m.as_str().to_string()),
                    ))
                })
            },
        ),
    );
    add(
        "findAll",
        context.add_function(
            "findAll",
            |ftx: &FunctionContext, This(s): This<Arc<String>>, Arguments(args): Arguments| {
                let (pattern, limit) = match args.as_slice() {
                    [Value::String(p)] => (p.clone(), i64::MAX),
                    [Value::String(p), Value::Int(n)] => (p.clone(), *n),
                    _ => return Err(ftx.error("findAll takes a regex and an optional limit")),
                };
                let limit = usize::try_from(limit).unwrap_or(usize::MAX);
                with_regex(ftx, &pattern, |re| {
                    Value::List(Arc::new(
                        re.find_iter(&s)
                            .take(limit)
                            .map(|m| Value::String(Arc::new(m.as_str().to_string())))
                            .collect(),
                    ))
                })
            },
        ),
    );
    add(
        "isSorted",
        context.add_function(
            "isSorted",
            |ftx: &FunctionContext, This(l): This<Arc<Vec<Value>>>| {
                let mut sorted = true;
                for pair in l.windows(2) {
                    match pair[0].partial_cmp(&pair[1]) {
                        Some(std::cmp::Ordering::Greater) => sorted = false,
                        None => return Err(ftx.error("the list's elements cannot be compared")),
                        _ => {}
                    }
                }
                Ok(sorted)
            },
        ),
    );
    add(
        "sum",
        context.add_function(
            "sum",
            |ftx: &FunctionContext, This(l): This<Arc<Vec<Value>>>| list_sum(ftx, &l),
        ),
    );
    add(
        "min",
        context.add_function(
            "min",
            |ftx: &FunctionContext, Arguments(args): Arguments| {
                extreme(ftx, args, std::cmp::Ordering::Less)
            },
        ),
    );
    add(
        "max",
        context.add_function(
            "max",
            |ftx: &FunctionContext, Arguments(args): Arguments| {
                extreme(ftx, args, std::cmp::Ordering::Greater)
            },
        ),
    );
    context
}

#[derive(Debug, PartialEq, Eq)]
struct QuantityValue(Quantity);

impl Opaque for QuantityValue {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Quantity"
    }
}

fn quantity_value(q: Quantity) -> Value {
    Value::Opaque(Arc::new(QuantityValue(q)))
}

fn quantity_fn(ftx: &FunctionContext, text: Arc<String>) -> Result<Value, ExecutionError> {
    Quantity::parse(&text)
        .map(quantity_value)
        .map_err(|e| ftx.error(e))
}

fn as_quantity(ftx: &FunctionContext, value: &Value) -> Result<Quantity, ExecutionError> {
    match value {
        Value::Opaque(o) => o.downcast_ref::<QuantityValue>().map(|q| q.0),
        _ => None,
    }
    .ok_or_else(|| ftx.error("expected a quantity (use quantity(\"250m\"))"))
}

fn quantity_sum(
    ftx: &FunctionContext,
    a: &Value,
    b: &Value,
    sign: i128,
) -> Result<Value, ExecutionError> {
    let a = as_quantity(ftx, a)?;
    let b = match b {
        Value::Int(i) => Quantity::from_int(*i),
        other => as_quantity(ftx, other)?,
    };
    a.checked_add(Quantity(b.0 * sign))
        .map(quantity_value)
        .ok_or_else(|| ftx.error("quantity overflow"))
}

fn with_regex(
    ftx: &FunctionContext,
    pattern: &str,
    f: impl FnOnce(&regex::Regex) -> Value,
) -> Result<Value, ExecutionError> {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<String, regex::Regex>> =
            std::cell::RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            let re = regex::Regex::new(pattern).map_err(|e| ftx.error(e))?;
            if cache.len() >= 256 {
                cache.clear();
            }
            cache.insert(pattern.to_string(), re);
        }
        Ok(f(&cache[pattern]))
    })
}

fn list_sum(ftx: &FunctionContext, list: &[Value]) -> Result<Value, ExecutionError> {
    let mut ints: i64 = 0;
    let mut floats: Option<f64> = None;
    for item in list {
        match item {
            Value::Int(i) => {
                ints = ints
                    .checked_add(*i)
                    .ok_or_else(|| ftx.error("integer overflow"))?
            }
            Value::Float(f) => *floats.get_or_insert(0.0) += f,
            _ => return Err(ftx.error("sum() needs a list of numbers")),
        }
    }
    Ok(match floats {
        Some(f) => Value::Float(f + ints as f64),
        None => Value::Int(ints),
    })
}

/// `list.min()`/`list.max()` (Kubernetes lists library) and the standard `min`/`max` of
/// their arguments.
fn extreme(
    ftx: &FunctionContext,
    args: Arc<Vec<Value>>,
    keep: std::cmp::Ordering,
) -> Result<Value, ExecutionError> {
    let items: Vec<Value> = match &ftx.this {
        Some(this) => match Value::try_from(&**this) {
            Ok(Value::List(list)) => list.to_vec(),
            _ => return Err(ftx.error("min()/max() need a list")),
        },
        None => match args.as_slice() {
            [Value::List(list)] => list.to_vec(),
            _ => args.to_vec(),
        },
    };
    let mut best: Option<Value> = None;
    for item in items {
        best = Some(match best {
            None => item,
            Some(current) => match item.partial_cmp(&current) {
                Some(o) if o == keep => item,
                Some(_) => current,
                None => return Err(ftx.error("the values cannot be compared")),
            },
        });
    }
    best.ok_or_else(|| ftx.error("min()/max() of an empty list"))
}

#[cfg(test)]
mod tests;
