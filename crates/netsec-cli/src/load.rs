//! Reading `--scenario FILE`: size check, UTF-8, and the import crate's
//! format detection. Errors name the file and the place in it.

use netsec_engine::watcher::Target;
use netsec_engine::{NicId, VmId};
use std::mem::ManuallyDrop;

use netsec_import::Loaded;

/// The largest file read (the import crate refuses more anyway).
const MAX_BYTES: u64 = 128 * 1024 * 1024;

/// Loads a scenario in any supported format, with optional parameter
/// values (an ARM parameters file, or a `.tfvars` file for Terraform).
///
/// A directory is read as a Terraform configuration: its `*.tf` files, in
/// name order, as one text (errors name the file and its line).
///
/// The network is never freed: every command prints its result and the
/// process exits, which returns the memory at once, while freeing a network
/// of 100,000 rules piece by piece takes tens of milliseconds.
pub fn scenario(path: &str, parameters: Option<&str>) -> Result<ManuallyDrop<Loaded>, String> {
    scenario_owned(path, parameters).map(ManuallyDrop::new)
}

fn scenario_owned(path: &str, parameters: Option<&str>) -> Result<Loaded, String> {
    let params = match parameters {
        Some(p) => Some(read_text(p)?),
        None => None,
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("{path}: cannot read the file: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return terraform_dir(path, params.as_deref());
    }
    let text = read_text(path)?;
    netsec_import::load_with_parameters(&text, params.as_deref()).map_err(|e| match parameters {
        Some(p)
            if e.location().starts_with("parameters file, ")
                || e.location().starts_with("variables file, ") =>
        {
            format!(
                "{p}: {}",
                e.to_string().replacen("parameters file, ", "", 1).replacen(
                    "variables file, ",
                    "",
                    1
                )
            )
        }
        _ => format!("{path}: {e}"),
    })
}

/// Reads a file as UTF-8 text, within the size limit.
pub fn read_text(path: &str) -> Result<String, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("{path}: cannot read the file: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("{path}: is a directory, not a file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{path}: the file is {} MB; the limit is {} MB",
            meta.len() / 1_048_576,
            MAX_BYTES / 1_048_576
        ));
    }
    // Pipes and devices (`/dev/stdin`) report no length: read at most one
    // byte past the limit, so that they are held to it too.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_BYTES + 1), &mut bytes)
        })
        .map_err(|e| format!("{path}: cannot read the file: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{path}: the input is more than {} MB; the limit is {} MB",
            MAX_BYTES / 1_048_576,
            MAX_BYTES / 1_048_576
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{path}: byte {}: the file is not UTF-8 text",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A directory of `.tf` files, read as one configuration: the files at the
/// top are the root module; those below (not in hidden directories such as
/// `.terraform`) are there for the local modules it calls. Errors name the
/// file: `DIR/modules/vnet/main.tf: line 3, column 5: ...`.
fn terraform_dir(dir: &str, tfvars: Option<&str>) -> Result<Loaded, String> {
    let root = std::path::Path::new(dir);
    let mut files = Vec::new();
    let mut total: u64 = 0;
    let mut visited = std::collections::HashSet::new();
    if let Ok(c) = std::fs::canonicalize(root) {
        visited.insert(c);
    }
    collect_tf(root, root, 0, &mut files, &mut total, &mut visited)
        .map_err(|e| format!("{dir}: {e}"))?;
    if !files
        .iter()
        .any(|f: &netsec_import::TerraformFile| !f.path.contains('/'))
    {
        return Err(format!("{dir}: the directory has no .tf files"));
    }
    netsec_import::load_terraform_files(&files, tfvars).map_err(|e| {
        let loc = e.location();
        let in_file = loc
            .split_once(": line ")
            .is_some_and(|(path, _)| files.iter().any(|f| f.path == path));
        if in_file {
            format!("{}/{loc}: {}", dir.trim_end_matches('/'), e.message())
        } else {
            format!("{dir}: {e}")
        }
    })
}

/// How deep below the configuration module directories are looked for.
const MAX_DIR_DEPTH: usize = 8;

/// The `.tf` files under `at`, with paths relative to `root`.
fn collect_tf(
    root: &std::path::Path,
    at: &std::path::Path,
    depth: usize,
    out: &mut Vec<netsec_import::TerraformFile>,
    total: &mut u64,
    visited: &mut std::collections::HashSet<std::path::PathBuf>,
) -> Result<(), String> {
    let shown = at.display().to_string();
    let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(at)
        .map_err(|e| format!("cannot read the directory {shown}: {}", io_reason(&e)))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if p.is_dir() {
            // A directory reached twice (a symbolic link to `.` or to a
            // parent) is read once: links would otherwise multiply the walk.
            let first_visit = std::fs::canonicalize(&p).is_ok_and(|c| visited.insert(c));
            if first_visit && depth < MAX_DIR_DEPTH && !name.starts_with('.') {
                collect_tf(root, &p, depth + 1, out, total, visited)?;
            }
            continue;
        }
        if p.extension().is_none_or(|x| x != "tf") {
            continue;
        }
        let full = p.display().to_string();
        let text = read_text(&full)?;
        *total += text.len() as u64;
        if *total > MAX_BYTES {
            return Err(format!(
                "the .tf files add up to more than {} MB",
                MAX_BYTES / 1_048_576
            ));
        }
        let rel = p.strip_prefix(root).map_or_else(
            |_| name.clone(),
            |r| {
                r.components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            },
        );
        out.push(netsec_import::TerraformFile { path: rel, text });
    }
    Ok(())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => String::from("no such file"),
        std::io::ErrorKind::PermissionDenied => String::from("permission denied"),
        _ => e.to_string(),
    }
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = it.collect();
    if all.is_empty() {
        return String::from("none");
    }
    let mut shown = all.iter().take(10).copied().collect::<Vec<_>>().join(", ");
    if all.len() > 10 {
        shown.push_str(&format!(", ... ({} in all)", all.len()));
    }
    shown
}

