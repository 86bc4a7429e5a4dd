//! What a staff API credential may do.

/// The scope of a staff API credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffScope {
    /// Read and write customers, users, servers and assignments (provisioning, IPAM).
    Inventory,
    /// Read everything, change nothing (monitoring, help-desk tools).
    Read,
}

impl StaffScope {
    /// Every scope.
    pub const ALL: [StaffScope; 2] = [StaffScope::Inventory, StaffScope::Read];

    /// The name stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffScope::Inventory => "inventory",
            StaffScope::Read => "read",
        }
    }

    /// The scope called `text`.
    pub fn parse(text: &str) -> Option<StaffScope> {
        StaffScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
    }

    /// Whether it may change the inventory.
    pub fn writes(self) -> bool {
        self == StaffScope::Inventory
    }
}
