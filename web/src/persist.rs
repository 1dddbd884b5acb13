//! Keeping work: the share-link codec (pure, tested natively) and the browser
//! side of autosave, file download and reading the URL fragment.
//!
//! A share link carries the whole scenario in the URL fragment, which
//! browsers never send to a server: `#s=` + base64url(deflate(JSON)), raw
//! DEFLATE written and read by [`crate::deflate`].

use base64::Engine as _;
use netsec_import::scenario::doc::ScenarioDoc;

/// Key of the autosaved scenario in localStorage.
pub const AUTOSAVE_KEY: &str = "netsec-playground/autosave/v1";
/// Fragment prefix of a share link.
pub const FRAGMENT_PREFIX: &str = "s=";
/// Refuse to inflate more than this (a hostile link cannot exhaust memory).
const MAX_INFLATED: usize = 16 * 1024 * 1024;

/// The scenario text in an autosave slot's value. The value is the scenario
/// JSON itself; builds before 2026-12 stored it JSON-encoded once more (a JSON
/// string holding the JSON), which is still read, so nobody's work is lost
/// on an update.
pub fn autosaved_scenario(stored: &str) -> Option<String> {
    if !stored.trim_start().starts_with('"') {
        return Some(String::from(stored));
    }
    match netsec_import::scenario::json::parse(stored) {
        Ok(netsec_import::scenario::json::Json::String(text)) => Some(text.into_owned()),
        _ => None,
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The autosaved scenario's text, if there is one.
pub fn read_autosave() -> Option<String> {
    let stored = local_storage()?.get_item(AUTOSAVE_KEY).ok()??;
    autosaved_scenario(&stored)
}

/// Autosaves a scenario's text. A full or disabled storage is not an
/// error the user can act on mid-edit; the work stays in the page.
pub fn write_autosave(text: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(AUTOSAVE_KEY, text);
    }
}

/// Encodes a scenario for a share link fragment (without the `#`).
pub fn encode_share(doc: &ScenarioDoc) -> String {
    let json = netsec_import::to_scenario_json(doc);
    let packed = crate::deflate::compress(json.as_bytes());
    format!(
        "{FRAGMENT_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

/// Decodes a share link fragment (with or without the `#`), validating the
/// scenario the same way a file is. Errors are sentences for the user.
pub fn decode_share(fragment: &str) -> Result<ScenarioDoc, String> {
    let body = fragment.trim_start_matches('#');
    let data = body
        .strip_prefix(FRAGMENT_PREFIX)
        .ok_or("the link does not carry a scenario (expected #s=...)")?;
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(data.trim()).map_err(|_| String::from("the link is damaged: its scenario is not valid base64url; was it cut short when copied?"))?;
    let bytes = crate::deflate::inflate(&packed, MAX_INFLATED)
        .map_err(|_| String::from("the link is damaged: its scenario does not decompress"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| String::from("the link is damaged: its scenario is not text"))?;
    let loaded = netsec_import::load_scenario(&text)
        .map_err(|e| format!("the link's scenario is not valid: {e}"))?;
    Ok(loaded.doc)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn share_links_round_trip_exactly() {
        for (_, text) in crate::gallery::SCENARIOS {
            let doc = netsec_import::load_scenario(text).unwrap().doc;
            let link = encode_share(&doc);
            assert!(link.len() < 8000, "links stay short enough to paste");
            assert_eq!(decode_share(&format!("#{link}")).unwrap(), doc);
        }
    }

    #[test]
    fn autosaves_of_both_shapes_are_read() {
        let text = crate::gallery::SCENARIOS[0].1;
        assert_eq!(autosaved_scenario(text).as_deref(), Some(text));
        // What gloo's LocalStorage::set wrote before: the text as a JSON string.
        let mut old = String::new();
        netsec_import::scenario::json::push_string(&mut old, text);
        assert_eq!(autosaved_scenario(&old).as_deref(), Some(text));
        assert_eq!(autosaved_scenario("\"unclosed"), None);
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        assert!(decode_share("#x=1").unwrap_err().contains("does not carry"));
        assert!(decode_share("#s=!!!").unwrap_err().contains("base64url"));
        assert!(decode_share("#s=AAAA").unwrap_err().contains("decompress"));
        let link = encode_share(
            &netsec_import::load_scenario(crate::gallery::SCENARIOS[0].1)
                .unwrap()
                .doc,
        );
        assert!(decode_share(&link[..link.len() / 2]).is_err());
    }
}
