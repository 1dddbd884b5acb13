//! Azure regions, their pairs and their availability zones.
//!
//! Pairs and zone support follow Microsoft's cross-region replication and
//! availability-zone pages (azure-semantics §8: pairs as of 2022-12, zones as of
//! 2024-11). A region not in the table is accepted with no pair and no zones.

/// One row of the built-in region table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    /// Programmatic name (`westeurope`).
    pub name: &'static str,
    /// Display name (`West Europe`).
    pub display_name: &'static str,
    /// The paired region's programmatic name, if it has one.
    pub pair: Option<&'static str>,
    /// Whether the region offers availability zones (three of them).
    pub has_zones: bool,
}

macro_rules! regions {
    ($(($name:literal, $display:literal, $pair:expr, $zones:literal)),* $(,)?) => {
        /// Every region the engine knows by name.
        pub const REGIONS: &[RegionInfo] = &[$(RegionInfo { name: $name, display_name: $display, pair: $pair, has_zones: $zones }),*];
    };
}

regions! {
    ("eastasia", "East Asia", Some("southeastasia"), true),
    ("southeastasia", "Southeast Asia", Some("eastasia"), true),
    ("australiaeast", "Australia East", Some("australiasoutheast"), true),
    ("australiasoutheast", "Australia Southeast", Some("australiaeast"), false),
    ("australiacentral", "Australia Central", Some("australiacentral2"), false),
    ("australiacentral2", "Australia Central 2", Some("australiacentral"), false),
    ("brazilsouth", "Brazil South", Some("southcentralus"), true),
    ("brazilsoutheast", "Brazil Southeast", Some("brazilsouth"), false),
    ("canadacentral", "Canada Central", Some("canadaeast"), true),
    ("canadaeast", "Canada East", Some("canadacentral"), false),
    ("northeurope", "North Europe", Some("westeurope"), true),
    ("westeurope", "West Europe", Some("northeurope"), true),
    ("francecentral", "France Central", Some("francesouth"), true),
    ("francesouth", "France South", Some("francecentral"), false),
    ("germanywestcentral", "Germany West Central", Some("germanynorth"), true),
    ("germanynorth", "Germany North", Some("germanywestcentral"), false),
    ("centralindia", "Central India", Some("southindia"), true),
    ("southindia", "South India", Some("centralindia"), false),
    ("westindia", "West India", Some("southindia"), false),
    ("japaneast", "Japan East", Some("japanwest"), true),
    ("japanwest", "Japan West", Some("japaneast"), true),
    ("koreacentral", "Korea Central", Some("koreasouth"), true),
    ("koreasouth", "Korea South", Some("koreacentral"), false),
    ("eastus", "East US", Some("westus"), true),
    ("westus", "West US", Some("eastus"), false),
    ("eastus2", "East US 2", Some("centralus"), true),
    ("centralus", "Central US", Some("eastus2"), true),
    ("northcentralus", "North Central US", Some("southcentralus"), false),
    ("southcentralus", "South Central US", Some("northcentralus"), true),
    ("westus2", "West US 2", Some("westcentralus"), true),
    ("westcentralus", "West Central US", Some("westus2"), false),
    ("westus3", "West US 3", Some("eastus"), true),
    ("norwayeast", "Norway East", Some("norwaywest"), true),
    ("norwaywest", "Norway West", Some("norwayeast"), false),
    ("southafricanorth", "South Africa North", Some("southafricawest"), true),
    ("southafricawest", "South Africa West", Some("southafricanorth"), false),
    ("swedencentral", "Sweden Central", Some("swedensouth"), true),
    ("swedensouth", "Sweden South", Some("swedencentral"), false),
    ("switzerlandnorth", "Switzerland North", Some("switzerlandwest"), true),
    ("switzerlandwest", "Switzerland West", Some("switzerlandnorth"), false),
    ("ukwest", "UK West", Some("uksouth"), false),
    ("uksouth", "UK South", Some("ukwest"), true),
    ("uaenorth", "UAE North", Some("uaecentral"), true),
    ("uaecentral", "UAE Central", Some("uaenorth"), false),
    ("qatarcentral", "Qatar Central", None, true),
    ("polandcentral", "Poland Central", None, true),
    ("israelcentral", "Israel Central", None, true),
    ("italynorth", "Italy North", None, true),
    ("spaincentral", "Spain Central", None, true),
    ("mexicocentral", "Mexico Central", None, true),
    ("newzealandnorth", "New Zealand North", None, true),
    // Sovereign clouds (Azure China, Azure Government); pairs from the same
    // table. US Gov Texas pairs with both Arizona and Virginia; its own
    // secondary is taken to be Virginia.
    ("chinanorth", "China North", Some("chinaeast"), false),
    ("chinaeast", "China East", Some("chinanorth"), false),
    ("chinanorth2", "China North 2", Some("chinaeast2"), false),
    ("chinaeast2", "China East 2", Some("chinanorth2"), false),
    ("chinanorth3", "China North 3", Some("chinaeast3"), true),
    ("chinaeast3", "China East 3", Some("chinanorth3"), false),
    ("usdodeast", "US DoD East", Some("usdodcentral"), false),
    ("usdodcentral", "US DoD Central", Some("usdodeast"), false),
    ("usgovarizona", "US Gov Arizona", Some("usgovtexas"), false),
    ("usgovvirginia", "US Gov Virginia", Some("usgovtexas"), true),
    ("usgovtexas", "US Gov Texas", Some("usgovvirginia"), false),
}

/// Looks a region up by programmatic or display name, ignoring case and spaces
/// (`West Europe`, `westeurope`, `WESTEUROPE`).
pub fn lookup(name: &str) -> Option<&'static RegionInfo> {
    let wanted = name.chars().filter(|c| !c.is_whitespace());
    let wanted: alloc::string::String = wanted.map(|c| c.to_ascii_lowercase()).collect();
    REGIONS.iter().find(|r| r.name == wanted)
}

/// The programmatic form of a region name (`West Europe` → `westeurope`).
pub fn normalize(name: &str) -> alloc::string::String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_reference_including_asymmetries() {
        assert_eq!(lookup("West Europe").unwrap().pair, Some("northeurope"));
        assert_eq!(lookup("westindia").unwrap().pair, Some("southindia"));
        assert_eq!(lookup("southindia").unwrap().pair, Some("centralindia"));
        assert_eq!(lookup("brazilsouth").unwrap().pair, Some("southcentralus"));
        assert_eq!(lookup("italynorth").unwrap().pair, None);
        assert!(lookup("atlantis").is_none());
    }
}
