//! A small argument parser: `--name value` pairs and `--flag`s after a
//! subcommand. Hand-written because the grammar is tiny and every error must
//! be one plain sentence (exit code 2).

use std::collections::BTreeMap;

/// Parsed options of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
    positional: Vec<String>,
    /// An option given last without its value: reported by [`Args::only`]
    /// after unknown options, so `--bogus` is called unknown, not valueless.
    missing_value: Option<String>,
}

/// Options that take no value.
const FLAGS: &[&str] = &["json", "help", "all"];

impl Args {
    /// Parses `--key value` and `--flag` words.
    pub fn parse(words: &[String]) -> Result<Self, String> {
        let mut args = Args::default();
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            let Some(key) = word.strip_prefix("--") else {
                args.positional.push(word.clone());
                i += 1;
                continue;
            };
            let (key, inline) = match key.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (key, None),
            };
            if FLAGS.contains(&key) {
                args.flags.push(key.to_string());
                i += 1;
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    match words.get(i) {
                        // No value starts with `--` (names, addresses, ports
                        // and kinds never do): the next option is not this
                        // one's value, and taking it would report a wrong word.
                        Some(v) if !v.starts_with("--") => v.clone(),
                        _ => {
                            args.missing_value.get_or_insert_with(|| key.to_string());
                            continue;
                        }
                    }
                }
            };
            args.values.entry(key.to_string()).or_default().push(value);
            i += 1;
        }
        Ok(args)
    }

    /// The value of `--key`, if given once.
    pub fn get(&self, key: &str) -> Result<Option<&str>, String> {
        match self.values.get(key).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.as_str())),
            Some(_) => Err(format!("--{key} is given more than once")),
        }
    }

    /// The value of a required `--key`.
    pub fn require(&self, key: &str) -> Result<&str, String> {
        self.get(key)?.ok_or_else(|| format!("--{key} is required"))
    }

    /// Every value of a repeatable `--key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.values
            .get(key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Words that are not options (`netsec import FILE`).
    pub fn positional(&self) -> &[String] {
        &self.positional
    }

    /// Fails on any word that is not an option, for commands that take none.
    pub fn no_positional(&self) -> Result<(), String> {
        match self.positional.first() {
            Some(word) => Err(format!(
                "unexpected argument '{word}' (options start with --)"
            )),
            None => Ok(()),
        }
    }

    /// Whether `--flag` was given.
    pub fn flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// Fails on options the subcommand does not know, naming them.
    pub fn only(&self, known: &[&str]) -> Result<(), String> {
        for key in self
            .values
            .keys()
            .chain(self.flags.iter())
            .chain(self.missing_value.iter())
        {
            if !known.contains(&key.as_str()) && key != "help" {
                return Err(format!(
                    "unknown option --{key} (this command takes: {})",
                    known
                        .iter()
                        .map(|k| format!("--{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        match &self.missing_value {
            Some(key) => Err(format!("--{key} needs a value")),
            None => Ok(()),
        }
    }
}

/// Reads `IP:PORT`, `[v6]:PORT`, with `*` as the port for port-less protocols.
pub fn parse_endpoint(text: &str, what: &str) -> Result<(std::net::IpAddr, Option<u16>), String> {
    let (ip, port) = if let Some(rest) = text.strip_prefix('[') {
        rest.split_once("]:")
            .ok_or_else(|| format!("{what} '{text}' is not [IPv6]:PORT"))?
    } else {
        text.rsplit_once(':')
            .ok_or_else(|| format!("{what} '{text}' is not IP:PORT (e.g. 10.0.0.4:443)"))?
    };
    let ip = netsec_engine::address::parse_ip(ip)
        .map_err(|_| format!("{what}: '{ip}' is not an IP address (e.g. 10.0.0.4)"))?;
    let port = if port == "*" {
        None
    } else {
        Some(parse_port(port, what)?)
    };
    Ok((ip, port))
}

/// Reads a port number 0-65535.
pub fn parse_port(text: &str, what: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .map_err(|_| format!("{what}: '{text}' is not a port (0-65535)"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_values_flags_and_inline_values() {
        let a = Args::parse(&words("--scenario s.json --json --vm=web")).unwrap();
        assert_eq!(a.get("scenario").unwrap(), Some("s.json"));
        assert_eq!(a.get("vm").unwrap(), Some("web"));
        assert!(a.flag("json"));
    }

    #[test]
    fn reports_missing_values_and_unknown_options() {
        assert_eq!(
            Args::parse(&words("--vm"))
                .unwrap()
                .only(&["vm"])
                .unwrap_err(),
            "--vm needs a value"
        );
        // The next option is not a missing value's stand-in.
        let a = Args::parse(&words("--vm --direction Inbound")).unwrap();
        assert_eq!(a.get("direction").unwrap(), Some("Inbound"));
        assert_eq!(
            a.only(&["vm", "direction"]).unwrap_err(),
            "--vm needs a value"
        );
        // An unknown option given last is unknown, not valueless.
        assert!(
            Args::parse(&words("--vm web --bogus"))
                .unwrap()
                .only(&["vm"])
                .unwrap_err()
                .starts_with("unknown option --bogus")
        );
        let a = Args::parse(&words("--colour red")).unwrap();
        assert!(
            a.only(&["vm"])
                .unwrap_err()
                .starts_with("unknown option --colour")
        );
    }

    #[test]
    fn endpoints_take_ipv4_ipv6_and_star() {
        assert_eq!(parse_endpoint("10.0.0.4:443", "x").unwrap().1, Some(443));
        assert_eq!(parse_endpoint("[2001:db8::1]:80", "x").unwrap().1, Some(80));
        assert_eq!(parse_endpoint("10.0.0.4:*", "x").unwrap().1, None);
        assert!(
            parse_endpoint("10.0.0.4:70000", "--local")
                .unwrap_err()
                .contains("not a port")
        );
    }
}
