//! What an audit row records: the closed set of actions. The audit table stores the text
//! ([`AuditAction::as_str`]); rows are read back as text, as older rows may name actions this
//! version no longer writes.

use std::fmt;

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// One kind of audited action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $variant,)*
        }

        impl AuditAction {
            /// Every action, in the order of this list.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The text stored in the audit table and shown on the audit log.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $text,)*
                }
            }
        }
    };
}

actions! {
    /// A PTR was published (written to the entry).
    PtrSet = "ptr.set",
    /// A PTR went back to the provider default.
    PtrReset = "ptr.reset",
    /// A requested name waits for its forward DNS.
    PtrRequestPending = "ptr.request.pending",
    /// A requested name was rejected by the checks.
    PtrRequestRejected = "ptr.request.rejected",
    /// A published PTR failed its checks when re-verified (an entry drift began); it stays
    /// published.
    PtrDriftStart = "ptr.drift.start",
    /// A drifting PTR passes its checks again (its drift ended).
    PtrDriftEnd = "ptr.drift.end",
    /// An admin kept a long-drifting PTR as it is (it leaves the review queue for this drift).
    DriftReviewKept = "drift.review.kept",
    /// An admin asked the customer to fix a long-drifting PTR (the customer is told).
    DriftReviewAsked = "drift.review.asked",
    /// An admin reset a long-drifting PTR to the provider default (the customer is told).
    DriftReviewReset = "drift.review.reset",
    /// A request not yet in force was withdrawn by its customer.
    PtrRequestWithdrawn = "ptr.request.withdrawn",
    /// A save was refused: the entry changed since the form was shown.
    PtrRefusedConflict = "ptr.refused.conflict",
    /// An open change was replaced by a newer one.
    ChangeSuperseded = "change.superseded",
    /// A customer asked for review of a rejected change.
    ChangeReviewRequested = "change.review-requested",
    /// An admin's note on a reviewed change.
    ChangeNote = "change.note",
    /// An admin approved a change despite its findings.
    ChangeApproved = "change.approved",
    /// An admin denied a change.
    ChangeDenied = "change.denied",
    /// An admin ran a change's checks again.
    ChangeRechecked = "change.rechecked",
    /// A customer was added.
    CustomerAdd = "customer.add",
    /// A customer was renamed.
    CustomerRename = "customer.rename",
    /// Provisioning cancelled a customer (assignments and servers removed, users disabled).
    CustomerCancel = "customer.cancel",
    /// A cancelled customer came back through provisioning.
    CustomerReactivate = "customer.reactivate",
    /// A server was added to a customer.
    ServerAdd = "server.add",
    /// A server was removed (by provisioning, once it held no assignment).
    ServerRemove = "server.remove",
    /// An IP assignment was added.
    AssignmentAdd = "assignment.add",
    /// An IP assignment moved to another server or customer.
    AssignmentMove = "assignment.move",
    /// An IP assignment was removed.
    AssignmentRemove = "assignment.remove",
    /// An admin allowed delegating an assignment to the customer's name servers.
    AssignmentDelegationAllow = "assignment.delegation.allow",
    /// An admin forbade it again (ending a delegation in force).
    AssignmentDelegationForbid = "assignment.delegation.forbid",
    /// An assignment's reverse names were delegated to the customer's name servers.
    DelegationSet = "delegation.set",
    /// A delegation ended: ptrdesk serves the assignment's entries again.
    DelegationEnd = "delegation.end",
    /// A user account was added.
    UserAdd = "user.add",
    /// A user's role changed.
    UserRole = "user.role",
    /// A user's e-mail address (for notification mails) was set or removed.
    UserEmail = "user.email",
    /// A user's password was replaced.
    UserPasswordReset = "user.password.reset",
    /// A user was disabled.
    UserDisable = "user.disable",
    /// A user was enabled again.
    UserEnable = "user.enable",
    /// Every session of a user was ended.
    UserSessionsEnd = "user.sessions.end",
    /// A user signed in through the identity provider.
    UserSignIn = "user.sign-in",
    /// A sign-in through the identity provider was refused.
    UserSignInRefused = "user.sign-in.refused",
    /// A user set up two-factor sign-in.
    UserTwoFactorEnable = "user.2fa.enable",
    /// An admin reset a user's two-factor sign-in.
    UserTwoFactorReset = "user.2fa.reset",
    /// A staff API credential was made.
    CredentialAdd = "credential.add",
    /// A staff API credential was revoked.
    CredentialRevoke = "credential.revoke",
    /// A webhook endpoint was registered.
    WebhookAdd = "webhook.add",
    /// A webhook endpoint was removed.
    WebhookRemove = "webhook.remove",
    /// A notification mail was queued to be sent again now.
    MailRetry = "mail.retry",
    /// A webhook delivery was queued to be sent again.
    WebhookResend = "webhook.resend",
    /// The validation policy was changed on the admin page.
    PolicyUpdate = "policy.update",
    /// A ZSK rollover of a signed zone was started (`ptrdesk dns rollover`).
    DnssecRollover = "dnssec.rollover",
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_action_has_its_own_text_of_the_form_subject_dot_verb() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            let text = action.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(text.contains('.'), "{text}");
            assert_eq!(text, text.to_ascii_lowercase(), "{text}");
        }
    }
}
