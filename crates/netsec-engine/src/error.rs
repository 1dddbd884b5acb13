//! Validation errors, mirroring the errors Azure's resource provider returns.
//!
//! One type, [`ModelError`]: it names the resource (in Azure's path form,
//! `networkSecurityGroups/web/securityRules/allow-ssh`) and the field, and
//! carries Azure's error code where Azure has one.

use alloc::string::String;
use core::fmt;

/// A resource or field the network cannot hold, found while building it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    resource: String,
    field: &'static str,
    kind: ErrorKind,
}

/// What is wrong with a private address (Azure's error code differs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressProblem {
    /// Outside the subnet (`PrivateIPAddressNotInSubnet`).
    NotInSubnet,
    /// One of the subnet's five reserved addresses (`PrivateIPAddressInReservedRange`).
    Reserved,
    /// Held by another resource (`PrivateIPAddressInUse`).
    InUse,
}

/// The rule that was broken. Variants carry what the message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A name is empty, too long, or uses characters Azure rejects.
    InvalidName {
        /// Why.
        reason: &'static str,
    },
    /// Two resources of one kind share a name in the same scope.
    DuplicateName,
    /// A value does not parse (prefix, port, protocol, address).
    Malformed {
        /// The parser's explanation.
        message: String,
    },
    /// Priority outside 100..=4096 (NSG) or the documented range of the resource.
    PriorityOutOfRange {
        /// The priority given.
        priority: u32,
        /// Lowest allowed.
        min: u32,
        /// Highest allowed.
        max: u32,
    },
    /// Two rules share priority and direction (`SecurityRuleConflict`).
    SecurityRuleConflict {
        /// The rule already holding the priority.
        other: String,
        /// The shared priority.
        priority: u16,
    },
    /// `*` or a tag inside a prefix list (`SecurityRuleParameterContainsUnsupportedValue`).
    UnsupportedValueInList {
        /// The offending item.
        value: String,
    },
    /// More than one of prefix, prefixes, ASGs set on one side, or none.
    ExactlyOneAddressField,
    /// IPv4 and IPv6 mixed in one rule.
    MixedAddressFamilies,
    /// ASGs of one rule belong to NICs of different VNets.
    AsgsFromDifferentVnets {
        /// One ASG.
        first: String,
        /// An ASG whose members are in another VNet.
        second: String,
    },
    /// A documented limit is exceeded (azure-semantics §1.9).
    LimitExceeded {
        /// What is counted.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// How many were given.
        count: usize,
    },
    /// A reference to a resource that does not exist.
    UnknownReference {
        /// Kind of the missing resource.
        kind: &'static str,
        /// Name or id given.
        name: String,
    },
    /// A subnet prefix outside its VNet's address space.
    PrefixOutsideVnet {
        /// The prefix.
        prefix: String,
    },
    /// Two subnets of a VNet overlap, or two address spaces do.
    Overlap {
        /// The other prefix or resource.
        other: String,
    },
    /// A prefix has bits set after its mask (`10.0.0.7/24`).
    HostBitsSet {
        /// The prefix as written.
        prefix: String,
    },
    /// A private address outside its subnet, reserved by Azure, or used twice.
    BadPrivateAddress {
        /// Why.
        reason: String,
        /// Which of the three, as Azure's error codes name them.
        problem: AddressProblem,
    },
    /// A value that is well-formed but not allowed here.
    NotAllowed {
        /// Why.
        reason: String,
    },
}

impl ModelError {
    /// An error about `field` of `resource` (Azure's path form). Public so that
    /// readers of other formats report their own checks the same way.
    pub fn new(resource: impl Into<String>, field: &'static str, kind: ErrorKind) -> Self {
        Self {
            resource: resource.into(),
            field,
            kind,
        }
    }

