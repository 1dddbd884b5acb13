//! `netsec`: Azure Network Watcher's tools and the playground's layered
//! traces, run offline against a scenario file or Azure resource JSON.
//!
//! Every subcommand takes `--scenario FILE` in any format the import crate
//! reads (auto-detected), with `--parameters FILE` for templates and
//! Terraform; `import` and `convert` take the file as an argument. Results go to stdout; one error line goes to stderr
//! with exit code 2 when the input or the command line is wrong. A verdict of
//! Deny is a result, not an error: exit code 0.

mod args;
mod commands;
mod load;
mod render;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
netsec: Azure network security checks, offline (Network Watcher's tools, layer by layer)

Usage: netsec <command> --scenario FILE [--parameters FILE] [options]

Commands:
  import FILE       read a file and print what was imported, skipped and assumed
                    [--parameters FILE]
  convert FILE --to scenario|arm|terraform
                    print the file converted: a scenario, an ARM template or
                    Terraform (azurerm) [--parameters FILE]
  test-ip-flow      IP flow verify: Allow or Deny and the deciding rule
                    (--vm NAME | --nic NAME) --direction Inbound|Outbound
                    --protocol TCP|UDP|ICMP --local IP:PORT --remote IP:PORT
  show-next-hop     next hop from a VM: --vm NAME --source-ip IP --dest-ip IP
  list-effective-nsg  effective security rules of a NIC: --nic NAME (or --vm NAME)
  diagnose          NSG diagnostics: (--vm NAME | --nic NAME) --direction D
                    --protocol *|TCP|UDP|ICMP --source ADDR --destination ADDR
                    [--destination-port PORT]   (ADDR: IP, CIDR, service tag or *)
  trace             the full layered trace of a flow, as a table or --json:
                    --flow NAME | --from ENDPOINT --to ENDPOINT --protocol P
                    [--port N] [--source-port N] [--host NAME]
                    (ENDPOINT: an IP or vm/NAME, client/NAME, service/NAME, pip/NAME, ...)
  flow-log          NSG flow log (version 2) records for the scenario's flows
                    [--flow NAME ...] [--time EPOCH_SECONDS]
  check             run the scenario's flows and compare with their expected verdicts
  validate          load the file and print what was imported

FILE may be a playground scenario, Azure resource JSON (`az ... show/list`
output, REST responses), an ARM template (or Bicep compiled with `bicep build`),
Terraform source (a .tf file, or a directory of them) or `terraform show -json`
output; the format is detected. --parameters gives an ARM parameters file or a
.tfvars file. Exit codes: 0 result printed, 1 `check` found a mismatch, 2 bad
input or bad command line.
";

fn main() -> ExitCode {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = words.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    if command == "--help" || command == "-h" || command == "help" {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if command == "--version" || command == "-V" {
        println!("netsec {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    // `convert` writes a file's text (escaped by its own format's rules);
    // everything else is for a terminal, where the input's names and flow
    // labels must not carry escape sequences or bidirectional overrides.
    let for_terminal = command != "convert";
    match commands::run(command, rest) {
        Ok(outcome) => {
            let mut out = std::io::stdout().lock();
            let text = if for_terminal {
                terminal_safe(&outcome.output)
            } else {
                outcome.output
            };
            // A closed pipe (netsec ... | head) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::from(outcome.code)
        }
        Err(message) => {
            let message = netsec_import::printable(&message.replace(['\n', '\r'], " "), 2000);
            eprintln!("netsec: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Output lines with every control character but newline and tab, and every
/// bidirectional override, shown as a `\u{..}` escape.
fn terminal_safe(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split('\t')
                .map(|part| netsec_import::printable(part, usize::MAX))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
