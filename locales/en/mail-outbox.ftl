# The admins' view of the notification mail outbox (/admin/mail).
mail-outbox-title = Notification mail
mail-outbox-tab = Mail
mail-outbox-lead = Every mail ptrdesk queued for customers and admins, newest first, with its delivery attempts. A mail the SMTP server does not take is tried again with growing pauses for 24 hours, then given up; send it again here once the cause is fixed.
mail-outbox-off = Mail is off on this node: smtp_url is not set, so queued mails wait here unsent.
mail-outbox-unknown-state = There is no such state; every mail is listed.
mail-outbox-state = State
mail-outbox-any-state = Any state
mail-outbox-filter = Filter
mail-outbox-clear = Clear
mail-outbox-none = No mail has been queued yet.
mail-outbox-none-in-state = No mail is in this state.
mail-outbox-show-all = Show all
mail-outbox-count = { $count ->
    [one] 1 mail
   *[other] { $count } mails
}
mail-outbox-page = page { $page } of { $pages }
mail-outbox-recipient = Recipient
mail-outbox-kind = Kind
mail-outbox-happened = Happened
mail-outbox-attempts = Attempts
mail-outbox-last-error = Last error
mail-outbox-next-try = Next try
mail-outbox-actions = Actions
mail-outbox-no-error = none
mail-outbox-no-address = no address
mail-outbox-send-again = Send again now
mail-outbox-send-again-label = Send again now: mail { $id } to { $user }

## States
mail-state-waiting = Waiting
mail-state-failing = Failing
mail-state-given-up = Given up
mail-state-dropped = Not sent
mail-state-sent = Sent
mail-next-none-given-up = none (given up { $at })
mail-next-none-dropped = none (dropped { $at })
mail-next-none-sent = none (sent { $at })

## Kinds
mail-kind-ptr-set = PTR published
mail-kind-ptr-rejected = PTR not published
mail-kind-approved = Review approved
mail-kind-denied = Review denied
mail-kind-drift-start = Drift began
mail-kind-drift-end = Drift ended
mail-kind-drift-asked = Asked to fix a long drift
mail-kind-drift-reset = Long drift reset
mail-kind-digest = Review digest

## After "send again"
mail-retry-queued = The mail is sent again within a few seconds; its result shows below.
mail-retry-nothing = Nothing to send again: that mail was sent, or is being sent this moment.
