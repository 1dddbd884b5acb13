//! Template evaluation, function by function, with the template context
//! (parameters, variables, copy loops) each function needs.

use serde_json::json;

use super::eval::{Env, Fail, Scope, Session};
use super::*;

/// A template with a few parameters and variables to evaluate against.
fn template() -> Value {
    json!({
        "parameters": {
            "env": { "type": "string", "defaultValue": "Prod" },
            "count": { "type": "int", "defaultValue": 3 },
            "flag": { "type": "bool", "defaultValue": true },
            "tags": { "type": "object", "defaultValue": { "team": "net", "Cost": "a1" } },
            "computed": { "type": "string", "defaultValue": "[concat(parameters('env'), '-', resourceGroup().location)]" },
            "tier": { "type": "string", "allowedValues": ["Gold", "Silver"] },
            "owner": { "type": "string" },
            "size": { "type": "int" },
            "labels": { "type": "object", "nullable": true }
        },
        "variables": {
            "prefix": "[toLower(parameters('env'))]",
            "names": ["web", "app", "db"],
            "nested": { "a": { "b": [10, 20, 30] } },
            "chainA": "[variables('chainB')]",
            "chainB": "[variables('chainA')]",
            "self": "[concat('x', variables('self'))]",
            "copy": [
                { "name": "subnets", "count": 2, "input": { "name": "[concat('s', copyIndex('subnets'))]", "prefix": "[cidrSubnet('10.0.0.0/16', 24, copyIndex('subnets'))]" } }
            ]
        },
        "functions": [
            { "namespace": "net", "members": {
                "subnetName": {
                    "parameters": [{ "name": "tier", "type": "string" }, { "name": "n", "type": "int" }],
                    "output": { "type": "string", "value": "[format('{0}-{1:D2}', parameters('tier'), parameters('n'))]" }
                }
            } }
        ],
        "resources": []
    })
}

fn run(expr: &str) -> Result<Value, Fail> {
    run_env(expr, &Env::default())
}

fn run_env(expr: &str, env: &Env) -> Result<Value, Fail> {
    let t = template();
    let mut s = Session::new();
    let mut scope = Scope::new(&t, "$", HashMap::new(), "rg1".into(), "sub1".into());
    let e = expr::parse(expr).map_err(|m| Fail::Fatal(None, m))?;
    scope.eval(&mut s, &e, env)
}

fn ok(expr: &str) -> Value {
    match run(expr) {
        Ok(v) => v,
        Err(f) => panic!("{expr}: {f:?}"),
    }
}

fn fatal(expr: &str) -> String {
    match run(expr) {
        Err(Fail::Fatal(_, m)) => m,
        other => panic!("{expr}: expected an error, got {other:?}"),
    }
}

#[test]
fn parameters_variables_and_defaults() {
    assert_eq!(ok("parameters('env')"), json!("Prod"));
    // Names ignore case, as ARM's do.
    assert_eq!(ok("parameters('ENV')"), json!("Prod"));
    assert_eq!(ok("variables('Prefix')"), json!("prod"));
    assert_eq!(ok("parameters('computed')"), json!("Prod-westeurope"));
    assert_eq!(ok("parameters('tags').team"), json!("net"));
    assert_eq!(ok("variables('nested').a.b[1]"), json!(20));
    assert_eq!(ok("variables('nested')['a']['b'][2]"), json!(30));
    // A parameter with allowed values and no default takes the first.
    assert_eq!(ok("parameters('tier')"), json!("Gold"));
    // A string parameter with no value is a placeholder; an int one is an error.
    assert_eq!(ok("parameters('owner')"), json!("owner"));
    assert!(fatal("parameters('size')").contains("no default value"));
    // A nullable one (Bicep's `param labels object?`) is null, as in a deployment.
    assert_eq!(ok("parameters('labels')"), json!(null));
    assert!(fatal("parameters('nope')").contains("declares no parameter 'nope'"));
    assert!(fatal("variables('nope')").contains("declares no variable 'nope'"));
}

