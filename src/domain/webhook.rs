//! The events a webhook endpoint may subscribe to, and which audited action is which event.
//! The database's trigger `audit_to_outbox` (migration 0014) holds the same list; a test holds
//! the two together.

use super::AuditAction;

/// One kind of event sent to webhook endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    /// A PTR is in force (a name, or the provider default again).
    PtrPublished,
    /// A requested name waits for its forward DNS.
    PtrPending,
    /// A requested name was rejected by the checks.
    PtrRejected,
    /// A customer asked for review of a rejected change.
    PtrReviewRequested,
    /// An admin approved or denied a change.
    PtrReviewDecided,
    /// An assignment was added.
    AssignmentCreated,
    /// An assignment moved to another server or customer.
    AssignmentMoved,
    /// An assignment was removed.
    AssignmentRemoved,
}

impl WebhookEvent {
    /// Every event.
    pub const ALL: [WebhookEvent; 8] = [
        WebhookEvent::PtrPublished,
        WebhookEvent::PtrPending,
        WebhookEvent::PtrRejected,
        WebhookEvent::PtrReviewRequested,
        WebhookEvent::PtrReviewDecided,
        WebhookEvent::AssignmentCreated,
        WebhookEvent::AssignmentMoved,
        WebhookEvent::AssignmentRemoved,
    ];

    /// The name sent in `event` and subscribed to.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::PtrPublished => "ptr.published",
            WebhookEvent::PtrPending => "ptr.pending",
            WebhookEvent::PtrRejected => "ptr.rejected",
            WebhookEvent::PtrReviewRequested => "ptr.review_requested",
            WebhookEvent::PtrReviewDecided => "ptr.review_decided",
            WebhookEvent::AssignmentCreated => "assignment.created",
            WebhookEvent::AssignmentMoved => "assignment.moved",
            WebhookEvent::AssignmentRemoved => "assignment.removed",
        }
    }

    /// The event called `text`.
    pub fn parse(text: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// The event an audited action is, if it is one.
    pub fn of(action: AuditAction) -> Option<WebhookEvent> {
        Some(match action {
            AuditAction::PtrSet | AuditAction::PtrReset => WebhookEvent::PtrPublished,
            AuditAction::PtrRequestPending => WebhookEvent::PtrPending,
            AuditAction::PtrRequestRejected => WebhookEvent::PtrRejected,
            AuditAction::ChangeReviewRequested => WebhookEvent::PtrReviewRequested,
            AuditAction::ChangeApproved | AuditAction::ChangeDenied => {
                WebhookEvent::PtrReviewDecided
            }
            AuditAction::AssignmentAdd => WebhookEvent::AssignmentCreated,
            AuditAction::AssignmentMove => WebhookEvent::AssignmentMoved,
            AuditAction::AssignmentRemove => WebhookEvent::AssignmentRemoved,
            _ => return None,
        })
    }

    /// Whether it is about an address's PTR (else about an assignment).
    pub fn is_about_a_ptr(self) -> bool {
        self.as_str().starts_with("ptr.")
    }
}
