use super::*;

fn eval(source: &str, self_yaml: &str) -> Result<Value, EvalError> {
    let expr = Expression::compile(source, &["self"]).unwrap();
    let node = crate::document::test_yaml(self_yaml);
    let input = Input::from_node(&node);
    expr.evaluate(&[("self", &input)])
}

fn holds(source: &str, self_yaml: &str) -> bool {
    match eval(source, self_yaml) {
        Ok(Value::Bool(b)) => b,
        other => panic!("{source}: {other:?}"),
    }
}

#[test]
fn rules_see_self() {
    assert!(holds(
        "self.minReplicas <= self.replicas",
        "minReplicas: 2\nreplicas: 3\n"
    ));
    assert!(!holds(
        "self.minReplicas <= self.replicas",
        "minReplicas: 4\nreplicas: 3\n"
    ));
    assert!(holds("self.all(k, k.startsWith('a'))", "ab: 1\nac: 2\n"));
    assert!(holds("size(self) == 2 && self[1] == 'b'", "[a, b]\n"));
}

#[test]
fn a_missing_field_is_its_own_error() {
    assert_eq!(
        eval("self.replicas > 1", "other: 1\n"),
        Err(EvalError::NoSuchKey("replicas".into()))
    );
    assert!(holds("!has(self.replicas)", "other: 1\n"));
}

#[test]
fn quantities_compare_by_value() {
    let cpu = "requests: {cpu: 250m}\nlimits: {cpu: 100m}\n";
    let rule = "quantity(self.requests.cpu).compareTo(quantity(self.limits.cpu)) <= 0";
    assert!(!holds(rule, cpu));
    assert!(holds(rule, "requests: {cpu: 250m}\nlimits: {cpu: '1'}\n"));
    assert!(holds("quantity('1Gi').isGreaterThan(quantity('1G'))", "{}"));
    assert!(holds("quantity('1000m') == quantity('1')", "{}"));
    assert!(holds(
        "quantity('1500m').add(quantity('500m')).asInteger() == 2",
        "{}"
    ));
    assert!(holds("quantity('1').sub(2).sign() == -1", "{}"));
    assert!(holds("quantity('1.5').asApproximateFloat() == 1.5", "{}"));
    assert!(holds("isQuantity('250m') && !isQuantity('250x')", "{}"));
    assert!(holds("!quantity('1500m').isInteger()", "{}"));
    assert!(
        matches!(eval("quantity('12x') == quantity('1')", "{}"), Err(EvalError::Other(m)) if m.contains("12x"))
    );
}

#[test]
fn strings_lists_and_regex_extensions() {
    assert!(holds("'a-b'.split('-') == ['a', 'b']", "{}"));
    assert!(holds("'Hello'.lowerAscii() == 'hello'", "{}"));
    assert!(holds("['b', 'a'].sort() == ['a', 'b']", "{}"));
    assert!(holds(
        "[1, 2, 3].sum() == 6 && [1, 2, 3].max() == 3 && [4, 2].min() == 2",
        "{}"
    ));
    assert!(holds("max(1, 5) == 5 && min([3, 1]) == 1", "{}"));
    assert!(holds("[1, 2, 2].isSorted() && ![2, 1].isSorted()", "{}"));
    assert!(holds("'abc 123 def 456'.find('[0-9]+') == '123'", "{}"));
    assert!(holds(
        "'abc 123 def 456'.findAll('[0-9]+') == ['123', '456']",
        "{}"
    ));
    assert!(holds("'a1b2c3'.findAll('[0-9]', 2) == ['1', '2']", "{}"));
    assert!(holds("'v1.2.3'.matches('^v[0-9]+')", "{}"));
}

#[test]
fn compile_errors_have_positions() {
    let err = Expression::compile("self.a +", &["self"]).unwrap_err();
    assert_eq!((err.line, err.column), (1, 9), "{err:?}");
    let err = Expression::compile("self.a < other.b", &["self"]).unwrap_err();
    assert_eq!((err.line, err.column), (1, 10), "{err:?}");
    assert!(err.message.contains("`other`"), "{}", err.message);
    // Comprehension variables are in scope.
    Expression::compile("self.all(x, x > 0)", &["self"]).unwrap();
    let err = Expression::compile("lists.range(10).size() > 0", &["self"]).unwrap_err();
    assert!(err.message.contains("lists.range"), "{}", err.message);
}

#[test]
fn paths_are_the_fields_read_from_variables() {
    let expr = Expression::compile(
        "env.services.gateway.replicas <= env['database'].pool.max && self.all(s, s.x > 0)",
        &["env", "self"],
    )
    .unwrap();
    let paths: Vec<String> = expr.paths().iter().map(|p| p.join(".")).collect();
    assert_eq!(
        paths,
        ["env.services.gateway.replicas", "env.database.pool.max"]
    );
    assert!(expr.uses("env") && expr.uses("self") && !expr.uses("oldSelf"));
    let fields: Vec<&str> = expr.fields_of("env").unwrap().into_iter().collect();
    assert_eq!(fields, ["database", "services"]);
    // `self` is also used whole (`self.all(…)`).
    assert!(expr.fields_of("self").is_none());
}

#[test]
fn the_cost_limit_refuses_nested_comprehensions_over_big_inputs() {
    let expr = Expression::compile(
        "self.all(a, self.all(b, self.all(c, a + b + c > 0)))",
        &["self"],
    )
    .unwrap();
    let small = crate::document::test_yaml("[1, 2, 3]");
    let small = Input::from_node(&small);
    assert_eq!(expr.check(&[("self", &small)]), Ok(true));
    let items: Vec<String> = (0..500).map(|i| i.to_string()).collect();
    let big = crate::document::test_yaml(&format!("[{}]", items.join(", ")));
    let big = Input::from_node(&big);
    assert!(matches!(expr.check(&[("self", &big)]), Err(EvalError::Cost(c)) if c > COST_LIMIT));
}

#[test]
fn a_rule_must_give_a_bool() {
    let expr = Expression::compile("self.a", &["self"]).unwrap();
    let node = crate::document::test_yaml("a: 1");
    let input = Input::from_node(&node);
    assert!(
        matches!(expr.check(&[("self", &input)]), Err(EvalError::Other(m)) if m.contains("bool"))
    );
}
