//! Nothing panics on any input: mutated fixtures and scenarios, at the byte
//! level and at the JSON value level.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use proptest::prelude::*;
use serde_json::Value;

const INPUTS: &[&str] = &[
    include_str!("fixtures/rest-list.json"),
    include_str!("fixtures/az-cli.json"),
    include_str!("fixtures/az-nic-create.json"),
    include_str!("fixtures/concatenated.json"),
    include_str!("fixtures/firewall-policy.json"),
    include_str!("fixtures/scenario.json"),
    include_str!("fixtures/arm/hub-spoke.json"),
    include_str!("fixtures/arm/defaults-written-out.json"),
    include_str!("fixtures/arm/unresolved.json"),
    include_str!("fixtures/bicep/edge.json"),
    include_str!("fixtures/terraform/edge.plan.json"),
    include_str!("fixtures/terraform/edge.state.json"),
    include_str!("fixtures/every-kind.json"),
    include_str!("fixtures/arm/every-kind.json"),
];

/// Terraform source, mutated as text.
const TF_INPUTS: &[&str] = &[
    include_str!("fixtures/terraform/contoso.tf"),
    include_str!("fixtures/terraform/edge.tf"),
    include_str!("fixtures/terraform/every-kind.tf"),
];

/// Template expressions that break naive evaluators.
const ARM_EXPRESSIONS: &[&str] = &[
    "[concat(",
    "[variables('nope')]",
    "[parameters('nope')]",
    "[copyIndex()]",
    "[copyIndex('nope')]",
    "[range(0, 100000)]",
    "[if(true(), 1)]",
    "[json('{')]",
    "[substring('a', 5, 1)]",
    "[div(1, 0)]",
    "[reference('x').y]",
    "[cidrSubnet('10.0.0.0/8', 40, 1)]",
    "[cidrHost('10.0.0.0/30', 9)]",
    "[padLeft('x', 99999999)]",
    "[createArray(1, 2)[5]]",
    "[union(createObject('a', 1), createArray(1))]",
    "[format('{9}', 1)]",
    "[map(createArray(1), lambda('x', lambdaVariables('y')))]",
    "[int('nine')]",
    "[resourceId('x')]",
    "[[not an expression]",
    "[]",
    "[ns.fn()]",
    "[string(range(0, 10000))]",
];

/// Terraform expressions that break naive evaluators.
const TF_EXPRESSIONS: &[&str] = &[
    "\"${",
    "var.nope",
    "local.nope",
    "count.index",
    "each.key",
    "[for x in 1 : x]",
    "{for k, v in [1, 1] : \"a\" => v}",
    "cidrsubnet(\"10.0.0.0/8\", 40, 1)",
    "range(1e9)",
    "element([], 0)",
    "azurerm_subnet.nope.id",
    "azurerm_virtual_network.spoke.id",
    "x[*].y",
    "1 / 0",
    "\"a\" + 1",
    "try(nope(), 1)",
    "lookup({}, \"k\")",
    "format(\"%d\", \"x\")",
    "jsondecode(\"{\")",
    "null",
];

/// Replacement leaves: the values that break naive readers.
fn odd_value(k: u8) -> Value {
    match k % 12 {
        0 => Value::Null,
        1 => Value::from(-1),
        2 => Value::from(70_000),
        3 => Value::from(i64::MAX),
        4 => Value::from(1.5),
        5 => Value::from(""),
        6 => Value::from("*"),
        7 => Value::from("10.0.0.7/24"),
        8 => Value::from("Internet"),
        9 => serde_json::json!([]),
        10 => serde_json::json!({}),
        _ => Value::from(true),
    }
}

