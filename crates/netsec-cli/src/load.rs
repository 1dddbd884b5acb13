//! Reading `--scenario FILE`: size check, UTF-8, and the import crate's
//! format detection. Errors name the file and the place in it.

use netsec_engine::watcher::Target;
use netsec_engine::{NicId, VmId};
use netsec_import::Loaded;

/// The largest file read (the import crate refuses more anyway).
const MAX_BYTES: u64 = 128 * 1024 * 1024;

/// Loads a scenario in any supported format.
pub fn scenario(path: &str) -> Result<Loaded, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("{path}: cannot read the file: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("{path}: is a directory, not a scenario file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{path}: the file is {} MB; the limit is {} MB",
            meta.len() / 1_048_576,
            MAX_BYTES / 1_048_576
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{path}: cannot read the file: {}", io_reason(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{path}: byte {}: the file is not UTF-8 text",
            e.utf8_error().valid_up_to()
        )
    })?;
    netsec_import::load(&text).map_err(|e| format!("{path}: {e}"))
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
