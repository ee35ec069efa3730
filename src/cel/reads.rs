//! What an expression can read of a variable, below the field paths it names.
//!
//! `env.services.map(s, env.services[s].replicas).sum()` reads the keys of `env.services` and
//! the `replicas` of each service, nothing else of them. [`Reads`] records that as a tree:
//! fields read whole, maps whose keys are iterated, and `any` for a field chosen at run time
//! (an index that is not a literal, such as a comprehension variable). The rules use it to
//! keep and convert only what an expression can see of an environment.
//!
//! The analysis is conservative: a path used in any way it does not know (passed to a
//! function, compared, indexed into a list, iterated with two variables) is read whole.

use ::cel::common::ast::{Expr, IdedExpr, LiteralValue};
use std::collections::BTreeMap;

use crate::document::{Node, Value};

/// What an expression reads below one point of a variable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    /// The value here is read whole.
    pub whole: bool,
    /// Fields read by name.
    pub fields: BTreeMap<String, Reads>,
    /// What is read below a field whose name is known only at run time.
    pub any: Option<Box<Reads>>,
}

/// One step of a read path: a field by name, or one chosen at run time.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Any,
}

impl Reads {
    /// What `expr` reads of `variable`; `None` when it does not name it.
    pub fn of(expr: &IdedExpr, variable: &str) -> Option<Reads> {
        let mut walk = Walk {
            variable,
            shadowed: 0,
            reads: None,
        };
        walk.expr(expr);
        walk.reads
    }

    /// The reads below a step, created empty when missing.
    fn step(&mut self, step: &Step) -> &mut Reads {
        match step {
            Step::Field(name) => self.fields.entry(name.clone()).or_default(),
            Step::Any => self.any.get_or_insert_with(Default::default),
        }
    }

    /// Adds what `other` reads.
    pub fn merge(&mut self, other: Reads) {
        self.whole |= other.whole;
        for (name, reads) in other.fields {
            self.fields.entry(name).or_default().merge(reads);
        }
        if let Some(any) = other.any {
            self.any.get_or_insert_with(Default::default).merge(*any);
        }
    }

    /// Replaces in `node` every value the reads cannot see by a placeholder, keeping all
    /// that can change what they see: every key of every mapping (a mapping's keys can be
    /// iterated), nulls (a null in a layer deletes a key when layers merge), sequences whole,
    /// and any value holding a `${…}` reference (whether an environment's render is complete
    /// depends on them). Merging pruned layers then gives the pruned merge of the layers.
    /// `references` says whether a value of the document may hold `${` at all (when not, no
    /// value is searched for one).
    pub fn prune(&self, node: &mut Node, references: bool) {
        if self.whole {
            return;
        }
        let Value::Map(map) = &mut node.value else {
            return;
        };
        for (key, entry) in map.iter_mut() {
            let below = match (self.fields.get(key), &self.any) {
                (Some(named), Some(any)) => {
                    let mut both = named.clone();
                    both.merge((**any).clone());
                    Some(std::borrow::Cow::Owned(both))
                }
                (Some(named), None) => Some(std::borrow::Cow::Borrowed(named)),
                (None, Some(any)) => Some(std::borrow::Cow::Borrowed(&**any)),
                (None, None) => None,
            };
            match below {
                Some(reads) => reads.prune(&mut entry.value, references),
                None if matches!(entry.value.value, Value::Null) => {}
                None if references && has_reference(&entry.value) => {}
                None => entry.value.value = Value::Bool(false),
            }
        }
    }
}

/// Whether a string below `node` holds `${`, the start of a reference.
fn has_reference(node: &Node) -> bool {
    match &node.value {
        Value::String(s) => s.contains("${"),
        Value::Seq(items) => items.iter().any(has_reference),
        Value::Map(map) => map.values().any(|e| has_reference(&e.value)),
        _ => false,
    }
}

struct Walk<'v> {
    variable: &'v str,
    /// Comprehension scopes in which a variable of the same name hides the one analysed.
    shadowed: usize,
    reads: Option<Reads>,
}