/// Finds a VM by name, listing the VMs when it is not there.
pub fn vm(loaded: &Loaded, name: &str) -> Result<VmId, String> {
    loaded.network.find_vm(name).ok_or_else(|| {
        format!(
            "no virtual machine named '{name}' (VMs: {})",
            names(loaded.network.vms().map(|(_, v)| v.name.as_str()))
        )
    })
}

/// Finds a NIC by name, listing the NICs when it is not there.
pub fn nic(loaded: &Loaded, name: &str) -> Result<NicId, String> {
    loaded.network.find_nic(name).ok_or_else(|| {
        format!(
            "no network interface named '{name}' (NICs: {})",
            names(loaded.network.nics().map(|(_, n)| n.name.as_str()))
        )
    })
}

/// `--vm NAME` or `--nic NAME`, exactly one.
pub fn target(
    loaded: &Loaded,
    vm_name: Option<&str>,
    nic_name: Option<&str>,
) -> Result<Target, String> {
    match (vm_name, nic_name) {
        (Some(v), None) => Ok(Target::Vm(vm(loaded, v)?)),
        (None, Some(n)) => Ok(Target::Nic(nic(loaded, n)?)),
        // As in `az network watcher`: --vm with --nic picks one NIC of a multi-NIC VM.
        (Some(v), Some(n)) => {
            let (vm, nic) = (vm(loaded, v)?, nic(loaded, n)?);
            if loaded.network.vm(vm).is_some_and(|x| x.nics.contains(&nic)) {
                Ok(Target::Nic(nic))
            } else {
                Err(format!(
                    "network interface '{n}' is not attached to virtual machine '{v}'"
                ))
            }
        }
        (None, None) => Err(String::from("--vm NAME or --nic NAME is required")),
    }
}

/// The NIC a target means for NIC-level tools: the NIC, or the VM's primary NIC.
pub fn target_nic(loaded: &Loaded, target: Target) -> Result<NicId, String> {
    match target {
        Target::Nic(n) => Ok(n),
        Target::Vm(v) => loaded
            .network
            .vm(v)
            .and_then(|vm| vm.nics.first().copied())
            .ok_or_else(|| String::from("the VM has no network interface")),
    }
}