    /// The resource at fault, in Azure's path form.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The field at fault, as Azure's API names it (`priority`, `sourceAddressPrefix`).
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The broken rule.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Azure's error code for this failure, where Azure documents one.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            ErrorKind::InvalidName { .. } => "InvalidResourceName",
            ErrorKind::DuplicateName => "DuplicateResourceName",
            ErrorKind::Malformed { .. } => "InvalidRequestFormat",
            // Azure's exact code for this is not documented (azure-semantics §1.3).
            ErrorKind::PriorityOutOfRange { .. } => "SecurityRuleInvalidPriority",
            ErrorKind::SecurityRuleConflict { .. } => "SecurityRuleConflict",
            ErrorKind::UnsupportedValueInList { .. } => {
                "SecurityRuleParameterContainsUnsupportedValue"
            }
            ErrorKind::ExactlyOneAddressField => "SecurityRuleInvalidAddressPrefix",
            ErrorKind::MixedAddressFamilies => {
                "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies"
            }
            ErrorKind::AsgsFromDifferentVnets { .. } => {
                "AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet"
            }
            ErrorKind::LimitExceeded { what, .. }
                if what.contains("application security groups referenced") =>
            {
                "NumberOfApplicationSecurityGroupsReferencedInSecurityRuleLimitReached"
            }
            ErrorKind::LimitExceeded { .. } => "QuotaExceeded",
            ErrorKind::UnknownReference { .. } => "InvalidResourceReference",
            ErrorKind::PrefixOutsideVnet { .. } => "NetcfgSubnetRangeOutsideVnet",
            ErrorKind::Overlap { .. } => "NetcfgInvalidSubnet",
            ErrorKind::HostBitsSet { .. } => "InvalidCIDRNotation",
            ErrorKind::BadPrivateAddress { problem, .. } => match problem {
                AddressProblem::NotInSubnet => "PrivateIPAddressNotInSubnet",
                AddressProblem::Reserved => "PrivateIPAddressInReservedRange",
                AddressProblem::InUse => "PrivateIPAddressInUse",
            },
            ErrorKind::NotAllowed { .. } => "InvalidParameter",
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.resource, self.field)?;
        match &self.kind {
            ErrorKind::InvalidName { reason } => write!(f, "invalid name: {reason}"),
            ErrorKind::DuplicateName => f.write_str("another resource of this kind already has this name"),
            ErrorKind::Malformed { message } => f.write_str(message),
            ErrorKind::PriorityOutOfRange { priority, min, max } => {
                write!(f, "priority {priority} is outside the allowed range {min}-{max}")
            }
            ErrorKind::SecurityRuleConflict { other, priority } => write!(
                f,
                "SecurityRuleConflict: rule conflicts with rule {other}. Rules cannot have the same Priority ({priority}) and Direction"
            ),
            ErrorKind::UnsupportedValueInList { value } => write!(
                f,
                "'{value}' is not allowed in a prefix list: service tags and '*' go in the single-value field"
            ),
            ErrorKind::ExactlyOneAddressField => f.write_str(
                "specify exactly one of an address prefix, a list of prefixes, or application security groups",
            ),
            ErrorKind::MixedAddressFamilies => f.write_str("a rule cannot mix IPv4 and IPv6 prefixes"),
            ErrorKind::AsgsFromDifferentVnets { first, second } => write!(
                f,
                "application security groups {first} and {second} have members in different virtual networks"
            ),
            ErrorKind::LimitExceeded { what, limit, count } => {
                write!(f, "{count} {what} exceeds Azure's limit of {limit}")
            }
            ErrorKind::UnknownReference { kind, name } => write!(f, "refers to {kind} '{name}', which does not exist"),
            ErrorKind::PrefixOutsideVnet { prefix } => {
                write!(f, "prefix {prefix} is not inside the virtual network's address space")
            }
            ErrorKind::Overlap { other } => write!(f, "overlaps {other}"),
            ErrorKind::HostBitsSet { prefix } => {
                write!(f, "{prefix} has bits set after the mask; write the network address")
            }
            ErrorKind::BadPrivateAddress { reason, .. } => f.write_str(reason),
            ErrorKind::NotAllowed { reason } => f.write_str(reason),
        }
    }
}

impl core::error::Error for ModelError {}
