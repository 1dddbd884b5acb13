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

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}