#[test]
fn variable_copy_and_circular_variables() {
    assert_eq!(
        ok("variables('subnets')"),
        json!([{ "name": "s0", "prefix": "10.0.0.0/24" }, { "name": "s1", "prefix": "10.0.1.0/24" }])
    );
    let m = fatal("variables('chainA')");
    assert!(
        m.contains("circular") && m.contains("chainA → chainB → chainA"),
        "{m}"
    );
    assert!(fatal("variables('self')").contains("circular"));
}

#[test]
fn string_functions() {
    assert_eq!(
        ok("concat('nsg-', parameters('env'), '-', 1)"),
        json!("nsg-Prod-1")
    );
    assert_eq!(
        ok("format('{0}-{1}-{2:D3}', 'a', 'b', 7)"),
        json!("a-b-007")
    );
    assert_eq!(ok("toLower('WeB')"), json!("web"));
    assert_eq!(ok("toUpper('WeB')"), json!("WEB"));
    assert_eq!(ok("string(42)"), json!("42"));
    assert_eq!(ok("string(true())"), json!("True"));
    assert_eq!(ok("string(createArray(1, 'a'))"), json!("[1,\"a\"]"));
    assert_eq!(ok("replace('a-b-c', '-', '_')"), json!("a_b_c"));
    assert_eq!(ok("split('10.0.0.0/16', '/')[1]"), json!("16"));
    assert_eq!(ok("join(createArray('a', 'b'), ',')"), json!("a,b"));
    assert_eq!(ok("substring('abcdef', 1, 3)"), json!("bcd"));
    assert_eq!(ok("take('abcdef', 2)"), json!("ab"));
    assert_eq!(ok("skip('abcdef', 4)"), json!("ef"));
    assert_eq!(ok("padLeft('7', 3, '0')"), json!("007"));
    assert_eq!(ok("trim('  x ')"), json!("x"));
    assert_eq!(ok("startsWith('AzureCloud', 'azure')"), json!(true));
    assert_eq!(ok("endsWith('vnet-hub', 'HUB')"), json!(true));
    assert_eq!(ok("indexOf('abcabc', 'c')"), json!(2));
    assert_eq!(ok("lastIndexOf('abcabc', 'c')"), json!(5));
    assert_eq!(
        ok("uri('https://example.org/a/b.json', 'c.sh')"),
        json!("https://example.org/a/c.sh")
    );
    assert_eq!(ok("base64ToString(base64('hub'))"), json!("hub"));
    assert_eq!(ok("net.subnetName('web', 3)"), json!("web-03"));
    let u = ok("uniqueString(resourceGroup().id)");
    assert_eq!(u.as_str().map(str::len), Some(13));
    assert_eq!(u, ok("uniqueString(resourceGroup().id)"));
    assert_eq!(ok("guid('a', 'b')").as_str().map(str::len), Some(36));
}

#[test]
fn logic_and_comparison_functions() {
    assert_eq!(
        ok("if(equals(parameters('env'), 'Prod'), 'big', 'small')"),
        json!("big")
    );
    // if() evaluates only the branch it takes.
    assert_eq!(ok("if(true(), 'a', variables('nope'))"), json!("a"));
    assert_eq!(ok("equals(1, 1)"), json!(true));
    assert_eq!(ok("equals('a', 'A')"), json!(false));
    assert_eq!(ok("not(parameters('flag'))"), json!(false));
    assert_eq!(
        ok("and(true(), parameters('flag'), not(false()))"),
        json!(true)
    );
    assert_eq!(ok("or(false(), equals(2, 3))"), json!(false));
    assert_eq!(ok("or(true(), variables('nope'))"), json!(true));
    assert_eq!(ok("coalesce(null(), json('null'), 'x')"), json!("x"));
    assert!(fatal("coalesce()").contains("at least 1 argument"));
    assert_eq!(ok("less(1, 2)"), json!(true));
    assert_eq!(ok("greaterOrEquals('b', 'a')"), json!(true));
    assert_eq!(ok("empty('')"), json!(true));
    assert_eq!(ok("contains(createArray('a', 'b'), 'b')"), json!(true));
    assert_eq!(ok("contains(parameters('tags'), 'TEAM')"), json!(true));
}