/// Replaces the `n`-th value (in a depth-first walk) with `odd`.
fn mutate(v: &mut Value, n: &mut usize, odd: &Value) -> bool {
    if *n == 0 {
        *v = odd.clone();
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| mutate(x, n, odd)),
        Value::Object(o) => o.values_mut().any(|x| mutate(x, n, odd)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_values_never_panic(which in 0..INPUTS.len(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let text = INPUTS[which];
        let mut docs: Vec<Value> = serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .map(|d| d.unwrap())
            .collect();
        for (at, kind) in edits {
            let total: usize = docs.iter().map(count).sum();
            let mut n = at % total.max(1);
            let odd = odd_value(kind);
            for d in &mut docs {
                if mutate(d, &mut n, &odd) {
                    break;
                }
            }
        }
        let text: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
        if let Err(e) = netsec_import::load(&text.join("\n")) {
            prop_assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn mutated_bytes_never_panic(which in 0..INPUTS.len(), at in any::<usize>(), cut in any::<bool>(), b in prop::sample::select(vec!['{', '}', '[', ']', ',', ':', '"', '0', '9', '-', '.', 'a', ' ', '\\'])) {
        let text = INPUTS[which];
        let mut chars: Vec<char> = text.chars().collect();
        let i = at % chars.len();
        if cut {
            chars.truncate(i);
        } else {
            chars[i] = b;
        }
        let text: String = chars.into_iter().collect();
        let _ = netsec_import::load(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn template_expressions_never_panic(which in 0..4usize, at in any::<usize>(), e in 0..ARM_EXPRESSIONS.len()) {
        // The template fixtures are INPUTS[6..10].
        let text = INPUTS[6 + which];
        let mut doc: Value = serde_json::from_str(text).unwrap();
        let total = count(&doc);
        let mut n = at % total.max(1);
        mutate(&mut doc, &mut n, &Value::from(ARM_EXPRESSIONS[e]));
        if let Err(e) = netsec_import::load(&doc.to_string()) {
            prop_assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn terraform_text_never_panics(which in 0..TF_INPUTS.len(), at in any::<usize>(), len in 0usize..12, e in 0..TF_EXPRESSIONS.len(), cut in any::<bool>()) {
        let text = TF_INPUTS[which];
        let mut start = at % text.len();
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mutated = if cut {
            text[..start].to_string()
        } else {
            format!("{}{}{}", &text[..start], TF_EXPRESSIONS[e], &text[end..])
        };
        if let Err(e) = netsec_import::load(&mutated) {
            prop_assert!(!e.to_string().contains('\n'));
        }
    }
}

/// A configuration with local modules: the root passes inputs to a module,
/// which calls another and gives outputs back.
const MODULE_FILES: &[(&str, &str)] = &[
    (
        "main.tf",
        "module \"net\" {\n  source = \"./modules/net\"\n  space  = [\"10.7.0.0/16\"]\n}\nresource \"azurerm_network_interface\" \"n\" {\n  name = \"n\"\n  location = \"uksouth\"\n  resource_group_name = \"rg\"\n  ip_configuration {\n    name = \"c\"\n    subnet_id = module.net.subnet\n    private_ip_address_allocation = \"Dynamic\"\n  }\n}\n",
    ),
    (
        "modules/net/main.tf",
        "variable \"space\" {}\nresource \"azurerm_virtual_network\" \"v\" {\n  name = \"v\"\n  location = \"uksouth\"\n  resource_group_name = \"rg\"\n  address_space = var.space\n}\nresource \"azurerm_subnet\" \"s\" {\n  name = \"s\"\n  resource_group_name = \"rg\"\n  virtual_network_name = azurerm_virtual_network.v.name\n  address_prefixes = [cidrsubnet(var.space[0], 8, 1)]\n}\nmodule \"nsg\" {\n  source = \"../nsg\"\n  subnet = azurerm_subnet.s.id\n}\noutput \"subnet\" { value = azurerm_subnet.s.id }\n",
    ),
    (
        "modules/nsg/main.tf",
        "variable \"subnet\" {}\nresource \"azurerm_network_security_group\" \"g\" {\n  name = \"g\"\n  location = \"uksouth\"\n  resource_group_name = \"rg\"\n}\nresource \"azurerm_subnet_network_security_group_association\" \"a\" {\n  subnet_id = var.subnet\n  network_security_group_id = azurerm_network_security_group.g.id\n}\n",
    ),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn module_directories_never_panic(file in 0..MODULE_FILES.len(), at in any::<usize>(), len in 0usize..12, e in 0..TF_EXPRESSIONS.len(), cut in any::<bool>()) {
        let mut files: Vec<netsec_import::TerraformFile> = MODULE_FILES
            .iter()
            .map(|(p, t)| netsec_import::TerraformFile { path: (*p).into(), text: (*t).into() })
            .collect();
        let text = files[file].text.clone();
        let start = at % text.len();
        let end = (start + len).min(text.len());
        files[file].text = if cut {
            text[..start].to_string()
        } else {
            format!("{}{}{}", &text[..start], TF_EXPRESSIONS[e], &text[end..])
        };
        match netsec_import::load_terraform_files(&files, None) {
            Ok(l) => prop_assert!(l.doc.vnets.len() <= 1),
            Err(e) => {
                prop_assert!(!e.to_string().contains('\n'));
                // The error names one of the files.
                prop_assert!(
                    MODULE_FILES.iter().any(|(p, _)| e.location().starts_with(p)) || e.location() == "$",
                    "{}", e
                );
            }
        }
    }
}

#[test]
fn the_module_fixture_imports_whole() {
    let files: Vec<netsec_import::TerraformFile> = MODULE_FILES
        .iter()
        .map(|(p, t)| netsec_import::TerraformFile {
            path: (*p).into(),
            text: (*t).into(),
        })
        .collect();
    let l = netsec_import::load_terraform_files(&files, None).unwrap();
    assert_eq!(l.doc.vnets[0].subnets[0].nsg.as_deref(), Some("g"));
    assert_eq!(l.doc.nics[0].ip_configurations[0].subnet, "s");
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// A damaged scenario file is read as a scenario and its fault named, not
/// taken for Azure resource JSON that holds nothing.
#[test]
fn a_damaged_scenario_is_not_taken_for_empty_azure_json() {
    let duplicated = r#"{"format": "netsec-scenario", "format": "netsec-scenario", "version": 1}"#;
    let e = netsec_import::load(duplicated).unwrap_err();
    assert_eq!(e.location(), "$.format");
    assert!(e.message().contains("duplicate"), "{e}");

    let without_format = r#"{"title": "t", "vnets": [], "nsgs": []}"#;
    let e = netsec_import::load(without_format).unwrap_err();
    assert!(e.message().contains("format is missing"), "{e}");
}
