//! Typed ids: an index into one [`Network`](crate::Network) table each.
//!
//! They are only meaningful for the network that issued them; handing one to
//! another network is a caller bug and gives `None` from the lookups.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The position of the resource in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// A region of the network.
    RegionId;
    /// A virtual network.
    VnetId;
    /// A subnet.
    SubnetId;
    /// A network security group.
    NsgId;
    /// An application security group.
    AsgId;
    /// A network interface.
    NicId;
    /// A virtual machine.
    VmId;
    /// A route table.
    RouteTableId;
    /// A virtual network peering (one direction).
    PeeringId;
    /// A public IP address resource.
    PublicIpId;
    /// A load balancer.
    LoadBalancerId;
    /// An Azure Firewall.
    FirewallId;
    /// A private endpoint.
    PrivateEndpointId;
    /// A PaaS service instance (a storage account, a SQL server, ...).
    PaasId;
    /// An Azure Virtual Network Manager security admin rule.
    AdminRuleId;
    /// A client on the Internet.
    ClientId;
}