#[test]
fn array_object_and_number_functions() {
    assert_eq!(ok("createArray('a', 1, true())"), json!(["a", 1, true]));
    assert_eq!(
        ok("union(createArray(1, 2), createArray(2, 3))"),
        json!([1, 2, 3])
    );
    assert_eq!(
        ok("union(parameters('tags'), createObject('team', 'sec'))"),
        json!({ "team": "sec", "Cost": "a1" })
    );
    assert_eq!(
        ok("intersection(createArray(1, 2, 3), createArray(3, 2))"),
        json!([2, 3])
    );
    assert_eq!(ok("length(variables('names'))"), json!(3));
    assert_eq!(ok("length('abc')"), json!(3));
    assert_eq!(ok("length(parameters('tags'))"), json!(2));
    assert_eq!(ok("int('42')"), json!(42));
    assert_eq!(ok("add(parameters('count'), 1)"), json!(4));
    assert_eq!(ok("mul(3, 4)"), json!(12));
    assert_eq!(ok("div(7, 2)"), json!(3));
    assert_eq!(ok("mod(7, 2)"), json!(1));
    assert_eq!(ok("sub(1, 3)"), json!(-2));
    assert_eq!(ok("min(3, 1, 2)"), json!(1));
    assert_eq!(ok("max(createArray(3, 9, 2))"), json!(9));
    assert_eq!(ok("range(1, 3)"), json!([1, 2, 3]));
    assert_eq!(ok("first(variables('names'))"), json!("web"));
    assert_eq!(ok("last(variables('names'))"), json!("db"));
    assert_eq!(ok("take(variables('names'), 2)"), json!(["web", "app"]));
    assert_eq!(ok("array('x')"), json!(["x"]));
    assert_eq!(
        ok("flatten(createArray(createArray(1), createArray(2, 3)))"),
        json!([1, 2, 3])
    );
    assert_eq!(
        ok("objectKeys(createObject('a', 1, 'b', 2))"),
        json!(["a", "b"])
    );
    assert_eq!(ok("items(createObject('b', 2, 'a', 1))[0].key"), json!("a"));
    assert_eq!(ok("json('{\"a\": [1]}').a[0]"), json!(1));
    assert_eq!(ok("tryGet(parameters('tags'), 'missing')"), json!(null));
    assert_eq!(ok("cidrSubnet('10.1.0.0/16', 24, 5)"), json!("10.1.5.0/24"));
    assert_eq!(ok("cidrHost('10.1.5.0/24', 3)"), json!("10.1.5.4"));
    assert_eq!(
        ok("parseCidr('10.1.0.0/16').broadcast"),
        json!("10.1.255.255")
    );
    assert!(fatal("div(1, 0)").contains("zero"));
    assert!(fatal("variables('names')[7]").contains("outside the array"));
}

#[test]
fn lambdas() {
    assert_eq!(
        ok("map(variables('names'), lambda('n', concat('snet-', lambdaVariables('n'))))"),
        json!(["snet-web", "snet-app", "snet-db"])
    );
    assert_eq!(
        ok("filter(range(0, 5), lambda('i', greater(lambdaVariables('i'), 2)))"),
        json!([3, 4])
    );
    assert_eq!(
        ok(
            "reduce(range(1, 4), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))"
        ),
        json!(10)
    );
    assert_eq!(
        ok(
            "toObject(variables('names'), lambda('n', lambdaVariables('n')), lambda('n', length(lambdaVariables('n'))))"
        ),
        json!({ "web": 3, "app": 3, "db": 2 })
    );
    assert_eq!(
        ok(
            "sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))"
        ),
        json!([1, 2, 3])
    );
}