impl Walk<'_> {
    fn record(&mut self, path: &[Step], whole: bool) {
        let mut at = self.reads.get_or_insert_with(Default::default);
        for step in path {
            at = at.step(step);
        }
        at.whole |= whole;
    }

    /// The read path of a chain of field selections and indexes rooted at the variable:
    /// `env.a['b'][x]` is `[a, b, any]`. Index expressions are walked for their own reads.
    fn path(&mut self, expr: &IdedExpr) -> Option<Vec<Step>> {
        match &expr.expr {
            Expr::Ident(name) if name == self.variable && self.shadowed == 0 => Some(Vec::new()),
            Expr::Select(select) if !select.test => {
                let mut path = self.path(&select.operand)?;
                path.push(Step::Field(select.field.clone()));
                Some(path)
            }
            Expr::Call(call)
                if call.func_name == "_[_]" && call.target.is_none() && call.args.len() == 2 =>
            {
                let mut path = self.path(&call.args[0])?;
                match &call.args[1].expr {
                    Expr::Literal(LiteralValue::String(key)) => {
                        path.push(Step::Field(key.to_string()))
                    }
                    _ => {
                        self.expr(&call.args[1]);
                        path.push(Step::Any);
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }

    fn expr(&mut self, expr: &IdedExpr) {
        if let Some(path) = self.path(expr) {
            self.record(&path, true);
            return;
        }
        match &expr.expr {
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
            // `has(a.b)`: the keys of `a` (which are always kept).
            Expr::Select(select) => match self.path(&select.operand) {
                Some(path) => self.record(&path, false),
                None => self.expr(&select.operand),
            },
            Expr::Call(call) => {
                // `x in a`: the keys of a map (a sequence is kept whole).
                if call.func_name == "@in"
                    && call.target.is_none()
                    && call.args.len() == 2
                    && let Some(path) = self.path(&call.args[1])
                {
                    self.record(&path, false);
                    self.expr(&call.args[0]);
                    return;
                }
                if let Some(target) = &call.target {
                    self.expr(target);
                }
                for arg in &call.args {
                    self.expr(arg);
                }
            }
            Expr::List(list) => {
                for element in &list.elements {
                    self.expr(element);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let ::cel::common::ast::EntryExpr::MapEntry(e) = &entry.expr {
                        self.expr(&e.key);
                        self.expr(&e.value);
                    }
                }
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let ::cel::common::ast::EntryExpr::StructField(f) = &entry.expr {
                        self.expr(&f.value);
                    }
                }
            }
            Expr::Comprehension(c) => {
                // One variable over a map ranges over its keys; a second one sees the values.
                match self.path(&c.iter_range) {
                    Some(path) if c.iter_var2.is_none() => self.record(&path, false),
                    Some(path) => self.record(&path, true),
                    None => self.expr(&c.iter_range),
                }
                self.expr(&c.accu_init);
                let hides = [Some(&c.iter_var), c.iter_var2.as_ref(), Some(&c.accu_var)]
                    .into_iter()
                    .flatten()
                    .any(|name| name == self.variable);
                self.shadowed += usize::from(hides);
                self.expr(&c.loop_cond);
                self.expr(&c.loop_step);
                self.expr(&c.result);
                self.shadowed -= usize::from(hides);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str, variable: &str) -> Option<Reads> {
        let expr = crate::cel::Expression::compile(source, &["env", "envs", "other"]).unwrap();
        expr.reads_of(variable)
    }

    /// The reads as lines `path` (read whole) and `path/` (keys only).
    fn lines(reads: &Reads) -> Vec<String> {
        fn go(reads: &Reads, at: &str, out: &mut Vec<String>) {
            if reads.whole {
                out.push(at.to_string());
            } else if reads.fields.is_empty() && reads.any.is_none() {
                out.push(format!("{at}/"));
            }
            for (name, below) in &reads.fields {
                go(below, &format!("{at}.{name}"), out);
            }
            if let Some(any) = &reads.any {
                go(any, &format!("{at}.*"), out);
            }
        }
        let mut out = Vec::new();
        go(reads, "", &mut out);
        out
    }

    #[test]
    fn field_paths_comprehensions_and_indexes() {
        let r = reads(
            "env.services.map(s, env.services[s].replicas).sum() <= env.database.pool.max_connections",
            "env",
        )
        .unwrap();
        assert_eq!(
            lines(&r),
            [".database.pool.max_connections", ".services.*.replicas"]
        );
        let r = reads(
            "envs.production.services.all(s, !(s in envs.staging.services) || envs.production.services[s].autoscaling.max_replicas >= envs.staging.services[s].autoscaling.max_replicas)",
            "envs",
        )
        .unwrap();
        assert_eq!(
            lines(&r),
            [
                ".production.services.*.autoscaling.max_replicas",
                ".staging.services.*.autoscaling.max_replicas"
            ]
        );
        // Keys only: iterated, tested with `in` or `has`.
        let r = reads(
            "env.a.exists(k, k == 'x') && 'y' in env.b && has(env.c.d)",
            "env",
        );
        assert_eq!(lines(&r.unwrap()), [".a/", ".b/", ".c/"]);
        // A literal index is a field; any other index is any field, and is read itself.
        let r = reads("env.a['b'].c + env.x[env.k].y", "env").unwrap();
        assert_eq!(lines(&r), [".a.b.c", ".k", ".x.*.y"]);
        assert_eq!(reads("other.a == 1", "env"), None);
    }

    #[test]
    fn anything_else_reads_the_value_whole() {
        // Passed to a function, compared, sized: whole.
        let r = reads(
            "size(env.a) > 0 && env.b == {} && env.c.all(x, x > 0)",
            "env",
        );
        assert_eq!(lines(&r.unwrap()), [".a", ".b", ".c/"]);
        // An element of a list reached through a comprehension variable: the list whole.
        let r = reads("env.list.all(x, x.enabled)", "env").unwrap();
        assert_eq!(lines(&r), [".list/"]);
        // The variable itself.
        assert!(reads("size(env) == 1", "env").unwrap().whole);
        // A comprehension variable of the same name hides it.
        let r = reads("env.a.all(env, env.x > 0)", "env").unwrap();
        assert_eq!(lines(&r), [".a/"]);
    }

    fn yaml(text: &str) -> Node {
        crate::document::test_yaml(text)
    }

    #[test]
    fn pruning_keeps_keys_nulls_sequences_and_references() {
        let r = reads(
            "env.services.map(s, env.services[s].replicas).sum() > 0",
            "env",
        )
        .unwrap();
        let mut node = yaml(
            "services:\n  api:\n    replicas: 2\n    image: x\n    env: [1, 2]\n    url: ${URL}\n    gone: null\n  web:\n    replicas: 1\n    resources: {cpu: 1}\nother: {a: 1}\n",
        );
        r.prune(&mut node, true);
        let expected = yaml(
            "services:\n  api:\n    replicas: 2\n    image: false\n    env: false\n    url: ${URL}\n    gone: null\n  web:\n    replicas: 1\n    resources: false\nother: false\n",
        );
        assert_eq!(node.to_json(), expected.to_json());
        // Read whole: nothing is pruned.
        let mut whole = yaml("a: {b: 1}\n");
        reads("size(env) > 0", "env")
            .unwrap()
            .prune(&mut whole, true);
        assert_eq!(whole.to_json(), yaml("a: {b: 1}\n").to_json());
    }
}