#[test]
fn deployment_scope_functions() {
    assert_eq!(
        ok("resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'web')"),
        json!(
            "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub/subnets/web"
        )
    );
    assert_eq!(
        ok("resourceId('other-rg', 'Microsoft.Network/networkSecurityGroups', 'nsg')"),
        json!(
            "/subscriptions/sub1/resourceGroups/other-rg/providers/Microsoft.Network/networkSecurityGroups/nsg"
        )
    );
    assert_eq!(
        ok("resourceId('Microsoft.Network/networkSecurityGroups/', 'nsg')"),
        json!(
            "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/nsg"
        )
    );
    assert_eq!(
        ok("subscriptionResourceId('Microsoft.Resources/resourceGroups', 'x')"),
        json!("/subscriptions/sub1/providers/Microsoft.Resources/resourceGroups/x")
    );
    assert!(
        fatal("resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub')")
            .contains("needs 2 names")
    );
    assert_eq!(ok("subscription().subscriptionId"), json!("sub1"));
    assert_eq!(ok("resourceGroup().name"), json!("rg1"));
    assert_eq!(ok("resourceGroup().location"), json!("westeurope"));
    assert_eq!(
        ok("environment().suffixes.storage"),
        json!("core.windows.net")
    );
    assert_eq!(
        ok("pickZones('Microsoft.Compute', 'virtualMachines', 'westeurope', 2)"),
        json!(["1", "2"])
    );
    // Only Azure knows these: unresolved, not wrong.
    assert!(matches!(
        run("reference('x').ipAddress"),
        Err(Fail::Unresolved(_))
    ));
    assert!(matches!(
        run("listKeys('x', '2024-01-01').keys[0].value"),
        Err(Fail::Unresolved(_))
    ));
    assert!(matches!(
        run("deployment().properties.templateLink.uri"),
        Err(Fail::Unresolved(_))
    ));
    assert!(matches!(run("utcNow()"), Err(Fail::Unresolved(_))));
    assert!(fatal("parameters('tags').nope").contains("no property 'nope'"));
}

#[test]
fn copy_index() {
    let env = Env {
        resource_loop: Some((String::from("nsgs"), 2)),
        loops: vec![(String::from("rules"), 5)],
        ..Env::default()
    };
    let v = run_env(
        "createArray(copyIndex(), copyIndex(1), copyIndex('rules'), copyIndex('nsgs', 10))",
        &env,
    );
    assert_eq!(v.ok(), Some(json!([2, 3, 5, 12])));
    assert!(matches!(run("copyIndex()"), Err(Fail::Fatal(_, m)) if m.contains("outside")));
}

#[test]
fn unknown_functions_and_bad_syntax_are_errors() {
    assert!(fatal("fooBar('x')").contains("unknown template function 'foobar'"));
    assert!(fatal("nope.fn()").contains("defines no function"));
    assert!(fatal("lambda('x', 1)").contains("may only be an argument"));
}

#[test]
fn runaway_templates_stop_with_a_message() {
    // Each variable doubles the one before: 2^60 characters if evaluated.
    let mut vars = serde_json::Map::new();
    vars.insert("v0".into(), json!("abcdefghij"));
    for i in 1..60 {
        vars.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{0}'), variables('v{0}'))]",
                i - 1
            )),
        );
    }
    let t = json!({ "variables": vars, "resources": [] });
    let mut s = Session::new();
    let mut scope = Scope::new(&t, "$", HashMap::new(), "rg".into(), "sub".into());
    let e = expr::parse("variables('v59')").unwrap();
    match scope.eval(&mut s, &e, &Env::default()) {
        Err(Fail::Fatal(_, m)) => assert!(
            m.contains("too much work") || m.contains("grows past") || m.contains("deep"),
            "{m}"
        ),
        other => panic!("expected a clear stop, got {other:?}"),
    }
    // A chain of 10 000 variables stops at the nesting limit, not the stack.
    let mut vars = serde_json::Map::new();
    vars.insert("c0".into(), json!("end"));
    for i in 1..10_000 {
        vars.insert(format!("c{i}"), json!(format!("[variables('c{}')]", i - 1)));
    }
    let t = json!({ "variables": vars, "resources": [] });
    let mut s = Session::new();
    let mut scope = Scope::new(&t, "$", HashMap::new(), "rg".into(), "sub".into());
    let e = expr::parse("variables('c9999')").unwrap();
    assert!(
        matches!(scope.eval(&mut s, &e, &Env::default()), Err(Fail::Fatal(_, m)) if m.contains("deep"))
    );
}
